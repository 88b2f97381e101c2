// Trading accounts made and changed through the API, and who may use them: POST /accounts,
// the full-model PUT (a field left out is reset, Cash included), the access routes.
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

describe('the sandbox trading accounts', () => {
	it('creates an account with the next Id, status New, and allows a twin of its ClearingAccount', async () => {
		const body = { ClearingAccount: 'CLR-1', Currency: 'USD', Enabled: true, MarginType: 'Cash' };

		const first = await etna.call('POST', '/v1.0/accounts', etna.admin(), body);
		const twin = await etna.call('POST', '/v1.0/accounts', etna.admin(), body);

		expect(first.body).toMatchObject({
			Id: 1006,
			ClearingAccount: 'CLR-1',
			Status: 'New',
			Cash: 0,
		});
		expect(twin.body).toMatchObject({ Id: 1007, ClearingAccount: 'CLR-1' });
	});

	it('refuses a currency other than USD ("only US dollars are supported")', async () => {
		const reply = await etna.call('POST', '/v1.0/accounts', etna.admin(), {
			ClearingAccount: 'CLR-2',
			Currency: 'EUR',
		});

		expect(reply).toMatchObject({
			status: 422,
			body: { Message: "The currency 'EUR' is not supported." },
		});
	});

	it('writes the whole model on PUT: Cash and every other field left out are reset', async () => {
		const reply = await etna.call('PUT', '/v1.0/accounts/1004', etna.admin(), {
			ClearingAccount: 'SBX001004',
			Currency: 'USD',
			Enabled: true,
			RepCode: 'R99',
		});

		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({
			RepCode: 'R99',
			Cash: 0,
			CommissionPlan: '',
			MarginType: 'Empty',
			Status: 'UnSpecified',
		});
		expect(etna.sandbox.model.cashOf(1004)).toBe(0);
	});

	it('gives a user access, answering every relation of the account, and removes it, answering those left', async () => {
		const added = await etna.call(
			'PUT',
			'/v1.0/accounts/1004/users/7001?accessType=ReadOnly',
			etna.admin(),
		);
		const removed = await etna.call('DELETE', '/v1.0/accounts/1001/users/7002', etna.admin());

		expect(added.body).toEqual([
			{
				UserModel: expect.objectContaining({
					UserId: 7001,
					Login: 'jim.james',
					Email: 'jim.james@example.com',
				}),
				AccountAccessType: 'ReadOnly',
			},
		]);
		expect(removed.body).toEqual([
			{ UserModel: expect.objectContaining({ UserId: 7001 }), AccountAccessType: 'Full' },
		]);
	});

	it('refuses an access level it does not know, and an unknown user with the 409 of the user pages', async () => {
		const level = await etna.call(
			'PUT',
			'/v1.0/accounts/1004/users/7001?accessType=Admin',
			etna.admin(),
		);
		const user = await etna.call(
			'PUT',
			'/v1.0/accounts/1004/users/9999?accessType=Full',
			etna.admin(),
		);

		expect([level.status, user.status]).toEqual([422, 409]);
		expect(etna.sandbox.model.directory.accessTo(1004)).toEqual([]);
	});
});

describe('the sandbox positions and orders', () => {
	it('serves positions in pages of at most 99, as the docs cap them, refusing a bigger page', async () => {
		const capped = await etna.call(
			'GET',
			'/v1.0/accounts/1003/positions?pageNumber=0&pageSize=99&sortField=Id&desc=false',
			etna.admin(),
		);
		const above = await etna.call(
			'GET',
			'/v1.0/accounts/1003/positions?pageNumber=0&pageSize=100&sortField=Id&desc=false',
			etna.admin(),
		);

		expect(capped.body).toMatchObject({
			TotalCount: 2,
			Result: [{ Symbol: 'AAPL' }, { Symbol: 'MSFT' }],
		});
		expect([above.status, above.body]).toEqual([422, { Message: 'pageSize must be at most 99.' }]);
	});

	it('serves orders in pages of at most 100, sorted by Id when the optional sort is left out', async () => {
		const reply = await etna.call(
			'GET',
			'/v1.0/accounts/1001/orders?pageNumber=0&pageSize=100',
			etna.admin(),
		);
		const above = await etna.call(
			'GET',
			'/v1.0/accounts/1001/orders?pageNumber=0&pageSize=101',
			etna.admin(),
		);

		expect(reply.body).toMatchObject({ TotalCount: 2, Result: [{ Id: 73001 }, { Id: 73002 }] });
		expect(above.status).toBe(422);
	});

	it('answers a symbol with a list of positions (empty when none), and an unknown order with 404', async () => {
		const held = await etna.call(
			'GET',
			'/v1.0/accounts/1003/positions/aapl?currency=USD',
			etna.admin(),
		);
		const none = await etna.call('GET', '/v1.0/accounts/1003/positions/TSLA', etna.admin());
		const order = await etna.call('GET', '/v1.0/accounts/1001/orders/73003', etna.admin());

		expect(held.body).toEqual([expect.objectContaining({ Symbol: 'AAPL', Quantity: 100 })]);
		expect(none.body).toEqual([]);
		expect([order.status, order.body]).toEqual([404, { Message: 'Order 73003 was not found.' }]);
	});
});
