// Withdraw and Deposit with an Idempotency Key, run through n8n-core's engine against the sandbox,
// with n8n's deduplication store as n8n 2.41.1 implements it (test/support/processedData.ts: its
// read-then-write calls interleave, and a second create of a row fails, as in n8n's database).
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { capturedLogs } from '../../../../support/captureLogs';
import { deposit, useSandbox, withdraw, type OperationOptions } from '../../../../support/etna';
import { withFakeClock } from '../../../../support/fakeClock';
import { ProcessedDataTable, processedData } from '../../../../support/processedData';
import { NODE_TYPE, type runEtnaNode as runEtnaNodeType } from '../../../../support/n8nEngine';

const etna = useSandbox();
const store = processedData();

beforeEach(() => store.clear());

/** The key from each item's json, as a webhook's payout id is mapped. */
const KEYED: OperationOptions = {
	options: { idempotencyKey: '={{ $json.key }}' },
	onError: 'continueErrorOutput',
};

function keyed(options: INodeParameters = {}): OperationOptions {
	return { ...KEYED, options: { ...KEYED.options, ...options } };
}

function withdrawalUrls(): string[] {
	return etna.withdrawals().map((request) => request.url);
}

function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

/** The hashed values the node's row holds (scope node: `n:<node id>`). */
function nodeValues(): string[] {
	return store.valuesOf('test-workflow', `n:${NODE_TYPE}-node`);
}

/** Withdraw as a user sets it up for a webhook: account, amount and key from the item. */
const keyedWithdraw = {
	resource: 'tradingAccount',
	operation: 'withdraw',
	accountId: '={{ $json.accountId }}',
	amount: '={{ $json.amount }}',
	options: { idempotencyKey: '={{ $json.key }}' },
};

/**
 * The node in a process of its own on the same database, as after a restart or on another
 * queue-mode worker: n8n-core, the node and the harness loaded anew (so nothing in memory is
 * shared), n8n's deduplication store pointed at the same table.
 */
async function freshProcess(): Promise<typeof runEtnaNodeType> {
	let run: typeof runEtnaNodeType | undefined;
	await jest.isolateModulesAsync(async () => {
		const core = await import('n8n-core');
		await core.DataDeduplicationService.init(store);
		run = (await import('../../../../support/n8nEngine')).runEtnaNode;
	});
	if (!run) throw new Error('The fresh process did not load');
	return run;
}

