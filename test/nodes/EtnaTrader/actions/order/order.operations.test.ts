// Order > Get Many and Get: an account's orders, paged and sorted with sortField/desc in pages of
// at most 100, and one order by its ID.
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const getAll = { resource: 'order', operation: 'getAll' };
const get = { resource: 'order', operation: 'get' };

describe('Get Many orders', () => {
	it('pages with pageNumber and pageSize (at most 100), sorting with sortField and desc', async () => {
		for (let index = 0; index < 120; index += 1)
			etna.sandbox.model.holdings.addOrder({ AccountId: 1002 });

		const result = await runOperation(etna, getAll, { accountId: 1002, returnAll: true }, [{}], {
			options: { sortDescending: true },
		});

		expect(result.main).toHaveLength(120);
		expect(etna.sandbox.apiRequests().map((request) => request.query)).toEqual([
			{ sortField: ['Id'], desc: ['true'], pageNumber: ['0'], pageSize: ['100'] },
			{ sortField: ['Id'], desc: ['true'], pageNumber: ['1'], pageSize: ['100'] },
		]);
		expect(result.main[0].json.Id).toBe(73124);
	});

	it('asks for no more than the limit', async () => {
		const result = await runOperation(etna, getAll, { accountId: 1001, limit: 1 }, [{}]);

		expect(result.main.map((item) => item.json.Id)).toEqual([73001]);
		expect(etna.sandbox.apiRequests()[0].query.pageSize).toEqual(['1']);
	});
});

describe('Get order', () => {
	it('reads the order as ETNA gives it, plus accountId', async () => {
		const result = await runOperation(etna, get, { accountId: 1001, orderId: '73002' }, [{}]);

		expect(etna.sandbox.apiRequests().map((request) => request.url)).toEqual([
			'/api/v1.0/accounts/1001/orders/73002',
		]);
		expect(result.main[0].json).toMatchObject({
			Id: 73002,
			Side: 'Sell',
			Status: 'Filled',
			accountId: 1001,
		});
	});

	it('says which order was not found in which account', async () => {
		const result = await runOperation(etna, get, { accountId: 1001, orderId: 73003 }, [{}], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.error).toBe(
			'ETNA found no order 73003 in trading account 1001 (HTTP 404). ETNA said: "Order 73003 was not found."',
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			accountId: 1001,
			orderId: 73003,
			outcome: 'rejected',
		});
	});

	it('refuses an Order ID that is not a number, before any request', async () => {
		const result = await runOperation(etna, get, { accountId: 1001, orderId: 'abc' }, [{}]);

		expect(result.nodeError?.message).toBe(
			'Item 1: Order ID "abc" is not valid: it must be a whole number from 1 to 2147483647 (ETNA\'s order ID)',
		);
	});
});
