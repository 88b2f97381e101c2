// The ETNA Trader Trigger's poll(), run in n8n-core's PollContext as n8n's poll engine runs it,
// against the sandbox: every matching ledger row emitted exactly once, oldest first, and the
// stored state moved only past what was emitted. Both lines: n8n 2.x gives a poll budget, 1.x
// has none.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../../support/etna';
import { PolledTrigger } from '../../support/n8nEngine';

const etna = useSandbox();

const LINES = [
	['n8n 2.x (a poll budget)', 300_000],
	['n8n 1.x (no poll budget)', undefined],
] as const;

function transactionsTrigger(accountIds: string, options: INodeParameters = {}) {
	return new PolledTrigger({ event: 'newTransaction', accountIds, options }, etna.credentials());
}

function eventIds(output: INodeExecutionData[][] | null): string[] {
	return (output?.[0] ?? []).map((item) => String(item.json.eventId));
}

/** A payment written straight into the ledger (cents; negative takes money out): its Id. */
function pay(accountId: number, cents: number): number {
	return etna.sandbox.model.recordPayment(accountId, cents).Id;
}

describe.each(LINES)('the trigger on %s', (_, budgetMs) => {
	const poll = (trigger: PolledTrigger, mode: 'trigger' | 'manual' = 'trigger') =>
		trigger.poll({ mode, budgetMs });

	it('emits nothing on its first poll, then each new row once, oldest first, then nothing', async () => {
		const trigger = transactionsTrigger('1001, 1002');

		expect(await poll(trigger)).toBeNull();
		const first = pay(1002, 500);
		const second = pay(1001, -250);
		const third = pay(1002, 100);
		const output = await poll(trigger);

		expect(eventIds(output)).toEqual([first, second, third].map((id) => `etna:tx:${id}`));
		expect(output?.[0][0].json).toMatchObject({
			Id: first,
			AccountId: 1002,
			Value: 5,
			Type: 'Payment',
			accountId: 1002,
		});
		expect(await poll(trigger)).toBeNull();
	});

	it('re-emits nothing after a restart (the state through JSON, as n8n stores it)', async () => {
		const trigger = transactionsTrigger('1001');
		await poll(trigger);
		const id = pay(1001, 700);
		expect(eventIds(await poll(trigger))).toEqual([`etna:tx:${id}`]);

		trigger.restart();

		expect(await poll(trigger)).toBeNull();
	});

	it('keeps an account where it was when its read fails half-way, and emits its rows on the next poll', async () => {
		etna.sandbox.maxPageSize = 2;
		const trigger = transactionsTrigger('1001');
		await poll(trigger);
		const ids = [pay(1001, 1), pay(1001, 2), pay(1001, 3)];
		// Page 1 answers, page 2 fails.
		etna.sandbox.addFault({
			endpoint: 'transactions',
			skip: 1,
			times: 1,
			fault: { kind: 'status', status: 500 },
		});

		// Logged, and tried again on the next poll: a quiet poll fails only after 3 failures in a row.
		expect(await poll(trigger)).toBeNull();

		expect(eventIds(await poll(trigger))).toEqual(ids.map((id) => `etna:tx:${id}`));
		expect(await poll(trigger)).toBeNull();
	});

	it('emits a row that becomes visible late, below one already emitted, exactly once', async () => {
		const trigger = transactionsTrigger('1003');
		await poll(trigger);
		const late = pay(1003, -1000);
		etna.sandbox.model.hideTransaction(late);
		const visible = pay(1003, 2000);
		expect(eventIds(await poll(trigger))).toEqual([`etna:tx:${visible}`]);

		etna.sandbox.model.revealTransaction(late);

		expect(eventIds(await poll(trigger))).toEqual([`etna:tx:${late}`]);
		expect(await poll(trigger)).toBeNull();
	});

	it('drains a backlog larger than one poll reads across polls, every row exactly once', async () => {
		// Pages of 2 rows, 10 requests a poll (the first counts what is new): 45 rows need three polls.
		etna.sandbox.maxPageSize = 2;
		const trigger = transactionsTrigger('1004');
		await poll(trigger);
		const ids = Array.from({ length: 45 }, (_, index) => pay(1004, index + 1));

		const polls = [await poll(trigger), await poll(trigger), await poll(trigger)];

		expect(polls.map((output) => eventIds(output).length)).toEqual([18, 20, 7]);
		expect(polls.flatMap(eventIds)).toEqual(ids.map((id) => `etna:tx:${id}`));
		expect(await poll(trigger)).toBeNull();
	});

	it('lets only one of two overlapping polls read: the other does nothing', async () => {
		const trigger = transactionsTrigger('1001');
		await poll(trigger);
		const id = pay(1001, 300);
		etna.sandbox.latencyMs = 100;

		const [one, other] = await Promise.all([poll(trigger), poll(trigger)]);

		expect([...eventIds(one), ...eventIds(other)]).toEqual([`etna:tx:${id}`]);
		expect([one, other].filter((output) => output === null)).toHaveLength(1);
	});

	it('in manual mode ("Fetch test event") returns the newest rows and stores nothing', async () => {
		const trigger = transactionsTrigger('1001');
		await poll(trigger);
		const stored = JSON.parse(JSON.stringify(trigger.staticData)) as IDataObject;
		const id = pay(1001, 900);

		const sample = await poll(trigger, 'manual');

		expect(eventIds(sample).at(-1)).toBe(`etna:sample:tx:${id}`);
		expect(trigger.staticData).toEqual(stored);
		// The scheduled poll still emits it: the sample took nothing.
		expect(eventIds(await poll(trigger))).toEqual([`etna:tx:${id}`]);
	});

	it('starts an account added to the list later from its own newest row', async () => {
		const trigger = new PolledTrigger(
			{ event: 'newTransaction', accountIds: '1001', options: {} },
			etna.credentials(),
		);
		await poll(trigger);
		pay(1002, 111);
		const widened = new PolledTrigger(
			{ event: 'newTransaction', accountIds: '1001, 1002', options: {} },
			etna.credentials(),
		);
		widened.staticData = trigger.staticData;

		expect(await poll(widened)).toBeNull();
		const id = pay(1002, 222);
		expect(eventIds(await poll(widened))).toEqual([`etna:tx:${id}`]);
	});
});

