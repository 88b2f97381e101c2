// Position > Get Many and Get: what a client holds, paged and sorted with the positions list's
// own names (sortField, desc) in pages of at most 99, and by symbol.
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const getAll = { resource: 'position', operation: 'getAll' };
const get = { resource: 'position', operation: 'get' };

describe('Get Many positions', () => {
	it('reads every page with Return All, never asking more than 99 a page', async () => {
		for (let index = 0; index < 150; index += 1) {
			etna.sandbox.model.holdings.addPosition({ AccountId: 1004, Symbol: `T${index}` });
		}

		const result = await runOperation(etna, getAll, { accountId: 1004, returnAll: true }, [{}]);

		expect(result.main).toHaveLength(150);
		expect(etna.sandbox.apiRequests().map((request) => request.query)).toEqual([
			{ sortField: ['Id'], desc: ['false'], pageNumber: ['0'], pageSize: ['99'] },
			{ sortField: ['Id'], desc: ['false'], pageNumber: ['1'], pageSize: ['99'] },
		]);
		expect(result.main[0].json).toMatchObject({ Symbol: 'T0', AccountId: 1004 });
	});

	it('passes the filter and the sort on, as the positions list names them', async () => {
		const result = await runOperation(etna, getAll, { accountId: 1003, returnAll: true }, [{}], {
			options: { filter: 'Quantity >= 60', sortBy: 'Quantity', sortDescending: true },
		});

		expect(etna.sandbox.apiRequests()[0].query).toMatchObject({
			filter: ['Quantity >= 60'],
			sortField: ['Quantity'],
			desc: ['true'],
		});
		expect(result.main.map((item) => [item.json.Symbol, item.json.Quantity])).toEqual([
			['AAPL', 100],
		]);
	});

	it('says an unknown account was not found', async () => {
		const result = await runOperation(etna, getAll, { accountId: 424242, returnAll: true }, [{}]);

		expect(result.nodeError?.message).toMatch(/^ETNA found no trading account 424242 \(HTTP 404\)/);
	});
});

describe('Get position by symbol', () => {
	it('outputs each position ETNA lists for the symbol, plus accountId, with currency and exchange when given', async () => {
		const result = await runOperation(etna, get, { accountId: 1003, symbol: 'aapl' }, [{}], {
			options: { currency: 'USD', exchange: 'NASDAQ' },
		});

		expect(etna.sandbox.apiRequests().map((request) => request.url)).toEqual([
			'/api/v1.0/accounts/1003/positions/AAPL?currency=USD&exchange=NASDAQ',
		]);
		expect(
			result.main.map((item) => [item.json.Symbol, item.json.Quantity, item.json.accountId]),
		).toEqual([['AAPL', 100, 1003]]);
	});

	it('outputs nothing for a symbol the account does not hold', async () => {
		const result = await runOperation(etna, get, { accountId: 1003, symbol: 'TSLA' }, [{}]);

		expect(result.main).toEqual([]);
		expect(result.nodeError).toBeUndefined();
	});

	it('refuses a symbol that could bend the path, before any request', async () => {
		const result = await runOperation(etna, get, { accountId: 1003, symbol: '../1001' }, [{}]);

		expect(result.nodeError?.message).toMatch(/^Item 1: Symbol "..\/1001" is not valid/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});
