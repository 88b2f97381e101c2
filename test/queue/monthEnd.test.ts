// The month-end over queue-mode workers (examples/month-end-batched-queue.json and its page
// workflow) at a small size: main, two workers, PostgreSQL and Redis. Each page is a webhook call
// that main puts on the queue, so pages run as executions of their own on both workers; every
// account is paid once; a worker killed mid-month-end, then a re-run, pays nothing twice.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { createN8nCluster, type N8nCluster } from '../../scripts/n8n/cluster';
import { ensureN8n } from '../../scripts/n8n/install';
import {
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflows,
	publishWorkflow,
	type ExecutionResult,
	type N8nInstance,
} from '../../scripts/n8n/instance';
import { packPackage } from '../../scripts/n8n/package';
import { removeFolder, spawnManaged } from '../../scripts/n8n/processes';
import { waitForPostWebhook } from '../../scripts/n8n/server';
import type { EtnaSandbox } from '../../sandbox/server';
import { isSettled } from '../realN8n/rest';
import {
	credentialData,
	etnaCredential,
	freshSandboxBeforeEach,
	startSandboxWorld,
	type SandboxWorld,
} from '../realN8n/sandboxWorld';
import { seconds, waitFor } from '../realN8n/waitFor';
import { example, MONTH_END, monthEndTotals, outputsOf } from '../realN8n/workflows';
import { countByAccount } from '../support/sandboxRequests';

const TOKEN_CREDENTIAL = 'etnaSandboxCred1';
const PAGE_KEY_CREDENTIAL = MONTH_END.keyCredential;
const PARENT = MONTH_END.queueParent;
const PAGE = MONTH_END.page;
const PAGE_WEBHOOK = MONTH_END.pageWebhook;
/** Accounts 1001 to 1400: the sandbox's 5 seeded ones and generated ones after them. */
const ACCOUNTS = 400;
const FIRST_ACCOUNT = 1001;
const LAST_ACCOUNT = FIRST_ACCOUNT + ACCOUNTS - 1;
/** The sandbox's account that refuses withdrawals (disabled). */
const REFUSED_ACCOUNT = 1005;
/** Ids per page: 8 pages. */
const PAGE_SIZE = 50;

function report(line: string): void {
	process.stdout.write(`[queue month-end] ${line}\n`);
}

