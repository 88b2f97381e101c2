// The safety rails Withdraw (and, where they apply, Deposit) offer in Options: Maximum Amount,
// Require Sufficient Cash and Dry Run, each against the sandbox.
import { deposit, paidInAFirstRun, useSandbox, withdraw } from '../../../../support/etna';

const etna = useSandbox();

describe('Maximum Amount', () => {
	it('refuses an item above the limit before any request, naming both figures', async () => {
		const result = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 9000 },
				{ accountId: 1001, amount: 25000 },
			],
			{ options: { maxAmount: 10000 } },
		);

		expect(result.nodeError?.message).toBe(
			"Item 2: Amount 25,000 is above this node's limit of 10,000 (Maximum Amount)",
		);
		expect(result.nodeError?.description).toMatch(/^Outcome: not sent \(nothing reached ETNA\)\. /);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('lets amounts up to the limit through and sends the others to the error output', async () => {
		const result = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 10000 },
				{ accountId: 1001, amount: 10000.01 },
			],
			{ options: { maxAmount: 10000 }, onError: 'continueErrorOutput' },
		);

		expect(result.main.map((item) => item.json.Amount)).toEqual([-10000]);
		expect(result.errorOutput[0].json.details).toMatchObject({ outcome: 'notSent', itemIndex: 1 });
		expect(etna.moneyRequests()).toHaveLength(1);
	});

	it('added and left empty (its default), sets no limit', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 25000 }], {
			options: { maxAmount: null },
		});

		expect(result.nodeError).toBeUndefined();
		expect(result.main[0].json).toMatchObject({ Amount: -25000, status: 'moved' });
	});

	it('keeps refusing every item of a workflow saved with the old default 0, as it always did', async () => {
		// Saved before the default became empty: n8n stores the option the user added, with its 0.
		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			options: { maxAmount: 0 },
		});

		expect(result.nodeError?.message).toBe(
			'Item 1: Maximum Amount 0 is not valid: it must be a number above 0 and at most 999,999,999,999.99, with at most 2 decimal places (cents), e.g. 25 or 1234.56',
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('applies to deposits too', async () => {
		const result = await deposit(etna, [{ accountId: 1002, amount: 501 }], {
			options: { maxAmount: 500 },
		});

		expect(result.nodeError?.message).toMatch(/above this node's limit of 500/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('refuses a limit of 0 rather than reading it as "no limit"', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 1 }], {
			options: { maxAmount: 0 },
		});

		expect(result.nodeError?.message).toMatch(/^Item 1: Maximum Amount 0 is not valid/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});

describe('Require Sufficient Cash', () => {
	it("reads the balance first and withdraws when ETNA's excess covers the amount", async () => {
		const result = await withdraw(etna, [{ accountId: 1003, amount: 30000 }], {
			options: { requireSufficientCash: true },
		});

		expect(
			etna.sandbox.apiRequests().map((request) => `${request.method} ${request.path}`),
		).toEqual(['GET /api/v1.0/accounts/1003/info', 'POST /api/v1.0/accounts/1003/withdrawal']);
		expect(result.main[0].json.Amount).toBe(-30000);
	});

	it('refuses, with no POST, when excess is below the amount even though cash is not', async () => {
		const result = await withdraw(etna, [{ accountId: 1003, amount: 40000 }], {
			options: { requireSufficientCash: true },
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.error).toBe(
			"Item 1: account 1003 may withdraw only 30,000 now (ETNA's excess), less than the amount 40,000: the withdrawal was not sent.",
		);
		expect(result.errorOutput[0].json.details).toMatchObject({ outcome: 'notSent', excess: 30000 });
		expect(etna.moneyRequests()).toEqual([]);
		expect(etna.sandbox.model.cashOf(1003)).toBe(50000);
	});

	it('checks each item against the balance its earlier items left', async () => {
		const result = await withdraw(
			etna,
			[
				{ accountId: 1002, amount: 2000 },
				{ accountId: 1002, amount: 600 },
			],
			{ options: { requireSufficientCash: true }, onError: 'continueErrorOutput' },
		);

		expect(result.main.map((item) => item.json.Amount)).toEqual([-2000]);
		expect(result.errorOutput[0].json.error).toMatch(/may withdraw only 500 now/);
		expect(etna.moneyRequests()).toHaveLength(1);
	});

	it('sends nothing when the balance cannot be read, and says so', async () => {
		etna.sandbox.addFault({ endpoint: 'info', fault: { kind: 'status', status: 500 } });

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			options: { requireSufficientCash: true },
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.error).toMatch(
			/^ETNA answered with a server error \(HTTP 500\): reading the balance of account 1001 failed\./,
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'notSent',
			description: expect.stringMatching(/The withdrawal of 5 from account 1001 was not sent\.$/),
		});
		expect(etna.moneyRequests()).toEqual([]);
	});
});