describe('the trigger options', () => {
	it("keeps only money in, of the chosen Types, filtered on ETNA's side", async () => {
		const trigger = transactionsTrigger('1001', { direction: 'in', types: ['Payment'] });
		await trigger.poll();
		pay(1001, -500);
		const deposit = pay(1001, 500);
		etna.sandbox.model.paymentType = 'Commission';
		pay(1001, 300);
		etna.sandbox.clearRequests();

		expect(eventIds(await trigger.poll())).toEqual([`etna:tx:${deposit}`]);
		const [read] = etna.sandbox.apiRequests();
		expect(read.query).toMatchObject({
			filter: [expect.stringMatching(/^Id > \d+ and Type in \('Payment'\) and Value > 0$/)],
			sortBy: ['Id'],
			isDesc: ['true'],
			pageNumber: ['0'],
		});
	});

	it('backfills from Start After ID on the first poll', async () => {
		const trigger = transactionsTrigger('1001', { startAfterId: 7 });

		expect(eventIds(await trigger.poll())).toEqual(['etna:tx:8', 'etna:tx:9']);
		expect(await trigger.poll()).toBeNull();
	});

	it('refuses Account IDs it cannot watch, before any request', async () => {
		const tooMany = Array.from({ length: 101 }, (_, index) => 2000 + index).join(',');

		await expect(transactionsTrigger('1001, x').poll()).rejects.toThrow(
			/Account ID "x" is not valid/,
		);
		await expect(transactionsTrigger(' ').poll()).rejects.toThrow(/Account IDs is empty/);
		await expect(transactionsTrigger(tooMany).poll()).rejects.toThrow(/at most 100/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('New Trading Account: emits accounts that were not in the list before', async () => {
		const trigger = new PolledTrigger({ event: 'newAccount', options: {} }, etna.credentials());
		expect(await trigger.poll()).toBeNull();

		const output = await new PolledTrigger(
			{ event: 'newAccount', options: { startAfterId: 1003 } },
			etna.credentials(),
		).poll();

		expect(output?.[0].map((item) => [item.json.eventId, item.json.accountId])).toEqual([
			['etna:account:1004', 1004],
			['etna:account:1005', 1005],
		]);
		expect(
			etna.sandbox.apiRequests().every((request) => request.path === '/api/v1.0/accounts'),
		).toBe(true);
	});
});
