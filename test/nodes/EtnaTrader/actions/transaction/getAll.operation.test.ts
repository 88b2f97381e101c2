// Transaction > Get Many: an account's ledger, where every withdrawal and deposit shows.
import { runOperation, useSandbox, withdraw } from '../../../../support/etna';

const etna = useSandbox();

const getAll = { resource: 'transaction', operation: 'getAll' };

describe('Get Many transactions', () => {
	it("lists an account's ledger as ETNA gives it, a withdrawal among them as a Payment", async () => {
		await withdraw(etna, [{ accountId: 1002, amount: 25 }]);
		etna.sandbox.clearRequests();

		const result = await runOperation(etna, getAll, { accountId: 1002, returnAll: true }, [{}]);

		expect(etna.sandbox.apiRequests().map((request) => request.path)).toEqual([
			'/api/v1.0/accounts/1002/transactions',
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

	it('refuses a bad Account ID before any request', async () => {
		const result = await runOperation(etna, getAll, { accountId: 'all', returnAll: true }, [{}]);

		expect(result.nodeError?.message).toMatch(/^Item 1: Account ID "all" is not valid/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});