describe('Dry Run', () => {
	it('checks everything, moves nothing and outputs what each item would send, with no secret', async () => {
		const result = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 25 },
				{ accountId: '1002', amount: '0.1' },
			],
			{ options: { dryRun: true } },
		);

		expect(result.main.map((item) => item.json)).toEqual([
			{
				status: 'dryRun',
				dryRun: true,
				method: 'POST',
				url: `${etna.sandbox.apiUrl}/v1.0/accounts/1001/withdrawal?withdrowalValue=25`,
				accountId: 1001,
				amount: 25,
			},
			{
				status: 'dryRun',
				dryRun: true,
				method: 'POST',
				url: `${etna.sandbox.apiUrl}/v1.0/accounts/1002/withdrawal?withdrowalValue=0.1`,
				accountId: 1002,
				amount: 0.1,
			},
		]);
		expect(etna.sandbox.apiRequests()).toEqual([]);
		expect(JSON.stringify(result.run)).not.toContain(etna.adminToken);
		expect(JSON.stringify(result.run)).not.toContain(etna.appKey);
	});

	it('still refuses bad input and amounts above the limit', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 50 }], {
			options: { dryRun: true, maxAmount: 10 },
		});

		expect(result.nodeError?.message).toMatch(/above this node's limit of 10/);
	});

	it('with Require Sufficient Cash still reads the balance and applies the check', async () => {
		const result = await withdraw(
			etna,
			[
				{ accountId: 1003, amount: 100 },
				{ accountId: 1003, amount: 30000.01 },
			],
			{ options: { dryRun: true, requireSufficientCash: true }, onError: 'continueErrorOutput' },
		);

		expect(result.main[0].json).toMatchObject({ dryRun: true, excess: 30000, amount: 100 });
		expect(result.errorOutput[0].json.error).toMatch(/may withdraw only 30,000 now/);
		expect(etna.sandbox.apiRequests().map((request) => request.method)).toEqual(['GET', 'GET']);
	});

	it('works for deposits', async () => {
		const result = await deposit(etna, [{ accountId: 1002, amount: 3 }], {
			options: { dryRun: true },
		});

		expect(result.main[0].json.url).toBe(
			`${etna.sandbox.apiUrl}/v1.0/accounts/1002/deposit?depositValue=3`,
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});

describe('Skip If Already Paid Since', () => {
	const earlier = () => new Date(Date.now() - 60_000).toISOString();

	it.each(['Payment', 'ManualManipulation', 'Undefined'] as const)(
		'skips an item the ledger shows as paid since then (recorded as %s), sending nothing for it, and pays the rest',
		async (type) => {
			etna.sandbox.model.paymentType = type;
			const since = await paidInAFirstRun(etna, [
				{ accountId: 1001, amount: 10 },
				{ accountId: 1002, amount: 20 },
			]);

			const rerun = await withdraw(
				etna,
				[
					{ accountId: 1001, amount: 10 },
					{ accountId: 1002, amount: 20 },
					{ accountId: 1004, amount: 30 },
				],
				{ options: { skipIfPaidSince: since } },
			);

			const paid = etna.sandbox.model.transactionsOf(1001).at(-1);
			expect(rerun.main[0].json).toEqual({
				...paid,
				accountId: 1001,
				skipped: true,
				status: 'skipped',
			});
			expect(rerun.main.map((item) => [item.json.Type, item.json.skipped ?? false])).toEqual([
				[type, true],
				[type, true],
				[undefined, false],
			]);
			expect(etna.moneyRequests().map((request) => request.path)).toEqual([
				'/api/v1.0/accounts/1004/withdrawal',
			]);
			// One ledger read per account, of every Type (the docs do not say which one a withdrawal
			// gets), sorted as ETNA requires.
			const ledgerReads = etna.ledgerReads();
			expect(ledgerReads).toHaveLength(3);
			expect(ledgerReads[0].query).toMatchObject({
				filter: [expect.stringMatching(/^Date >= #\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ#$/)],
				sortBy: ['Id'],
				isDesc: ['false'],
			});
			expect(etna.sandbox.model.cashOf(1001)).toBe(99990);
		},
	);

	it('never counts a trade of the same value as a payment', async () => {
		const since = earlier();
		// A commission of exactly -10 on 1001's ledger: money left, but not by a withdrawal.
		etna.sandbox.model.paymentType = 'Commission';
		etna.sandbox.model.recordPayment(1001, -1000);
		etna.sandbox.model.paymentType = 'Payment';

		const rerun = await withdraw(etna, [{ accountId: 1001, amount: 10 }], {
			options: { skipIfPaidSince: since },
		});

		expect(rerun.main[0].json).toMatchObject({ Amount: -10, accountId: 1001 });
		expect(rerun.main[0].json.skipped).toBeUndefined();
		expect(etna.moneyRequests()).toHaveLength(1);
	});

	it('lets one payment excuse only one item: two equal items need two payments', async () => {
		const since = await paidInAFirstRun(etna, [{ accountId: 1001, amount: 10 }]);

		const rerun = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 10 },
				{ accountId: 1001, amount: 10 },
			],
			{ options: { skipIfPaidSince: since } },
		);

		expect(rerun.main.map((item) => item.json.skipped ?? false)).toEqual([true, false]);
		expect(etna.moneyRequests()).toHaveLength(1);
		expect(etna.sandbox.model.cashOf(1001)).toBe(99980);
	});

	it('does not count payments made before the time given, nor of another amount', async () => {
		// A payment of 10 two minutes ago on the sandbox's clock, then one of 11 now.
		etna.sandbox.model.clock.advance(-120_000);
		await withdraw(etna, [{ accountId: 1001, amount: 10 }]);
		etna.sandbox.model.clock.reset();
		const since = new Date(Date.now() - 60_000).toISOString();
		await withdraw(etna, [{ accountId: 1001, amount: 11 }]);
		etna.sandbox.clearRequests();

		const rerun = await withdraw(etna, [{ accountId: 1001, amount: 10 }], {
			options: { skipIfPaidSince: since },
		});

		expect(rerun.main[0].json.skipped).toBeUndefined();
		expect(etna.moneyRequests()).toHaveLength(1);
	});

	it('reads a time without a zone in the workflow time zone, as n8n’s date picker gives it', async () => {
		await withdraw(etna, [{ accountId: 1002, amount: 5 }]);
		// A minute after that payment, on New York's clocks (the workflow zone here: n8n's default).
		// Read as UTC instead, it would be hours earlier and count the payment.
		const wallClock = (offsetMs: number) =>
			new Date(Date.now() + offsetMs)
				.toLocaleString('sv-SE', { timeZone: 'America/New_York' })
				.replace(' ', 'T');

		const after = await withdraw(etna, [{ accountId: 1002, amount: 5 }], {
			options: { skipIfPaidSince: wallClock(50_000) },
		});
		const before = await withdraw(etna, [{ accountId: 1002, amount: 5 }], {
			options: { skipIfPaidSince: wallClock(-50_000) },
		});

		expect(after.main[0].json.skipped).toBeUndefined();
		expect(before.main[0].json.skipped).toBe(true);
	});

	it('works for deposits', async () => {
		const since = earlier();
		await deposit(etna, [{ accountId: 1004, amount: 3.5 }]);

		const rerun = await deposit(etna, [{ accountId: 1004, amount: 3.5 }], {
			options: { skipIfPaidSince: since },
		});

		expect(rerun.main[0].json).toMatchObject({ Value: 3.5, skipped: true });
	});

	it.each([
		['a time in the future', () => new Date(Date.now() + 3_600_000).toISOString()],
		['text that is not a time', () => 'yesterday'],
	])('refuses %s before any request', async (_, since) => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 1 }], {
			options: { skipIfPaidSince: since() },
		});

		expect(result.nodeError?.message).toMatch(
			/^Item 1: Skip If Already Paid Since .* is not valid/,
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('sends nothing for an account whose ledger cannot be read', async () => {
		etna.sandbox.addFault({
			endpoint: 'transactions',
			accountId: 1001,
			fault: { kind: 'status', status: 500 },
		});

		const result = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 1 },
				{ accountId: 1002, amount: 1 },
			],
			{ options: { skipIfPaidSince: earlier() }, onError: 'continueErrorOutput' },
		);

		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'notSent',
			accountId: 1001,
		});
		expect(etna.moneyRequests().map((request) => request.path)).toEqual([
			'/api/v1.0/accounts/1002/withdrawal',
		]);
	});
});
