// The month-end in pages (examples/month-end-batched.json and its page workflow) in a real n8n,
// at a small size: every account paid once, each page its own execution, a re-run pays nothing,
// and a run killed half-way (SIGKILL, as a crash) then run again pays each account exactly once.
import type { IDataObject } from 'n8n-workflow';

import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	publishWorkflow,
} from '../../scripts/n8n/instance';
import { spawnManaged } from '../../scripts/n8n/processes';
import { applyPublications } from '../../scripts/n8n/server';
import { credentialData, etnaCredential, freshSandboxBeforeEach } from '../realN8n/sandboxWorld';
import { example, MONTH_END, monthEndTotals, outputsOf } from '../realN8n/workflows';
import { waitFor } from '../realN8n/waitFor';
import { countByAccount, urlsOf } from '../support/sandboxRequests';
import { EXAMPLE_CREDENTIAL_ID, N8N_LABEL, nodeOf, useWorld, type E2eWorld } from './support/world';

/** The sandbox's accounts: its 5 seeded ones (from 1001) and generated ones after them. */
const ACCOUNTS = 1250;
const FIRST_ACCOUNT = 1001;
const LAST_ACCOUNT = FIRST_ACCOUNT + ACCOUNTS - 1;
/** Ids per page here (1,000 as the example ships): 5 pages. */
const PAGE_SIZE = 250;
const PARENT = MONTH_END.parent;
const PAGE = MONTH_END.page;
/** The sandbox's account that refuses withdrawals. */
const REFUSED_ACCOUNT = 1005;

let world: E2eWorld;

/** The parent as it ships, with a smaller page so the run has several pages. */
function parentWithPageSize(pageSize: number): IDataObject {
	const parent = example('month-end-batched.json');
	const settings = nodeOf(parent, 'Month-end settings');
	const parameters = settings.parameters as {
		assignments: { assignments: Array<{ name: string; value: unknown }> };
	};
	for (const assignment of parameters.assignments.assignments) {
		if (assignment.name === 'pageSize') assignment.value = pageSize;
	}
	return parent;
}

useWorld(
	async (started) => {
		world = started;
		await importCredentials(world.n8n, [
			etnaCredential(
				EXAMPLE_CREDENTIAL_ID,
				credentialData(world, { token: world.sandbox.model.issueToken('admin') }),
				'ETNA Trader API (sandbox)',
			),
		]);
		await importWorkflows(world.n8n, [
			example('month-end-batched-page.json'),
			parentWithPageSize(PAGE_SIZE),
		]);
		// n8n 2.x calls only the published version of a sub-workflow from a run that is not manual.
		await publishWorkflow(world.n8n, PAGE);
		await applyPublications(world.n8n, [MONTH_END.pageWebhook]);
	},
	{ accountCount: ACCOUNTS },
);

freshSandboxBeforeEach(() => world.sandbox);

/** Successful withdrawals per account, from the sandbox's ledger (what ETNA did, not what was asked). */
function paidPerAccount(): Map<number, number> {
	const paid = new Map<number, number>();
	for (let accountId = FIRST_ACCOUNT; accountId <= LAST_ACCOUNT; accountId++) {
		const fees = world.sandbox.model
			.transactionsOf(accountId)
			.filter((row) => row.Value === -1 && row.Type === 'Payment');
		if (fees.length) paid.set(accountId, fees.length);
	}
	return paid;
}

/** `Month-end totals` as a map: result → how many accounts. */
function totalsOf(result: Awaited<ReturnType<typeof executeWorkflow>>): Record<string, number> {
	return monthEndTotals(outputsOf(result, 'Month-end totals').main);
}

describe(`the month-end in pages on ${N8N_LABEL}`, () => {
	it('pays every account once, one execution per page, and a re-run pays nothing', async () => {
		const first = await executeWorkflow(world.n8n, PARENT);

		expect(first.data.resultData.error).toBeUndefined();
		const paid = paidPerAccount();
		expect([...paid.values()].filter((times) => times > 1)).toEqual([]);
		// Every account but 1005, which ETNA refuses (the sandbox's disabled account), once.
		expect(paid.size).toBe(ACCOUNTS - 1);
		expect(paid.has(REFUSED_ACCOUNT)).toBe(false);
		expect(totalsOf(first)).toEqual({ moved: ACCOUNTS - 1, failed: 1 });
		const [failedPage] = outputsOf(first, 'Failed: check in ETNA').main;
		expect(failedPage).toMatchObject({ count_error: 1 });
		expect(String((failedPage.appended_error as string[])[0])).toContain(
			`account ${REFUSED_ACCOUNT}`,
		);
		// Requests: the page's account list, then per account a ledger read and a withdrawal.
		const withdrawals = countByAccount(world.withdrawals());
		expect([...withdrawals.values()].every((times) => times === 1)).toBe(true);
		expect(outputsOf(first, 'Pay one page').main.length).toBeGreaterThan(0);

		world.sandbox.clearRequests();
		const rerun = await executeWorkflow(world.n8n, PARENT);

		// Only the account ETNA refused is asked again (nothing moved for it the first time).
		expect(urlsOf(world.withdrawals())).toEqual([
			`/api/v1.0/accounts/${REFUSED_ACCOUNT}/withdrawal?withdrowalValue=1`,
		]);
		expect(totalsOf(rerun)).toEqual({ skipped: ACCOUNTS - 1, failed: 1 });
		expect(paidPerAccount()).toEqual(paid);
	});

	it('run again after a crash half-way (n8n killed), pays only the rest: each account once', async () => {
		world.sandbox.latencyMs = 5;
		const crashing = spawnManaged(
			'n8n execute (to be killed)',
			world.n8n.install.nodeBinary,
			[world.n8n.install.n8nBinary, 'execute', `--id=${PARENT}`],
			{ cwd: world.n8n.userFolder, env: world.n8n.env },
		);
		await waitFor(
			'half the accounts to be paid',
			() => world.withdrawals().length >= ACCOUNTS / 2,
			120_000,
			25,
		);
		await crashing.kill();
		const paidBeforeTheCrash = paidPerAccount();
		expect(paidBeforeTheCrash.size).toBeGreaterThan(0);
		expect(paidBeforeTheCrash.size).toBeLessThan(ACCOUNTS - 1);

		world.sandbox.latencyMs = 0;
		const rerun = await executeWorkflow(world.n8n, PARENT);

		const paid = paidPerAccount();
		expect([...paid.values()].filter((times) => times > 1)).toEqual([]);
		expect(paid.size).toBe(ACCOUNTS - 1);
		expect(totalsOf(rerun)).toEqual({
			skipped: paidBeforeTheCrash.size,
			moved: ACCOUNTS - 1 - paidBeforeTheCrash.size,
			failed: 1,
		});
	});
});

// The page is its own workflow: a caller chooses the accounts, never the fee.
describe('the page workflow', () => {
	it('takes its fee and month from itself, never from the caller', () => {
		const page = example('month-end-batched-page.json');
		const fee = nodeOf(page, 'Month-end fee').parameters as IDataObject;

		expect(fee.amount).toBe(1);
		expect(JSON.stringify(fee)).not.toMatch(/\$json\.(body|amount|since)/);
		expect(PAGE).toBe(page.id);
	});
});