describe('the same key twice', () => {
	it('in one execution: the first item is sent, the second is not and says the first moved the money', async () => {
		const items = [
			{ accountId: 1001, amount: 25, key: 'payout-1' },
			{ accountId: 1001, amount: 25, key: 'payout-1' },
		];

		const run = await withdraw(etna, items, KEYED);

		expect(withdrawalUrls()).toEqual(['/api/v1.0/accounts/1001/withdrawal?withdrowalValue=25']);
		expect(run.errorOutput).toEqual([]);
		expect(jsonOf(run.main)).toEqual([
			expect.objectContaining({ Amount: -25, accountId: 1001, idempotencyKey: 'payout-1' }),
			{
				status: 'duplicate',
				duplicate: true,
				idempotencyKey: 'payout-1',
				firstAttempt: 'moved',
				accountId: 1001,
				amount: 25,
			},
		]);
		expect(run.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('in two executions: the retry is not sent', async () => {
		const first = await withdraw(etna, [{ accountId: 1002, amount: 10, key: 'crm-77' }], KEYED);
		const retry = await withdraw(etna, [{ accountId: 1002, amount: 10, key: 'crm-77' }], KEYED);

		expect(first.main[0].json).toMatchObject({ Amount: -10, idempotencyKey: 'crm-77' });
		expect(withdrawalUrls()).toHaveLength(1);
		expect(retry.main[0].json).toMatchObject({ duplicate: true, firstAttempt: 'moved' });
		expect(etna.sandbox.model.cashOf(1002)).toBe(2500 - 10);
	});

	it('after n8n restarts: a node loaded afresh, on the same database, does not send the retry', async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 5, key: 'restart-1' }], KEYED);

		const runEtnaNode = await freshProcess();
		const retry = await runEtnaNode({
			parameters: keyedWithdraw,
			items: [{ accountId: 1001, amount: 5, key: 'restart-1' }],
			credentials: etna.credentials(),
		});

		expect(withdrawalUrls()).toHaveLength(1);
		expect(retry.main[0].json).toMatchObject({ duplicate: true, firstAttempt: 'moved' });
	});

	it('keeps a key whose outcome is unknown: the retry is not sent and says the first is unknown', async () => {
		etna.sandbox.addFault({
			fault: { kind: 'status', status: 500, afterProcessing: true },
			times: 1,
		});
		const first = await withdraw(etna, [{ accountId: 1001, amount: 25, key: 'lost-1' }], KEYED);
		const retry = await withdraw(etna, [{ accountId: 1001, amount: 25, key: 'lost-1' }], KEYED);

		expect(first.errorOutput[0].json.message).toMatch(/^Outcome: unknown/);
		expect(withdrawalUrls()).toHaveLength(1);
		expect(retry.main[0].json).toMatchObject({ duplicate: true, firstAttempt: 'unknown' });
	});

	it('releases a key ETNA refused: the corrected retry is sent', async () => {
		// Account 1002 may withdraw 2500: 3000 is refused (422), then 2000 goes through.
		const refused = await withdraw(etna, [{ accountId: 1002, amount: 3000, key: 'fix-1' }], KEYED);
		const corrected = await withdraw(
			etna,
			[{ accountId: 1002, amount: 2000, key: 'fix-1' }],
			KEYED,
		);

		expect(refused.errorOutput[0].json.message).toMatch(/^Outcome: rejected/);
		expect(corrected.main[0].json).toMatchObject({ Amount: -2000, idempotencyKey: 'fix-1' });
		expect(withdrawalUrls()).toEqual([
			'/api/v1.0/accounts/1002/withdrawal?withdrowalValue=3000',
			'/api/v1.0/accounts/1002/withdrawal?withdrowalValue=2000',
		]);
	});

	it('releases a key whose request never reached ETNA: the retry is sent', async () => {
		etna.sandbox.addFault({ fault: { kind: 'status', status: 429 }, times: 4 });
		const limited = await withFakeClock(
			async () => await withdraw(etna, [{ accountId: 1001, amount: 7, key: 'rate-1' }], KEYED),
		);
		const retry = await withdraw(etna, [{ accountId: 1001, amount: 7, key: 'rate-1' }], KEYED);

		expect(limited.errorOutput[0].json.message).toMatch(/^Outcome: rejected/);
		expect(retry.main[0].json).toMatchObject({ Amount: -7, idempotencyKey: 'rate-1' });
	});

	it('releases a key whose item a rail stopped (Require Sufficient Cash): the retry is sent once funds are there', async () => {
		const options = keyed({ requireSufficientCash: true });
		const short = await withdraw(etna, [{ accountId: 1004, amount: 800, key: 'rail-1' }], options);
		etna.sandbox.model.setCash(1004, 1000);
		const later = await withdraw(etna, [{ accountId: 1004, amount: 800, key: 'rail-1' }], options);

		expect(short.errorOutput[0].json.message).toMatch(/^Outcome: not sent/);
		expect(later.main[0].json).toMatchObject({ Amount: -800, idempotencyKey: 'rail-1' });
		expect(withdrawalUrls()).toHaveLength(1);
	});

	it('refuses the key for another request (another amount), sending nothing, and keeps the first', async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 25, key: 'one-request' }], KEYED);
		const other = await withdraw(
			etna,
			[{ accountId: 1001, amount: 26, key: 'one-request' }],
			KEYED,
		);
		const again = await withdraw(
			etna,
			[{ accountId: 1001, amount: 25, key: 'one-request' }],
			KEYED,
		);

		expect(withdrawalUrls()).toHaveLength(1);
		expect(other.main).toEqual([]);
		expect(other.errorOutput[0].json.error).toBe(
			'Item 1: Idempotency Key "one-request" was used before for another request (another account, amount or operation), so the withdrawal of 26 from account 1001 was not sent.',
		);
		expect(other.errorOutput[0].json.message).toMatch(/^Outcome: not sent/);
		expect(again.main[0].json).toMatchObject({ duplicate: true, firstAttempt: 'moved' });
	});

	it("keeps Withdraw and Deposit apart: a deposit with a withdrawal's key is another request", async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 25, key: 'k-1' }], KEYED);
		const run = await deposit(etna, [{ accountId: 1001, amount: 25, key: 'k-1' }], KEYED);

		expect(run.errorOutput[0].json.error).toMatch(/used before for another request/);
		expect(etna.deposits()).toEqual([]);
	});
});