describe('the month-end over queue-mode workers: main, two workers, PostgreSQL and Redis', () => {
	let world: SandboxWorld;
	let sandbox: EtnaSandbox;
	let cluster: N8nCluster | undefined;
	let tarball: string | undefined;
	const pageKey = randomBytes(18).toString('hex');

	/** The queue parent as it ships, pointed at this cluster's page webhook, with smaller pages. */
	function parent(url: string): IDataObject {
		const workflow = example('month-end-batched-queue.json');
		for (const node of workflow.nodes as IDataObject[]) {
			if (node.name !== 'Month-end settings') continue;
			const parameters = node.parameters as {
				assignments: { assignments: Array<{ name: string; value: unknown }> };
			};
			for (const assignment of parameters.assignments.assignments) {
				if (assignment.name === 'pageSize') assignment.value = PAGE_SIZE;
				if (assignment.name === 'pageWebhookUrl')
					assignment.value = `${url}/webhook/${PAGE_WEBHOOK}`;
			}
		}
		return workflow;
	}

	beforeAll(async () => {
		const begin = Date.now();
		const log = (line: string) => report(line);
		const install = await ensureN8n(log);
		tarball = await packPackage();
		world = await startSandboxWorld({ keyPrefix: 'month-end-key', accountCount: ACCOUNTS });
		sandbox = world.sandbox;
		cluster = await createN8nCluster(install, tarball, { workers: 2, log });
		await importCredentials(cluster.main, [
			etnaCredential(
				TOKEN_CREDENTIAL,
				credentialData(world, { authMethod: 'token', token: sandbox.model.issueToken('admin') }),
			),
			{
				id: PAGE_KEY_CREDENTIAL,
				name: 'Month-end page key',
				type: 'httpHeaderAuth',
				data: { name: 'X-Month-End-Key', value: pageKey },
			},
		]);
		await importWorkflows(cluster.main, [
			example('month-end-batched-page.json'),
			parent(cluster.url),
		]);
		await publishWorkflow(cluster.main, PAGE);
		await cluster.start();
		await waitForPostWebhook(cluster.mainServer(), PAGE_WEBHOOK);
		report(`cluster up in ${seconds(Date.now() - begin)}`);
	}, 20 * 60_000);

	afterAll(async () => {
		await cluster?.stop();
		await sandbox?.close();
		if (tarball) removeFolder(path.dirname(tarball));
	}, 5 * 60_000);

	freshSandboxBeforeEach(() => sandbox);

	function live(): N8nCluster {
		if (!cluster) throw new Error('The cluster did not start');
		return cluster;
	}

	/**
	 * Main's folder and database for `n8n execute`, with a task broker port of its own (main's is
	 * taken). The CLI runs the month-end itself (n8n's execute falls back to regular mode); its
	 * page webhooks go through main onto the queue, as a scheduled month-end's would.
	 */
	let cliInstance: N8nInstance | undefined;
	async function cli(): Promise<N8nInstance> {
		cliInstance ??= {
			...live().main,
			env: { ...live().main.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		};
		return cliInstance;
	}

	/** Fees taken per account, from the sandbox's ledger (what ETNA did). */
	function paidPerAccount(): Map<number, number> {
		const paid = new Map<number, number>();
		for (let accountId = FIRST_ACCOUNT; accountId <= LAST_ACCOUNT; accountId++) {
			const fees = sandbox.model
				.transactionsOf(accountId)
				.filter((row) => row.Value === -1 && row.Type === 'Payment').length;
			if (fees) paid.set(accountId, fees);
		}
		return paid;
	}

	function totalsOf(result: ExecutionResult): Record<string, number> {
		return monthEndTotals(outputsOf(result, 'Month-end totals').main);
	}

	/** The page executions after the first `known`, once n8n has settled `count` of them. */
	async function settledPages(known: number, count: number) {
		return await waitFor(
			`${count} settled page executions`,
			async () => {
				const pages = (await live().executionsOf(PAGE)).slice(known);
				return pages.filter(isSettled).length >= count ? pages : undefined;
			},
			120_000,
		);
	}

	it('runs each page as its own execution, on both workers, and pays every account once; a re-run pays nothing', async () => {
		const begin = Date.now();
		const first = await executeWorkflow(await cli(), PARENT);

		expect(first.data.resultData.error).toBeUndefined();
		const paid = paidPerAccount();
		expect(paid.size).toBe(ACCOUNTS - 1);
		expect([...paid.values()].every((times) => times === 1)).toBe(true);
		expect(totalsOf(first)).toEqual({ moved: ACCOUNTS - 1, failed: 1 });
		const pages = await settledPages(0, ACCOUNTS / PAGE_SIZE);
		expect(pages).toHaveLength(ACCOUNTS / PAGE_SIZE);
		expect(pages.every((page) => page.mode === 'webhook' && page.status === 'success')).toBe(true);
		const workers = await waitFor('the workers to log the pages', () => {
			const ran = pages.map((page) => live().workerOf(page.id));
			return ran.every((worker) => worker !== undefined) ? (ran as number[]) : undefined;
		});
		expect(new Set(workers)).toEqual(new Set([0, 1]));
		report(
			`${ACCOUNTS} accounts in ${pages.length} pages: ${seconds(Date.now() - begin)}; pages per worker ${[0, 1].map((index) => workers.filter((worker) => worker === index).length).join(' and ')}`,
		);

		sandbox.clearRequests();
		const rerun = await executeWorkflow(await cli(), PARENT);

		expect(totalsOf(rerun)).toEqual({ skipped: ACCOUNTS - 1, failed: 1 });
		expect([...countByAccount(world.withdrawals()).keys()]).toEqual([REFUSED_ACCOUNT]);
		expect(paidPerAccount()).toEqual(paid);
	});

	it('a worker killed mid-month-end (SIGKILL): no account paid twice, and a re-run pays only the rest', async () => {
		const known = (await live().executionsOf(PAGE)).length;
		// 25 ms per answer: the month-end takes a few seconds, time enough to kill a worker in it.
		sandbox.latencyMs = 25;
		const runner = await cli();
		const month = spawnManaged(
			'the month-end (n8n execute)',
			runner.install.nodeBinary,
			[runner.install.n8nBinary, 'execute', `--id=${PARENT}`],
			{ cwd: runner.userFolder, env: runner.env },
		);
		await waitFor('a quarter of the accounts to be paid', () =>
			paidPerAccount().size >= ACCOUNTS / 4 ? true : undefined,
		);
		const victim = 1;
		await live().killWorker(victim);
		const paidAtKill = paidPerAccount().size;
		// The surviving worker finishes what it holds; the pages the victim held stay unfinished.
		const parentEnded = await waitFor(
			'the month-end to end',
			() => (month.running() ? undefined : true),
			4 * 60_000,
			1000,
		).catch(() => false);
		await month.kill();
		const paidBeforeRerun = paidPerAccount();
		expect([...paidBeforeRerun.values()].every((times) => times === 1)).toBe(true);
		expect(paidBeforeRerun.size).toBeLessThan(ACCOUNTS - 1);
		const stored = (await live().executionsOf(PAGE)).slice(known);
		report(
			`worker ${victim} SIGKILLed at ${paidAtKill} accounts paid; the month-end ${parentEnded ? 'ended by itself' : 'was still waiting 4 min later, and was stopped'}; ${paidBeforeRerun.size} paid in all; page executions: ${stored.map((page) => page.status).join(', ')}`,
		);

		sandbox.latencyMs = 0;
		const rerun = await executeWorkflow(await cli(), PARENT);

		const paid = paidPerAccount();
		expect(paid.size).toBe(ACCOUNTS - 1);
		expect([...paid.values()].every((times) => times === 1)).toBe(true);
		expect(totalsOf(rerun)).toEqual({
			skipped: paidBeforeRerun.size,
			moved: ACCOUNTS - 1 - paidBeforeRerun.size,
			failed: 1,
		});
		report(
			`re-run on the surviving worker: ${ACCOUNTS - 1 - paidBeforeRerun.size} paid, ${paidBeforeRerun.size} skipped; every account paid once in all`,
		);
	});
});
