// The example workflows users import (examples/), run in a real n8n against the sandbox, as they
// ship or with one option changed the way a user would change it, so they stay in step with the
// node on every n8n line the package supports.
import { executeWorkflow, importCredentials, importWorkflows } from '../../scripts/n8n/instance';
import { credentialData, etnaCredential, freshSandboxBeforeEach } from '../realN8n/sandboxWorld';
import { branchesOf, example, outputsOf, ran } from '../realN8n/workflows';
import { urlsOf } from '../support/sandboxRequests';
import { EXAMPLE_CREDENTIAL_ID, N8N_LABEL, nodeOf, useWorld, type E2eWorld } from './support/world';

let world: E2eWorld;

/** What Dry Run outputs for a withdrawal from that account: the request it would send. */
function dryRunOutput(accountId: number, amount: number) {
	return {
		status: 'dryRun',
		dryRun: true,
		method: 'POST',
		url: `${world.sandbox.apiUrl}/v1.0/accounts/${accountId}/withdrawal?withdrowalValue=${amount}`,
		accountId,
		amount,
	};
}

useWorld(async (started) => {
	world = started;
	await importCredentials(world.n8n, [
		etnaCredential(
			EXAMPLE_CREDENTIAL_ID,
			credentialData(world, { token: world.sandbox.model.issueToken('admin') }),
			'ETNA Trader API (sandbox)',
		),
	]);
	const dryRunSweep = example('nightly-sweep.json');
	dryRunSweep.id = 'etnaNightlyDry01';
	dryRunSweep.name = 'Nightly sweep (dry run)';
	nodeOf(dryRunSweep, 'Withdraw').parameters = {
		...(nodeOf(dryRunSweep, 'Withdraw').parameters as object),
		options: { dryRun: true },
	};
	await importWorkflows(world.n8n, [
		example('nightly-sweep.json'),
		dryRunSweep,
		example('check-then-withdraw.json'),
		example('month-end-payout.json'),
	]);
});

freshSandboxBeforeEach(() => world.sandbox);

describe(`the example workflows on ${N8N_LABEL}`, () => {
	it('runs the nightly sweep as it ships: both accounts swept, nothing on the failure branch', async () => {
		const result = await executeWorkflow(world.n8n, 'etnaNightlySwp01');

		const { main, errors } = outputsOf(result);
		expect(errors).toEqual([]);
		expect(main.map((item) => [item.accountId, item.Amount])).toEqual([
			[1003, -100],
			[1004, -50.25],
		]);
		expect(outputsOf(result, 'Swept').main).toHaveLength(2);
		expect(ran(result, 'Failed: check in ETNA')).toBe(false);
		expect(world.sandbox.model.cashOf(1004)).toBe(700.25);
	});

	it('with Dry Run on, outputs the request each sweep would send, and ETNA receives no withdrawal', async () => {
		const result = await executeWorkflow(world.n8n, 'etnaNightlyDry01');

		const { main, errors } = outputsOf(result);
		expect(errors).toEqual([]);
		expect(main).toEqual([dryRunOutput(1003, 100), dryRunOutput(1004, 50.25)]);
		expect(world.sandbox.apiRequests().filter((request) => request.method === 'POST')).toEqual([]);
		expect(world.sandbox.model.cashOf(1003)).toBe(50000);
		expect(world.sandbox.model.cashOf(1004)).toBe(750.5);
	});

	it('runs the month-end payout with its rails: pays what may be withdrawn, sends nothing for an account short of funds, and a re-run pays nothing again', async () => {
		const first = await executeWorkflow(world.n8n, 'etnaMonthEndPay1');
		const paid = outputsOf(first, 'Paid').main;
		const failed = outputsOf(first, 'Failed: check in ETNA').main;

		expect(paid.map((item) => [item.accountId, item.Amount, item.status])).toEqual([
			[1002, -120.5, 'moved'],
			[1003, -2500, 'moved'],
		]);
		expect(failed).toHaveLength(1);
		expect(String(failed[0].error)).toMatch(
			/^Item 3: account 1004 may withdraw only 750\.5 now \(ETNA's excess\), less than the amount 900/,
		);
		expect(urlsOf(world.withdrawals())).toEqual([
			'/api/v1.0/accounts/1002/withdrawal?withdrowalValue=120.5',
			'/api/v1.0/accounts/1003/withdrawal?withdrowalValue=2500',
		]);

		world.sandbox.clearRequests();
		const rerun = await executeWorkflow(world.n8n, 'etnaMonthEndPay1');

		expect(outputsOf(rerun, 'Paid').main.map((item) => [item.accountId, item.status])).toEqual([
			[1002, 'duplicate'],
			[1003, 'duplicate'],
		]);
		expect(world.withdrawals()).toEqual([]);
		expect(world.sandbox.model.cashOf(1003)).toBe(50000 - 2500);
	});

	it('check-then-withdraw pays the account whose excess covers the amount, and sends account 1003 asking 40000 (excess 30000) to "Insufficient" without a withdrawal', async () => {
		const result = await executeWorkflow(world.n8n, 'etnaCheckThenWd1');

		expect(result.data.resultData.error).toBeUndefined();
		expect(
			outputsOf(result, 'Get Balance').main.map((balance) => [balance.accountId, balance.excess]),
		).toEqual([
			[1001, 100000],
			[1003, 30000],
		]);
		const [enough, tooLittle] = branchesOf(result, 'Enough excess?');
		expect(enough.map((balance) => balance.accountId)).toEqual([1001]);
		expect(tooLittle.map((balance) => balance.accountId)).toEqual([1003]);
		expect(outputsOf(result)).toEqual({
			main: [
				{
					Amount: -250,
					CreateDate: expect.any(String),
					Description: '',
					accountId: 1001,
					status: 'moved',
				},
			],
			errors: [],
		});
		expect(outputsOf(result, 'Insufficient').main).toEqual([
			{
				status: 'insufficient',
				accountId: 1003,
				requested: 40000,
				excess: 30000,
				message:
					'Insufficient: account 1003 may withdraw only 30,000 now, less than the 40,000 requested. No withdrawal was sent.',
			},
		]);
		expect(ran(result, 'Failed: check in ETNA')).toBe(false);
		expect(urlsOf(world.withdrawals())).toEqual([
			'/api/v1.0/accounts/1001/withdrawal?withdrowalValue=250',
		]);
		expect(world.sandbox.model.cashOf(1001)).toBe(99750);
		expect(world.sandbox.model.cashOf(1003)).toBe(50000);
	});
});