describe('claims at the same moment', () => {
	it('twenty executions with one key at once: one withdrawal, nineteen duplicates', async () => {
		etna.sandbox.latencyMs = 20;
		const runs = await Promise.all(
			Array.from(
				{ length: 20 },
				async () => await withdraw(etna, [{ accountId: 1001, amount: 25, key: 'storm' }], KEYED),
			),
		);

		expect(withdrawalUrls()).toHaveLength(1);
		const outputs = runs.map((run) => run.main[0].json);
		expect(outputs.filter((json) => json.duplicate !== true)).toHaveLength(1);
		expect(outputs.filter((json) => json.duplicate === true)).toHaveLength(19);
		expect(runs.flatMap((run) => run.errorOutput)).toEqual([]);
	});

	it('ten keys sent twice each, interleaved, all at once: one withdrawal per key', async () => {
		const keys = Array.from({ length: 10 }, (_, index) => `pair-${index}`);
		const sends = [...keys, ...keys].map((key, index) => ({
			accountId: 1001 + (index % 3),
			amount: 1 + keys.indexOf(key),
			key,
		}));
		// Each key's two sends name the same account: the same request.
		const requests = sends.map((send) => ({
			...send,
			accountId: 1001 + (keys.indexOf(send.key) % 3),
		}));

		const runs = await Promise.all(
			requests.map(async (request) => await withdraw(etna, [request], KEYED)),
		);

		const perKey = keys.map(
			(key) =>
				etna
					.withdrawals()
					.filter(
						(request) =>
							request.url ===
							`/api/v1.0/accounts/${1001 + (keys.indexOf(key) % 3)}/withdrawal?withdrowalValue=${1 + keys.indexOf(key)}`,
					).length,
		);
		expect(perKey).toEqual(keys.map(() => 1));
		expect(runs.filter((run) => run.main[0]?.json.duplicate === true)).toHaveLength(10);
	});

	it('two n8n processes (queue workers) on one database, ten executions each with one key at once: one withdrawal', async () => {
		const workers = [await freshProcess(), await freshProcess()];
		etna.sandbox.latencyMs = 5;

		const runs = await Promise.all(
			workers.flatMap((runEtnaNode) =>
				Array.from(
					{ length: 10 },
					async () =>
						await runEtnaNode({
							parameters: keyedWithdraw,
							items: [{ accountId: 1003, amount: 40, key: 'two-workers' }],
							credentials: etna.credentials(),
							onError: 'continueErrorOutput',
						}),
				),
			),
		);

		expect(withdrawalUrls()).toEqual(['/api/v1.0/accounts/1003/withdrawal?withdrowalValue=40']);
		expect(runs.filter((run) => run.main[0]?.json.duplicate === true)).toHaveLength(19);
		expect(runs.flatMap((run) => run.errorOutput)).toEqual([]);
	});

	it("n8n's store alone would not hold: two claims of one key at once both read it as new", async () => {
		// Why the node takes a lock: the store's read and write are two statements.
		const workflow = { id: 'another-workflow' } as never;
		const node = { id: 'node-1' } as never;
		const claim = async (key: string) =>
			await store.checkProcessedAndRecord([key], 'node', { workflow, node }, { mode: 'entries' });
		await claim('an earlier key');

		const [first, second] = await Promise.all([claim('key-a'), claim('key-a')]);

		expect(first.new).toEqual(['key-a']);
		expect(second.new).toEqual(['key-a']);
	});
});

