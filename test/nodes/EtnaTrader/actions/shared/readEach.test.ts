// The read flow every Get and Get Many shares: its Fields option keeps only the named fields of
// ETNA's records, and never the fields the node adds (accountId, userId).
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const accountList = { resource: 'tradingAccount', operation: 'getAll' };
const account = { resource: 'tradingAccount', operation: 'get' };
const balance = { resource: 'tradingAccount', operation: 'getBalance' };
const userAccounts = { resource: 'user', operation: 'getAccounts' };

describe('Fields', () => {
	it('keeps only the named fields of each listed record, in the order named', async () => {
		const result = await runOperation(etna, accountList, { returnAll: true }, [{}], {
			options: { fields: ' Cash ,Id,, Cash' },
		});

		expect(result.main.map((item) => item.json)).toEqual([
			{ Cash: expect.any(Number), Id: 1001 },
			{ Cash: 2500, Id: 1002 },
			{ Cash: 50000, Id: 1003 },
			{ Cash: 750.5, Id: 1004 },
			{ Cash: 0, Id: 1005 },
		]);
		expect(Object.keys(result.main[0].json)).toEqual(['Cash', 'Id']);
	});

	it("keeps what the node adds, and leaves out a name ETNA's record lacks rather than add it empty", async () => {
		const result = await runOperation(etna, account, { accountId: 1002 }, [{}], {
			options: { fields: 'Cash, NoSuchField' },
		});

		expect(result.main[0].json).toEqual({ Cash: 2500, accountId: 1002 });
	});

	it("names fields as ETNA spells them, on every read: a balance's, an access's", async () => {
		const read = await runOperation(etna, balance, { accountId: 1002 }, [{}], {
			options: { fields: 'excess' },
		});
		const listed = await runOperation(etna, userAccounts, { userId: 7002 }, [{}], {
			options: { fields: 'Id' },
		});

		expect(read.main[0].json).toEqual({ excess: expect.any(Number), accountId: 1002 });
		expect(listed.main.map((item) => item.json)).toEqual([
			{ Id: 1001, userId: 7002 },
			{ Id: 1002, userId: 7002 },
			{ Id: 1003, userId: 7002 },
		]);
	});

	it('empty, or only commas and spaces, returns every field', async () => {
		const result = await runOperation(etna, account, { accountId: 1002 }, [{}], {
			options: { fields: ' , ' },
		});

		expect(Object.keys(result.main[0].json)).toEqual(
			expect.arrayContaining(['Id', 'ClearingAccount', 'Cash', 'accountId']),
		);
	});

	it('refuses a name that is not a plain field name before any request', async () => {
		const result = await runOperation(etna, account, { accountId: 1002 }, [{}], {
			options: { fields: 'Id, Balance.Cash' },
			onError: 'continueErrorOutput',
		});

		expect(etna.sandbox.apiRequests()).toEqual([]);
		expect(result.errorOutput[0].json.error).toBe(
			'Item 1: Fields "Id, Balance.Cash" is not valid: it must be ETNA\'s field names separated by commas, each of letters, digits or _ and not starting with a digit, e.g. Id, Cash',
		);
	});
});
