// GET /accounts/{id}/info and the rule it carries: a withdrawal may take no more than `excess`.
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

describe('GET /accounts/{id}/info', () => {
	it('shows account 1003 with 50000 cash, of which positions hold 20000 and 30000 may be withdrawn', async () => {
		const reply = await etna.call('GET', '/v1.0/accounts/1003/info', etna.admin());

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			cash: 50000,
			netCash: 50000,
			excess: 30000,
			pendingCash: 0,
			equityTotal: 90000,
			netLiquidity: 90000,
			stockBuyingPower: 60000,
			maintenanceMargin: 20000,
			marketValue: 40000,
			pendingOrdersCount: 0,
		});
	});

	it.each([
		[1001, 100000],
		[1002, 2500],
		[1004, 750.5],
		[1005, 0],
	])('shows account %i with nothing held: excess equals its cash %d', async (id, cash) => {
		const reply = await etna.call('GET', `/v1/accounts/${id}/info`, etna.admin());

		expect(reply.body).toMatchObject({
			cash,
			excess: cash,
			stockBuyingPower: cash,
			marketValue: 0,
			maintenanceMargin: 0,
		});
	});

	it('follows the cash after a withdrawal, to the cent', async () => {
		const headers = etna.admin();
		await etna.call('POST', '/v1.0/accounts/1004/withdrawal?withdrowalValue=0.51', headers);

		const reply = await etna.call('GET', '/v1.0/accounts/1004/info', headers);

		expect(reply.body).toMatchObject({ cash: 749.99, excess: 749.99 });
	});

	it.each([
		['an unknown account', '/v1.0/accounts/9999/info', 404],
		['an id that is not a number', '/v1.0/accounts/abc/info', 422],
	])('refuses %s like GET account does', async (_, path, status) => {
		const reply = await etna.call('GET', path, etna.admin());

		expect(reply).toMatchObject({ status, body: { Message: expect.any(String) } });
	});

	it("refuses a regular user's token with the documented 401", async () => {
		const reply = await etna.call('GET', '/v1.0/accounts/1003/info', {
			Authorization: `Bearer ${etna.sandbox.model.issueToken('trader')}`,
		});

		expect(reply).toMatchObject({
			status: 401,
			body: { Message: 'Authorization has been denied for this request.' },
		});
	});
});

describe('withdrawing against the excess', () => {
	it('refuses more than the excess with 422 "Insufficient funds" quoting the excess, moving nothing', async () => {
		const reply = await etna.call(
			'POST',
			'/v1.0/accounts/1003/withdrawal?withdrowalValue=30000.01',
			etna.admin(),
		);

		expect(reply).toEqual({
			status: 422,
			body: {
				Message: "Insufficient funds: the account's excess (30000) is less than 30000.01.",
			},
			headers: expect.anything(),
		});
		expect(etna.sandbox.model.cashOf(1003)).toBe(50000);
		expect(etna.sandbox.model.transactionsOf(1003)).toHaveLength(1);
	});

	it('withdraws the whole excess, leaving the held margin as cash', async () => {
		const headers = etna.admin();

		const reply = await etna.call(
			'POST',
			'/v1.0/accounts/1003/withdrawal?withdrowalValue=30000',
			headers,
		);

		expect(reply).toMatchObject({ status: 200, body: { Amount: -30000 } });
		expect(etna.sandbox.model.cashOf(1003)).toBe(20000);
		expect((await etna.call('GET', '/v1.0/accounts/1003/info', headers)).body).toMatchObject({
			cash: 20000,
			excess: 0,
		});
	});

	it('lets a test hold margin on any account with setHeld, lowering its excess', async () => {
		etna.sandbox.model.setHeld(1001, 99000.5);

		const reply = await etna.call(
			'POST',
			'/v1.0/accounts/1001/withdrawal?withdrowalValue=1000',
			etna.admin(),
		);

		expect(etna.sandbox.model.excessOf(1001)).toBe(999.5);
		expect(reply.body).toEqual({
			Message: "Insufficient funds: the account's excess (999.5) is less than 1000.",
		});
	});

	it('shows account 1003 as a margin account, its day-trading buying power four times its excess', async () => {
		const reply = await etna.call('GET', '/v1.0/accounts/1003', etna.admin());

		expect(reply.body).toMatchObject({
			Cash: 50000,
			MarginType: 'Margin',
			DayTradingBuyingPower: 120000,
		});
	});
});
