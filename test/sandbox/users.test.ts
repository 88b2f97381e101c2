// The sandbox's users, as ETNA's admin pages document them: a Login taken is a 409 with a list
// of reasons, an unknown id a 409 (not 404), a Login in place of the id a 400, and the PUT writes
// the whole model, so a field left out is reset.
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

const ROBERT = {
	FirstName: 'Robert',
	LastName: 'Techie',
	EmailAddress: 'robert@example.com',
	Login: 'robert.techie',
};

describe('the sandbox users', () => {
	it('creates a user with the next Id, the body plus Id, AddedDate and Deleted', async () => {
		const reply = await etna.call('POST', '/v1.0/users?sendInvitationEmail=true', etna.admin(), {
			...ROBERT,
			Enabled: true,
		});

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			Id: 7003,
			...ROBERT,
			Middle: '',
			Salutation: 'NoSalutation',
			Suffix: 'NoSuffix',
			Enabled: true,
			TimeZoneInfoId: '',
			ExpirationDate: null,
			PhoneNumber: '',
			EntitlementsPhoneNumber: '',
			AddedDate: expect.any(String),
			Deleted: false,
		});
	});

	it('refuses a Login another user has, in any case, with a 409 and a list of reasons', async () => {
		const reply = await etna.call('POST', '/v1.0/users?sendInvitationEmail=false', etna.admin(), {
			...ROBERT,
			Login: 'JIM.James',
		});

		expect(reply).toMatchObject({ status: 409, body: ["Login 'JIM.James' is already taken."] });
		expect(etna.sandbox.model.directory.all()).toHaveLength(2);
	});

	it('answers an unknown user id with 409 "User with specified id was not found", and a Login in its place with 400', async () => {
		const unknown = await etna.call('GET', '/v1.0/users/9999', etna.admin());
		const login = await etna.call('GET', '/v1.0/users/jim.james', etna.admin());

		expect([unknown.status, unknown.body]).toEqual([
			409,
			{ Message: 'User with specified id was not found' },
		]);
		expect([login.status, login.body]).toEqual([400, { Message: 'The request is invalid.' }]);
	});

	it('finds a user by Login with a filter, ignoring case', async () => {
		const reply = await etna.call(
			'GET',
			`/v1.0/users?pageNumber=0&pageSize=10&sortBy=Id&isDesc=false&filter=${encodeURIComponent("Login = 'ANN.LEE'")}`,
			etna.admin(),
		);

		expect(reply.body).toMatchObject({ TotalCount: 1, Result: [{ Id: 7002, Login: 'ann.lee' }] });
	});

	it('writes the whole model on PUT: a field left out is reset (a node must send back what it read)', async () => {
		const reply = await etna.call(
			'PUT',
			'/v1.0/users/7002?sendInvitationEmail=false',
			etna.admin(),
			{
				FirstName: 'Ann',
				LastName: 'Lee-Smith',
				EmailAddress: 'ann.lee@example.com',
				Login: 'ann.lee',
			},
		);

		expect(reply.status).toBe(200);
		expect(etna.sandbox.model.directory.get(7002)).toMatchObject({
			LastName: 'Lee-Smith',
			Middle: '',
			Salutation: 'NoSalutation',
			Enabled: false,
			PhoneNumber: '',
			TimeZoneInfoId: '',
		});
	});

	it('lists the accounts a user may use, with the access to each', async () => {
		const reply = await etna.call('GET', '/v1.0/users/7002/accounts', etna.admin());

		expect(reply.body).toEqual([
			{
				Id: 1001,
				ClearingAccount: 'SBX001001',
				AccessType: 'ReadOnly',
				MarginType: 'Cash',
				Enabled: true,
			},
			{
				Id: 1002,
				ClearingAccount: 'SBX001002',
				AccessType: 'Full',
				MarginType: 'Cash',
				Enabled: true,
			},
			{
				Id: 1003,
				ClearingAccount: 'SBX001003',
				AccessType: 'Full',
				MarginType: 'Margin',
				Enabled: true,
			},
		]);
	});
});
