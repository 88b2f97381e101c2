// User > Get, Get Many, Get Trading Accounts: reads, with ETNA's 409 for an unknown user worded
// as "no such user", and the users list paged and sorted with its own names (sortBy, isDesc).
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const get = { resource: 'user', operation: 'get' };
const getAll = { resource: 'user', operation: 'getAll' };
const getAccounts = { resource: 'user', operation: 'getAccounts' };

describe('Get user', () => {
	it('reads the user as ETNA gives it, plus userId', async () => {
		const result = await runOperation(etna, get, { userId: '={{ $json.userId }}' }, [
			{ userId: 7002 },
		]);

		expect(etna.sandbox.apiRequests().map((request) => request.url)).toEqual([
			'/api/v1.0/users/7002',
		]);
		expect(result.main[0].json).toMatchObject({ Id: 7002, Login: 'ann.lee', userId: 7002 });
	});

	it('reads ETNA\'s 409 for an unknown user as "no such user"', async () => {
		const result = await runOperation(etna, get, { userId: 9999 }, [{}], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json).toEqual({
			error:
				'ETNA has no such user 9999 (HTTP 409). ETNA said: "User with specified id was not found"',
			message: expect.stringMatching(
				/^Outcome: rejected \(ETNA did not do it; no money moved\)\. Check the User ID: it is ETNA's internal user ID .*not the Login\.$/,
			),
			details: expect.objectContaining({ outcome: 'rejected', httpCode: 409, userId: 9999 }),
		});
	});

	it('refuses a Login in place of the User ID before any request', async () => {
		const result = await runOperation(etna, get, { userId: 'jim.james' }, [{}]);

		expect(result.nodeError?.message).toBe(
			`Item 1: User ID "jim.james" is not valid: it must be a whole number from 1 to 2147483647 (ETNA's internal user ID, not the Login)`,
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});

describe('Get Many users', () => {
	it("pages and sorts with the users list's own names (sortBy, isDesc), and passes a filter on", async () => {
		const result = await runOperation(etna, getAll, { returnAll: true }, [{}], {
			options: { filter: "Login = 'ANN.LEE'", sortDescending: true },
		});

		expect(etna.sandbox.apiRequests().map((request) => request.query)).toEqual([
			{
				filter: ["Login = 'ANN.LEE'"],
				sortBy: ['Id'],
				isDesc: ['true'],
				pageNumber: ['0'],
				pageSize: ['100'],
			},
		]);
		expect(result.main.map((item) => item.json.Login)).toEqual(['ann.lee']);
	});

	it('stops at the limit', async () => {
		const result = await runOperation(etna, getAll, { limit: 1 }, [{}]);

		expect(result.main.map((item) => item.json.Id)).toEqual([7001]);
	});
});

describe('Get Trading Accounts of a user', () => {
	it('outputs one item per account the user may use, with the access to each, plus userId', async () => {
		const result = await runOperation(etna, getAccounts, { userId: 7002 }, [{}]);

		expect(
			result.main.map((item) => [item.json.Id, item.json.AccessType, item.json.userId]),
		).toEqual([
			[1001, 'ReadOnly', 7002],
			[1002, 'Full', 7002],
			[1003, 'Full', 7002],
		]);
	});

	it('says no such user for an unknown one', async () => {
		const result = await runOperation(etna, getAccounts, { userId: 9999 }, [{}]);

		expect(result.nodeError?.message).toMatch(/^ETNA has no such user 9999 \(HTTP 409\)/);
	});
});
