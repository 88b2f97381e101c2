// Transaction > Get Many: an account's ledger, where every withdrawal and deposit shows.
import { ledgerNoRouteBody } from '../../../../../sandbox/contract';
import { runOperation, useSandbox, withdraw } from '../../../../support/etna';

const etna = useSandbox();

const getAll = { resource: 'transaction', operation: 'getAll' };

describe('Get Many transactions', () => {
	it("lists an account's ledger as ETNA gives it, a withdrawal among them as a Payment", async () => {
		await withdraw(etna, [{ accountId: 1002, amount: 25 }]);
		etna.sandbox.clearRequests();

		const result = await runOperation(etna, getAll, { accountId: 1002, returnAll: true }, [{}]);

		// ETNA's docs: pageSize, pageNumber, isDesc and sortBy must all be sent, or it answers 404.
		expect(etna.sandbox.apiRequests().map((request) => [request.path, request.query])).toEqual([
			[
				'/api/v1.0/accounts/1002/transactions',
				{ sortBy: ['Id'], isDesc: ['false'], pageNumber: ['0'], pageSize: ['100'] },
			],
		]);
		const rows = result.main.map((item) => item.json);
		expect(rows.map((row) => [row.Type, row.Value, row.Description])).toEqual([
			['Payment', 2500, 'Initial deposit'],
			['Payment', -25, 'Withdrawal'],
		]);
		expect(Object.keys(rows[0])).toEqual(
			expect.arrayContaining(['Id', 'AccountId', 'Date', 'Value', 'Type', 'Description']),
		);
	});

	it('pages through a long ledger and stops at the limit', async () => {
		etna.sandbox.maxPageSize = 3;
		await withdraw(
			etna,
			Array.from({ length: 8 }, (_, index) => ({ accountId: 1004, amount: index + 1 })),
		);
		etna.sandbox.clearRequests();

		const all = await runOperation(etna, getAll, { accountId: 1004, returnAll: true }, [{}]);
		const pagesForAll = etna.sandbox.apiRequests().length;
		etna.sandbox.clearRequests();
		const some = await runOperation(etna, getAll, { accountId: 1004, limit: 4 }, [{}]);

		expect(all.main.map((item) => item.json.Value)).toEqual([
			750.5, -1, -2, -3, -4, -5, -6, -7, -8,
		]);
		expect(pagesForAll).toBe(3);
		expect(some.main.map((item) => item.json.Value)).toEqual([750.5, -1, -2, -3]);
		expect(etna.sandbox.apiRequests()).toHaveLength(2);
	});

	it("filters and sorts with ETNA's syntax: the newest payments first", async () => {
		await withdraw(etna, [
			{ accountId: 1001, amount: 5 },
			{ accountId: 1001, amount: 6 },
		]);
		etna.sandbox.clearRequests();

		const result = await runOperation(etna, getAll, { accountId: 1001, returnAll: true }, [{}], {
			options: { filter: "Type = 'Payment' and Value < 0", sortBy: 'Id', sortDescending: true },
		});

		expect(result.main.map((item) => item.json.Value)).toEqual([-6, -5]);
		expect(etna.sandbox.apiRequests()[0].query).toMatchObject({
			filter: ["Type = 'Payment' and Value < 0"],
			sortBy: ['Id'],
			isDesc: ['true'],
		});
	});

	it('with Sort Descending alone sorts by Id, newest first', async () => {
		await withdraw(etna, [{ accountId: 1002, amount: 7 }]);
		etna.sandbox.clearRequests();

		const result = await runOperation(etna, getAll, { accountId: 1002, returnAll: true }, [{}], {
			options: { sortDescending: true },
		});

		expect(result.main.map((item) => item.json.Value)).toEqual([-7, 2500]);
		expect(etna.sandbox.apiRequests()[0].query).toMatchObject({
			sortBy: ['Id'],
			isDesc: ['true'],
		});
	});

	it("quotes ETNA's nested error body and calls a missing route one, not a missing account", async () => {
		etna.sandbox.addFault({
			endpoint: 'transactions',
			fault: {
				kind: 'status',
				status: 404,
				body: ledgerNoRouteBody(),
			},
		});

		const result = await runOperation(etna, getAll, { accountId: 1001, returnAll: true }, [{}], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.error).toBe(
			`ETNA has no such endpoint at this Base URL and API version (HTTP 404): reading the transactions of account 1001 was not processed. ETNA said: "The requested resource with API version '1.0' does not support HTTP method 'GET'. (UnsupportedApiVersion)"`,
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'rejected',
			httpCode: 404,
		});
	});

	it('refuses a bad Account ID before any request', async () => {
		const result = await runOperation(etna, getAll, { accountId: 'all', returnAll: true }, [{}]);

		expect(result.nodeError?.message).toMatch(/^Item 1: Account ID "all" is not valid/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});
