// Sweeps of many accounts: concurrency, rate limits and unknown outcomes settled from the
// ledger, with faults injected into the sandbox. Exactly one money request per item, except
// the re-sends a 429 (or a 503 with Retry-After) asks for.
import type { INodeExecutionData } from 'n8n-workflow';

import type { FaultRule } from '../../../../../sandbox/server';

import { withFakeClock } from '../../../../support/fakeClock';
import { capturedLogs } from '../../../../support/captureLogs';
import { deposit, paidInAFirstRun, useSandbox, withdraw } from '../../../../support/etna';

const etna = useSandbox();

function amounts(items: INodeExecutionData[]) {
	return items.map((item) => [item.json.accountId, item.json.Amount, item.pairedItem]);
}

describe('Concurrency', () => {
	// 4 accounts, 6 items each, interleaved: 24 items.
	const batch = Array.from({ length: 24 }, (_, index) => ({
		accountId: 1001 + (index % 4),
		amount: index + 1,
	}));

	it('at 8 keeps the order and pairing of the input, pays every item once, never two for one account at once', async () => {
		etna.sandbox.model.setCash(1002, 100000);
		etna.sandbox.model.setCash(1004, 100000);
		etna.sandbox.latencyMs = 30;

		const result = await withdraw(etna, batch, { options: { concurrency: 8 } });

		expect(result.nodeError).toBeUndefined();
		expect(amounts(result.main)).toEqual(
			batch.map(({ accountId, amount }, item) => [accountId, -amount, { item }]),
		);
		const sent = etna.moneyRequests().map((request) => request.url);
		expect([...sent].sort()).toEqual(
			batch
				.map(
					({ accountId, amount }) =>
						`/api/v1.0/accounts/${accountId}/withdrawal?withdrowalValue=${amount}`,
				)
				.sort(),
		);
		const inFlight = etna.sandbox.inFlight();
		expect(inFlight.maxPerAccount).toBe(1);
		// Spread over the 4 accounts: several at once, but never more than there are accounts.
		expect(inFlight.max).toBe(4);
		expect(inFlight.now).toBe(0);
	});

	it('at 1 (the default) sends one request at a time', async () => {
		etna.sandbox.latencyMs = 10;

		await withdraw(etna, batch.slice(0, 6));

		expect(etna.sandbox.inFlight().max).toBe(1);
	});

	it('never has more in flight than there are distinct accounts', async () => {
		etna.sandbox.latencyMs = 40;
		const many = Array.from({ length: 16 }, (_, index) => ({
			accountId: 1001 + (index % 4),
			amount: 1,
		}));
		await withdraw(etna, many, { options: { concurrency: 8 } });

		expect(etna.sandbox.inFlight().max).toBe(4);
		expect(etna.sandbox.inFlight().maxPerAccount).toBe(1);
	});

	it('with Stop Workflow stops starting items at the first failure and names what was completed', async () => {
		etna.sandbox.model.setCash(1002, 100000);
		etna.sandbox.model.setCash(1004, 100000);
		etna.sandbox.addFault({
			accountId: 1003,
			fault: { kind: 'status', status: 422, body: { Message: 'No.' } },
		});

		const result = await withdraw(etna, batch, { options: { concurrency: 4 } });

		expect(result.nodeError?.message).toMatch(
			/^ETNA rejected the withdrawal of 3 from account 1003/,
		);
		expect(result.nodeError?.description).toMatch(
			/Item\(s\) [\d, ]+ completed in ETNA before the node stopped/,
		);
		// Nothing after the stop: fewer than all items were sent, and nothing is left in flight.
		expect(etna.moneyRequests().length).toBeLessThan(batch.length);
		expect(etna.sandbox.inFlight().now).toBe(0);
	});

	it('refuses a concurrency that is not a whole number from 1 to 64, before any request', async () => {
		const result = await withdraw(etna, batch.slice(0, 2), { options: { concurrency: 0 } });

		expect(result.nodeError?.message).toMatch(/^Item 1: Concurrency 0 is not valid/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});

describe('Rate limits', () => {
	it('sends a withdrawal refused with 429 again after Retry-After, and pays it once', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 2,
			fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

		expect(result.main.map((item) => item.json.Amount)).toEqual([-5]);
		expect(etna.moneyRequests()).toHaveLength(3);
		expect(etna.sandbox.model.cashOf(1001)).toBe(99995);
	});

	it('waits as long as Retry-After says', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
		});

		const slept = await withFakeClock(async (clock) => {
			await withdraw(etna, [{ accountId: 1001, amount: 5 }]);
			return clock.slept();
		});

		expect(slept).toBe(1000);
		expect(etna.moneyRequests()).toHaveLength(2);
	});

	it('treats a 503 with Retry-After as not processed and sends again', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 503, headers: { 'retry-after': '0' } },
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

		expect(result.main).toHaveLength(1);
		expect(etna.moneyRequests()).toHaveLength(2);
	});

	it('backs off by itself when a 429 gives no Retry-After', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 429 },
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

		expect(result.main).toHaveLength(1);
		expect(etna.moneyRequests()).toHaveLength(2);
	});

	it('gives up after 3 re-sends with outcome rejected, nothing moved', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json).toMatchObject({
			error:
				'ETNA is limiting the rate of requests (HTTP 429): the withdrawal of 5 from account 1001 was not processed.',
			details: { outcome: 'rejected', httpCode: 429 },
		});
		expect(result.errorOutput[0].json.details).toMatchObject({
			description: expect.stringMatching(
				/^ETNA turned it away 4 times for the rate, each time before processing it\. Wait a moment and run the item again/,
			),
		});
		expect(etna.moneyRequests()).toHaveLength(4);
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('never sends again after a 503 without Retry-After: the outcome is unknown', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 503 },
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.details).toMatchObject({ outcome: 'unknown' });
		expect(etna.moneyRequests()).toHaveLength(1);
	});

	it('stops waiting and sends nothing more when the execution is cancelled', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			fault: { kind: 'status', status: 429, headers: { 'retry-after': '30' } },
		});
		let cancel = () => {};
		const cancelled = new Promise<void>((resolve) => (cancel = resolve));
		const started = Date.now();
		const watcher = setInterval(() => {
			if (etna.moneyRequests().length > 0) cancel();
		}, 20);

		try {
			await withdraw(
				etna,
				[
					{ accountId: 1001, amount: 5 },
					{ accountId: 1002, amount: 5 },
				],
				{
					cancelWhen: cancelled,
				},
			);
		} finally {
			clearInterval(watcher);
		}

		expect(Date.now() - started).toBeLessThan(5000);
		expect(etna.moneyRequests()).toHaveLength(1);
	});
});