describe('the store', () => {
	it('keeps a key as three hashed values and takes the lock out again', async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 25, key: 'kept' }], KEYED);

		expect(nodeValues().sort()).toEqual(
			['claim:kept', 'request:withdrawal/1001/2500:kept', 'moved:kept']
				.map((value) => ProcessedDataTable.hashOf(value))
				.sort(),
		);
		expect(store.valuesOf('test-workflow', '')).toEqual([]);
	});

	it('takes over a lock left by a process that stopped while holding it, after a minute, and logs it', async () => {
		// What a process killed while holding the lock leaves: the workflow's row with the lock in it.
		await store.checkProcessedAndRecord(
			['etna-trader:idempotency-lock'],
			'workflow',
			{ workflow: { id: 'test-workflow' } as never },
			{ mode: 'entries' },
		);

		const run = await withFakeClock(
			async () => await withdraw(etna, [{ accountId: 1001, amount: 5, key: 'stale' }], KEYED),
		);

		expect(run.main[0].json).toMatchObject({ Amount: -5, idempotencyKey: 'stale' });
		expect(await capturedLogs()).toMatch(/Idempotency Key lock .* stayed taken for 60 s/);
	});

	it('refuses to share the workflow-wide deduplication row with another node, sending nothing', async () => {
		// Remove Duplicates with Scope: Workflow keeps its values in the row the lock needs.
		await store.checkProcessedAndRecord(
			['an order id'],
			'workflow',
			{ workflow: { id: 'test-workflow' } as never },
			{ mode: 'entries' },
		);

		const run = await withdraw(etna, [{ accountId: 1001, amount: 5, key: 'shared' }], KEYED);

		expect(etna.sandbox.apiRequests()).toEqual([]);
		expect(run.errorOutput[0].json.error).toBe(
			'Item 1: Idempotency Key "shared" could not be claimed, so the withdrawal of 5 from account 1001 was not sent.',
		);
		expect(run.errorOutput[0].json.message).toMatch(/Remove Duplicates with Scope: Workflow/);
		// Its values are left as they were.
		expect(store.valuesOf('test-workflow', '')).toEqual([ProcessedDataTable.hashOf('an order id')]);
	});

	it("costs twelve statements per sent item in n8n's database", async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 5, key: 'the first key' }], KEYED);
		store.resetCounts();
		await withdraw(etna, [{ accountId: 1001, amount: 5, key: 'cost' }], KEYED);

		// Claim and outcome, each under the lock: take it (read, create), check the row is ours
		// alone (read), read and write the keys, give it back (delete).
		expect(store.statements).toEqual({ select: 6, insert: 2, update: 2, delete: 2 });
	});
});

describe('Dry Run with a key', () => {
	it('shows a claimed key as a duplicate and claims nothing for a new one', async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 25, key: 'dry-1' }], KEYED);
		const dry = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 25, key: 'dry-1' },
				{ accountId: 1002, amount: 3, key: 'dry-2' },
			],
			keyed({ dryRun: true }),
		);
		const real = await withdraw(etna, [{ accountId: 1002, amount: 3, key: 'dry-2' }], KEYED);

		expect(jsonOf(dry.main)).toEqual([
			expect.objectContaining({ duplicate: true, firstAttempt: 'moved', dryRun: true }),
			expect.objectContaining({ dryRun: true, idempotencyKey: 'dry-2', accountId: 1002 }),
		]);
		expect(real.main[0].json).toMatchObject({ Amount: -3, idempotencyKey: 'dry-2' });
		expect(withdrawalUrls()).toHaveLength(2);
	});
});

describe('a key that cannot be one', () => {
	it.each<[string, string, RegExp]>([
		['empty', '', /^Item 1: Idempotency Key is empty: it must be a text of 1 to 255 characters/],
		['blank', '   ', /^Item 1: Idempotency Key is empty/],
		['a number', '={{ 12345 }}', /^Item 1: Idempotency Key 12345 is not valid/],
		['an object', '={{ { id: 1 } }}', /^Item 1: Idempotency Key an object is not valid/],
		['too long', 'k'.repeat(256), /^Item 1: Idempotency Key "k{40}…" is not valid/],
		['with a line break', 'a\nb', /^Item 1: Idempotency Key "a\\nb" is not valid/],
		['an id the sender left out', '={{ $json.payoutId }}', /^Item 1: Idempotency Key is empty/],
	])('refuses %s before any request, naming the field', async (_, idempotencyKey, message) => {
		const run = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			onError: 'continueErrorOutput',
			options: { idempotencyKey },
		});

		expect(etna.sandbox.apiRequests()).toEqual([]);
		expect(run.errorOutput[0].json.error).toMatch(message);
		expect(run.errorOutput[0].json.message).toMatch(/^Outcome: not sent/);
		expect(store.statements.select).toBe(0);
	});
});
