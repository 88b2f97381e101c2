// Trading Account > Get Many: ETNA's account list, page by page, one item per account.
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const getAll = { resource: 'tradingAccount', operation: 'getAll' };

function listRequests() {
	return etna.sandbox.apiRequests().map((request) => request.query);
}

describe('Get Many trading accounts', () => {
	it('with Return All reads every page from page 0, following the page size ETNA serves', async () => {
		etna.sandbox.maxPageSize = 2;

		const result = await runOperation(etna, getAll, { returnAll: true }, [{}]);

		expect(result.main.map((item) => item.json.Id)).toEqual([1001, 1002, 1003, 1004, 1005]);
		expect(
			result.main.every(
				(item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);
		expect(listRequests().map((query) => [query.pageNumber?.[0], query.pageSize?.[0]])).toEqual([
			['0', '100'],
			['1', '2'],
			['2', '2'],
		]);
	});

	it('stops reading once it has the limit', async () => {
		etna.sandbox.maxPageSize = 2;

		const result = await runOperation(etna, getAll, { returnAll: false, limit: 3 }, [{}]);

		expect(result.main.map((item) => item.json.Id)).toEqual([1001, 1002, 1003]);
		// Pages of 2 (the limit's page of 3 was served as 2): two pages, never a third.
		expect(listRequests()).toHaveLength(2);
	});

	it('asks for a page no bigger than a small limit, with the sort ETNA requires (Id, ascending)', async () => {
		const result = await runOperation(etna, getAll, { limit: 2 }, [{}]);

		expect(result.main.map((item) => item.json.Id)).toEqual([1001, 1002]);
		expect(listRequests()).toEqual([
			{ propertyName: ['Id'], isAscending: ['true'], pageNumber: ['0'], pageSize: ['2'] },
		]);
	});

	it('with Sort Descending alone sorts by Id, highest first', async () => {
		const result = await runOperation(etna, getAll, { returnAll: true }, [{}], {
			options: { sortDescending: true },
		});

		expect(result.main.map((item) => item.json.Id)).toEqual([1005, 1004, 1003, 1002, 1001]);
		expect(listRequests()[0]).toMatchObject({ propertyName: ['Id'], isAscending: ['false'] });
	});

	it("passes ETNA's filter and sort through, as ETNA names them", async () => {
		const result = await runOperation(etna, getAll, { returnAll: true }, [{}], {
			options: { filter: 'Cash between 0 and 2500', sortBy: 'Cash', sortDescending: true },
		});

		expect(result.main.map((item) => [item.json.Id, item.json.Cash])).toEqual([
			[1002, 2500],
			[1004, 750.5],
			[1005, 0],
		]);
		expect(listRequests()[0]).toMatchObject({
			filter: ['Cash between 0 and 2500'],
			propertyName: ['Cash'],
			isAscending: ['false'],
		});
	});

	it("passes ETNA's own complaint about a filter on, and reads nothing more", async () => {
		const result = await runOperation(etna, getAll, { returnAll: true }, [{}], {
			options: { filter: 'Cash ~~ 5' },
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.error).toMatch(
			/^ETNA rejected reading the account list \(HTTP 422\)\. ETNA said: "The filter/,
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'rejected',
			accountId: null,
		});
	});

	it('reads the list once per input item', async () => {
		const result = await runOperation(etna, getAll, { limit: 1 }, [{}, {}]);

		expect(result.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