describe('Reconcile Unknown Outcomes', () => {
	const reconcile = {
		options: { reconcileUnknown: true },
		onError: 'continueErrorOutput' as const,
	};

	it.each([
		['a 500 after the money moved', { kind: 'status', status: 500, afterProcessing: true }, {}],
		['a connection reset after the money moved', { kind: 'reset', afterProcessing: true }, {}],
		['a timeout after the money moved', { kind: 'hang', afterProcessing: true }, { timeout: 300 }],
	] as const)(
		"settles %s from the ledger: the item succeeds as ETNA's transaction, marked reconciled",
		async (_, fault, options) => {
			etna.sandbox.addFault({ endpoint: 'withdrawal', times: 1, fault });

			const result = await withdraw(etna, [{ accountId: 1002, amount: 25 }], {
				...reconcile,
				options: { ...reconcile.options, ...options },
			});

			expect(result.errorOutput).toEqual([]);
			const payment = etna.sandbox.model.transactionsOf(1002).at(-1);
			expect(result.main[0].json).toEqual({
				...payment,
				accountId: 1002,
				reconciled: true,
				status: 'reconciled',
			});
			expect(result.main[0].json).toMatchObject({ Type: 'Payment', Value: -25 });
			expect(etna.moneyRequests()).toHaveLength(1);
			expect(etna.sandbox.model.cashOf(1002)).toBe(2475);
		},
	);

	it('settles a withdrawal ETNA records as ManualManipulation, from rows after the baseline only', async () => {
		etna.sandbox.model.paymentType = 'ManualManipulation';
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 500, afterProcessing: true },
		});

		const result = await withdraw(etna, [{ accountId: 1002, amount: 25 }], reconcile);

		expect(result.errorOutput).toEqual([]);
		expect(result.main[0].json).toMatchObject({
			Type: 'ManualManipulation',
			Value: -25,
			accountId: 1002,
			reconciled: true,
		});
		expect(etna.moneyRequests()).toHaveLength(1);
		// The baseline read and the check both carry the sort ETNA requires.
		const ledgerReads = etna.ledgerReads().map((request) => request.query);
		expect(ledgerReads).toEqual([
			{ sortBy: ['Id'], isDesc: ['true'], pageNumber: ['0'], pageSize: ['1'] },
			{
				filter: [expect.stringMatching(/^Id > \d+$/)],
				sortBy: ['Id'],
				isDesc: ['true'],
				pageNumber: ['0'],
				pageSize: ['100'],
			},
		]);
	});

	it('leaves the outcome unknown when the ledger shows no such payment, and says when it looked', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 500 },
		});

		const result = await withdraw(etna, [{ accountId: 1002, amount: 25 }], reconcile);

		expect(result.errorOutput[0].json.error).toMatch(
			/^ETNA answered with a server error \(HTTP 500\): the outcome of the withdrawal of 25 from account 1002 is unknown\. The account's ledger showed no such payment when read at \d{4}-\d\d-\d\dT[\d:.]+Z\.$/,
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'unknown',
			reconciled: false,
		});
		expect(etna.moneyRequests()).toHaveLength(1);
	});

	it('never counts a payment of the same amount that was in the ledger before the request', async () => {
		await withdraw(etna, [{ accountId: 1002, amount: 25 }]);
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 500 },
		});

		const result = await withdraw(etna, [{ accountId: 1002, amount: 25 }], reconcile);

		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'unknown',
			reconciled: false,
		});
	});

	it('tells apart two items of one amount on one account: only the one that moved money is settled', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			accountId: 1001,
			times: 1,
			fault: { kind: 'status', status: 500, afterProcessing: true },
		});
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			accountId: 1001,
			times: 1,
			fault: { kind: 'status', status: 500 },
		});

		const result = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 10 },
				{ accountId: 1001, amount: 10 },
				{ accountId: 1002, amount: 10 },
			],
			{ ...reconcile, options: { ...reconcile.options, concurrency: 8 } },
		);

		expect(result.main.map((item) => [item.pairedItem, item.json.reconciled ?? false])).toEqual([
			[{ item: 0 }, true],
			[{ item: 2 }, false],
		]);
		expect(
			result.errorOutput.map((item) => [
				item.pairedItem,
				(item.json.details as { outcome: string }).outcome,
			]),
		).toEqual([[{ item: 1 }, 'unknown']]);
		expect(etna.sandbox.model.cashOf(1001)).toBe(99990);
		expect(etna.moneyRequests()).toHaveLength(3);
	});

	it('costs one ledger read per item before sending, and one more per unknown outcome', async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			accountId: 1002,
			times: 1,
			fault: { kind: 'status', status: 500, afterProcessing: true },
		});

		await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 1 },
				{ accountId: 1002, amount: 1 },
			],
			reconcile,
		);

		const reads = etna.ledgerReads();
		expect(reads).toHaveLength(3);
	});

	it('sends nothing when the ledger cannot be read before the request', async () => {
		etna.sandbox.addFault({ endpoint: 'transactions', fault: { kind: 'status', status: 500 } });

		const result = await withdraw(etna, [{ accountId: 1001, amount: 1 }], reconcile);

		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'notSent',
			description: expect.stringMatching(/The withdrawal of 1 from account 1001 was not sent\.$/),
		});
		expect(etna.moneyRequests()).toEqual([]);
	});

	it('settles deposits as positive payments', async () => {
		etna.sandbox.addFault({
			endpoint: 'deposit',
			times: 1,
			fault: { kind: 'reset', afterProcessing: true },
		});

		const result = await deposit(etna, [{ accountId: 1004, amount: 9.5 }], reconcile);

		expect(result.main[0].json).toMatchObject({ Type: 'Payment', Value: 9.5, reconciled: true });
	});
});

