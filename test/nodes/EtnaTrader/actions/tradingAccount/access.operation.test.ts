// Trading Account > Add User, Remove User, Get Users: access is power over money, so Add User
// names its level (no default), gives nothing twice, and never changes a level silently; Remove
// User says who still has access.
import { takeContractViolations } from '../../../../../sandbox/contract';
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const addUser = { resource: 'tradingAccount', operation: 'addUser' };
const removeUser = { resource: 'tradingAccount', operation: 'removeUser' };
const getUsers = { resource: 'tradingAccount', operation: 'getUsers' };

function requests() {
	return etna.sandbox.apiRequests().map((request) => `${request.method} ${request.url}`);
}

describe('Add User', () => {
	it('reads who has access, then gives the user the access named, outputting the relation', async () => {
		const result = await runOperation(
			etna,
			addUser,
			{ accountId: 1004, userId: 7001, accessType: 'ReadOnly' },
			[{}],
		);

		expect(requests()).toEqual([
			'GET /api/v1.0/accounts/1004/users',
			'PUT /api/v1.0/accounts/1004/users/7001?accessType=ReadOnly',
		]);
		expect(result.main[0].json).toEqual({
			UserModel: expect.objectContaining({ UserId: 7001, Login: 'jim.james' }),
			AccountAccessType: 'ReadOnly',
			accountId: 1004,
			userId: 7001,
			existing: false,
		});
	});

	it('run again, finds the access it gave and sends nothing: existing: true', async () => {
		await runOperation(etna, addUser, { accountId: 1004, userId: 7001, accessType: 'Full' }, [{}]);
		etna.sandbox.clearRequests();

		const again = await runOperation(
			etna,
			addUser,
			{ accountId: 1004, userId: 7001, accessType: 'Full' },
			[{}],
		);

		expect(requests()).toEqual(['GET /api/v1.0/accounts/1004/users']);
		expect(again.main[0].json).toMatchObject({ AccountAccessType: 'Full', existing: true });
		expect(etna.sandbox.model.directory.accessTo(1004)).toEqual([
			{ accountId: 1004, userId: 7001, accessType: 'Full' },
		]);
	});

	it('refuses to change an access the user has to another level, sending nothing', async () => {
		const result = await runOperation(
			etna,
			addUser,
			{ accountId: 1001, userId: 7002, accessType: 'Full' },
			[{}],
			{
				onError: 'continueErrorOutput',
			},
		);

		expect(result.errorOutput[0].json.error).toBe(
			'Item 1: user 7002 already has Read Only access to account 1001, not Full: nothing was changed.',
		);
		expect(result.errorOutput[0].json.message).toMatch(
			/run Remove User, then Add User with Full\.$/,
		);
		expect(requests().filter((request) => request.startsWith('PUT'))).toEqual([]);
	});

	it('has no access level by default: n8n asks for one before the node runs', async () => {
		const result = await runOperation(etna, addUser, { accountId: 1004, userId: 7001 }, [{}]).catch(
			(error: Error) => ({ nodeError: error }),
		);

		expect(result.nodeError?.message).toMatch(/issues/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it.each([
		[
			'={{ $json.level }}',
			'Item 1: Access is empty: it must be one of Full, ReadOnly, ClosePositionsOnly',
		],
		[
			'={{ "Owner" }}',
			'Item 1: Access "Owner" is not valid: it must be one of Full, ReadOnly, ClosePositionsOnly',
		],
		[
			'={{ "Admin" }}',
			'Item 1: Access "Admin" is not valid: it must be one of Full, ReadOnly, ClosePositionsOnly',
		],
	])(
		'refuses the access level %j before any request, naming the field',
		async (accessType, message) => {
			const result = await runOperation(
				etna,
				addUser,
				{ accountId: 1004, userId: 7001, accessType },
				[{}],
			);

			expect(result.nodeError?.message).toBe(message);
			expect(etna.sandbox.apiRequests()).toEqual([]);
		},
	);

	it('says no such user for an unknown user', async () => {
		const result = await runOperation(
			etna,
			addUser,
			{ accountId: 1004, userId: 9999, accessType: 'Full' },
			[{}],
			{
				onError: 'continueErrorOutput',
			},
		);

		expect(result.errorOutput[0].json.error).toBe(
			'ETNA has no such user 9999 (HTTP 409). ETNA said: "User with specified id was not found"',
		);
		expect(etna.sandbox.model.directory.accessTo(1004)).toEqual([]);
	});

	it('ETNA finds no route for a bind without accessType (the node never sends one)', async () => {
		const reply = await fetch(`${etna.sandbox.apiUrl}/v1.0/accounts/1004/users/7001`, {
			method: 'PUT',
			headers: { 'Et-App-Key': etna.appKey, Authorization: `Bearer ${etna.adminToken}` },
		});

		expect(reply.status).toBe(404);
		expect(takeContractViolations()).toEqual([
			expect.objectContaining({ endpoint: 'addUser', missing: ['accessType'] }),
		]);
	});
});

describe('Remove User', () => {
	it("takes the user's access away and outputs who still has access", async () => {
		const result = await runOperation(etna, removeUser, { accountId: 1001, userId: 7002 }, [{}]);

		expect(requests()).toEqual([
			'GET /api/v1.0/accounts/1001/users',
			'DELETE /api/v1.0/accounts/1001/users/7002',
		]);
		expect(result.main[0].json).toEqual({
			accountId: 1001,
			userId: 7002,
			removed: true,
			usersWithAccess: [
				{ UserModel: expect.objectContaining({ UserId: 7001 }), AccountAccessType: 'Full' },
			],
		});
	});

	it('for a user without access, sends nothing and says removed: false', async () => {
		const result = await runOperation(etna, removeUser, { accountId: 1004, userId: 7002 }, [{}]);

		expect(requests()).toEqual(['GET /api/v1.0/accounts/1004/users']);
		expect(result.main[0].json).toEqual({
			accountId: 1004,
			userId: 7002,
			removed: false,
			usersWithAccess: [],
		});
	});
});

describe('Get Users of a trading account', () => {
	it('outputs one item per user with access, plus accountId', async () => {
		const result = await runOperation(etna, getUsers, { accountId: 1001 }, [{}]);

		expect(result.main.map((item) => [item.json.AccountAccessType, item.json.accountId])).toEqual([
			['Full', 1001],
			['ReadOnly', 1001],
		]);
	});
});
