// User > Create: a CRM's approval retried, an operator's re-run: one user, found by Login before
// anything is created; every field ETNA requires checked before any request.
import type { IDataObject } from 'n8n-workflow';

import { runOperation, useSandbox, type OperationOptions } from '../../../../support/etna';

const etna = useSandbox();

const create = { resource: 'user', operation: 'create' };

/** The fields as a workflow maps them from a CRM's webhook body. */
const FROM_CRM = {
	login: '={{ $json.body.login }}',
	firstName: '={{ $json.body.firstName }}',
	lastName: '={{ $json.body.lastName }}',
	email: '={{ $json.body.email }}',
};

const ROBERT = {
	login: 'robert.techie',
	firstName: 'Robert',
	lastName: 'Techie',
	email: 'robert@example.com',
};

async function createUser(bodies: IDataObject[], options: OperationOptions = {}) {
	return await runOperation(
		etna,
		create,
		FROM_CRM,
		bodies.map((body) => ({ body })),
		options,
	);
}

function requests() {
	return etna.sandbox.apiRequests().map((request) => `${request.method} ${request.url}`);
}

describe('Create User', () => {
	it('looks the Login up, then creates the user, enabled, with the invitation email, and outputs it with existing: false', async () => {
		const result = await createUser([ROBERT]);

		expect(requests()).toEqual([
			'GET /api/v1.0/users?filter=Login%20%3D%20%27robert.techie%27&sortBy=Id&isDesc=false&pageNumber=0&pageSize=10',
			'POST /api/v1.0/users?sendInvitationEmail=true',
		]);
		expect(JSON.parse(etna.sandbox.apiRequests()[1].body)).toEqual({
			Enabled: true,
			FirstName: 'Robert',
			LastName: 'Techie',
			EmailAddress: 'robert@example.com',
			Login: 'robert.techie',
		});
		expect(result.main.map((item) => item.json)).toEqual([
			expect.objectContaining({ Id: 7003, Login: 'robert.techie', Enabled: true, existing: false }),
		]);
	});

	it('run twice with the same webhook body (a CRM retrying), makes one user: the retry returns it with existing: true and sends no create', async () => {
		const first = await createUser([ROBERT]);
		etna.sandbox.clearRequests();
		const retry = await createUser([{ ...ROBERT, login: 'Robert.Techie' }]);

		expect(first.main[0].json).toMatchObject({ Id: 7003, existing: false });
		expect(retry.main[0].json).toMatchObject({ Id: 7003, Login: 'robert.techie', existing: true });
		expect(requests().filter((request) => request.startsWith('POST'))).toEqual([]);
		expect(
			etna.sandbox.model.directory.all().filter((user) => user.Login === 'robert.techie'),
		).toHaveLength(1);
	});

	it('with If Exists on Fail, refuses a Login ETNA has, naming the user, and creates nothing', async () => {
		const result = await createUser([{ ...ROBERT, login: 'jim.james' }], {
			onError: 'continueErrorOutput',
			options: { ifExists: 'fail' },
		});

		expect(result.errorOutput[0].json).toEqual({
			error: 'Item 1: ETNA already has a user with Login jim.james (ID 7001): no user was created.',
			message: expect.stringMatching(
				/^Outcome: not sent \(nothing reached ETNA\)\. If Exists is on Fail/,
			),
			details: expect.objectContaining({ login: 'jim.james', userId: 7001, outcome: 'notSent' }),
		});
		expect(requests().filter((request) => request.startsWith('POST'))).toEqual([]);
	});

	it('takes a Login made meanwhile (ETNA answers 409) as the existing user with Return Existing', async () => {
		etna.sandbox.model.directory.create(
			{
				FirstName: 'Robert',
				Middle: '',
				LastName: 'Techie',
				EmailAddress: 'robert@example.com',
				Login: 'robert.techie',
				Salutation: 'NoSalutation',
				Suffix: 'NoSuffix',
				Enabled: true,
				TimeZoneInfoId: '',
				ExpirationDate: null,
				PhoneNumber: '',
				EntitlementsPhoneNumber: '',
			},
			'2026-12-01T00:00:00Z',
		);
		// The lookup misses it once (another run made it between the lookup and the create).
		etna.sandbox.addFault({
			endpoint: 'users',
			times: 1,
			fault: { kind: 'status', status: 200, body: { Result: [], TotalCount: 0 } },
		});

		const result = await createUser([ROBERT]);

		expect(result.main[0].json).toMatchObject({ Id: 7003, existing: true });
		expect(requests().filter((request) => request.startsWith('POST'))).toHaveLength(1);
	});

	it("words ETNA's 409 for a taken Login as a conflict, quoting ETNA's reasons", async () => {
		etna.sandbox.addFault({
			endpoint: 'users',
			times: 1,
			fault: { kind: 'status', status: 200, body: { Result: [], TotalCount: 0 } },
		});

		const result = await createUser([{ ...ROBERT, login: 'ann.lee' }], {
			onError: 'continueErrorOutput',
			options: { ifExists: 'fail' },
		});

		expect(result.errorOutput[0].json.error).toBe(
			`ETNA refused creating user ann.lee for a conflict (HTTP 409). ETNA said: "Login 'ann.lee' is already taken."`,
		);
		expect(result.errorOutput[0].json.message).toMatch(
			/^Outcome: rejected .* choose another Login/,
		);
	});

	it('says a server error leaves the outcome unknown, moves no money, and that running it again is safe', async () => {
		etna.sandbox.addFault({ endpoint: 'createUser', fault: { kind: 'status', status: 502 } });

		const result = await createUser([ROBERT], { onError: 'continueErrorOutput' });

		expect(result.errorOutput[0].json).toMatchObject({
			error:
				'ETNA answered with a server error (HTTP 502): the outcome of creating user robert.techie is unknown.',
			message:
				'Outcome: unknown (ETNA may have made the change; no money moved). A server error can come after the money moved. Running it again is safe: Create User looks the Login up first and returns the user if it was made.',
		});
	});

	it.each([
		[{ login: '' }, 'Item 1: Login is empty: it must be a text of 1 to 100 characters on one line'],
		[
			{ login: 'robert techie' },
			'Item 1: Login "robert techie" is not valid: it must be a text without spaces, quotes or #, e.g. robert.techie',
		],
		[
			{ login: "o'neil" },
			`Item 1: Login "o'neil" is not valid: it must be a text without quotes or # (the node finds it by Login in ETNA's filter, which cannot carry them)`,
		],
		[
			{ firstName: '  ' },
			'Item 1: First Name is empty: it must be a text of 1 to 100 characters on one line',
		],
		[
			{ email: 'robert' },
			'Item 1: Email "robert" is not valid: it must be an email address, e.g. robert@example.com',
		],
	])('refuses %j before any request, naming the field', async (change, message) => {
		const result = await createUser([{ ...ROBERT, ...change }]);

		expect(result.nodeError?.message).toBe(message);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('sends the optional fields the workflow added, as ETNA names them', async () => {
		await runOperation(
			etna,
			create,
			{
				...ROBERT,
				additionalFields: {
					middleName: 'Q',
					salutation: 'Dr',
					suffix: 'Third',
					enabled: false,
					timeZone: 'Eastern Standard Time',
					expirationDate: '2027-12-31T00:00:00Z',
					phoneNumber: '+15550199',
				},
			},
			[{}],
			{ options: {} },
		);

		expect(JSON.parse(etna.sandbox.apiRequests()[1].body)).toEqual({
			Enabled: false,
			Middle: 'Q',
			Salutation: 'Dr',
			Suffix: 'Third',
			TimeZoneInfoId: 'Eastern Standard Time',
			ExpirationDate: '2027-12-31T00:00:00.000Z',
			PhoneNumber: '+15550199',
			FirstName: 'Robert',
			LastName: 'Techie',
			EmailAddress: 'robert@example.com',
			Login: 'robert.techie',
		});
	});
});