describe('Skip If Already Paid Since and Reconcile Unknown Outcomes together', () => {
	const bothRails = (since: string) => ({
		options: { skipIfPaidSince: since, reconcileUnknown: true, concurrency: 4 },
		onError: 'continueErrorOutput' as const,
	});
	const earlier = () => new Date(Date.now() - 60_000).toISOString();
	/** One item per account given, all of the same amount. */
	const payouts = (amount: number, ...accountIds: number[]) =>
		accountIds.map((accountId) => ({ accountId, amount }));

	/**
	 * Both rails on; one withdrawal (the one `which` picks) answered 500, after the money moved
	 * unless `moved` is false.
	 */
	async function withdrawWithALostAnswer(
		items: Array<{ accountId: number; amount: number }>,
		which: Pick<FaultRule, 'accountId' | 'skip'>,
		{ moved = true, since = earlier() } = {},
	) {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			times: 1,
			...which,
			fault: { kind: 'status', status: 500, afterProcessing: moved },
		});
		return await withdraw(etna, items, bothRails(since));
	}

	it('read each ledger once per account for both, and pay every account once', async () => {
		const items = payouts(2.5, 1001, 1002, 1003, 1004);

		const result = await withdraw(etna, items, bothRails(earlier()));

		expect(result.main.map((item) => item.json.Amount)).toEqual([-2.5, -2.5, -2.5, -2.5]);
		expect(etna.ledgerReads()).toHaveLength(4);
		expect(etna.moneyRequests()).toHaveLength(4);
	});

	it('settle a lost answer from that same read, with one more read for the check', async () => {
		const result = await withdrawWithALostAnswer(payouts(3, 1001, 1002), { accountId: 1002 });

		const paid = etna.sandbox.model.transactionsOf(1002).at(-1);
		expect(result.main[1].json).toEqual({
			...paid,
			accountId: 1002,
			reconciled: true,
			status: 'reconciled',
		});
		expect(etna.ledgerReads()).toHaveLength(3);
		expect(etna.moneyRequests()).toHaveLength(2);
	});

	it('never take a row that excused an item, or that was there before, for the lost answer of another', async () => {
		// Paid once already since then: it excuses the first item; the second is sent and its answer lost.
		const since = await paidInAFirstRun(etna, [{ accountId: 1002, amount: 25 }]);

		const result = await withdrawWithALostAnswer(
			payouts(25, 1002, 1002),
			{},
			{ moved: false, since },
		);

		expect(result.main.map((item) => item.json.skipped)).toEqual([true]);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'unknown',
			reconciled: false,
			itemIndex: 1,
		});
		expect(etna.moneyRequests()).toHaveLength(1);
	});

	it('read a fresh baseline for a later item of an account once money was sent for it', async () => {
		const result = await withdrawWithALostAnswer(payouts(7, 1004, 1004), { skip: 1 });

		const [first, second] = etna.sandbox.model
			.transactionsOf(1004)
			.filter((row) => row.Value === -7);
		expect(result.main[0].json).toMatchObject({ Amount: -7, accountId: 1004 });
		// The second item's row, never the first item's, settles the second item.
		expect(result.main[1].json).toEqual({
			...second,
			accountId: 1004,
			reconciled: true,
			status: 'reconciled',
		});
		expect(second.Id).toBeGreaterThan(first.Id);
		// The shared read, a fresh baseline for the second item, and its check.
		expect(etna.ledgerReads()).toHaveLength(3);
		expect(etna.moneyRequests()).toHaveLength(2);
	});

	it('on a re-run, skip every account already paid and send nothing', async () => {
		const items = payouts(4, 1001, 1002, 1003);
		const since = await paidInAFirstRun(etna, items, bothRails(new Date().toISOString()));

		const rerun = await withdraw(etna, items, bothRails(since));

		expect(rerun.main.map((item) => item.json.skipped)).toEqual([true, true, true]);
		expect(etna.moneyRequests()).toEqual([]);
		expect(etna.ledgerReads()).toHaveLength(3);
	});
});

describe('secrets under concurrency', () => {
	it('no output, error, run or log line contains the token or the app key', async () => {
		etna.sandbox.addFault({
			accountId: 1003,
			fault: { kind: 'status', status: 500, body: { Message: `echo ${etna.appKey}` } },
		});
		const items = Array.from({ length: 12 }, (_, index) => ({
			accountId: 1001 + (index % 4),
			amount: 1,
		}));

		const result = await withdraw(etna, items, {
			options: { concurrency: 8, reconcileUnknown: true },
			onError: 'continueErrorOutput',
		});

		const serialized = JSON.stringify(result.run);
		expect(serialized).toContain('echo ***');
		const logs = await capturedLogs();
		for (const secret of [etna.adminToken, etna.appKey]) {
			expect(serialized).not.toContain(secret);
			expect(logs).not.toContain(secret);
		}
	});
});
