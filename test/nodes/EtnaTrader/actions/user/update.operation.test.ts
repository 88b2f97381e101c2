// User > Update: ETNA's PUT takes the whole model and resets what it leaves out, so the node reads
// the user, changes only the chosen fields and sends the rest back as it was.
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const update = { resource: 'user', operation: 'update' };

describe('Update user', () => {
	it('changes only the chosen field: everything else ETNA had is sent back, and stays', async () => {
		const before = { ...etna.sandbox.model.directory.get(7002) };

		const result = await runOperation(
			etna,
			update,
			{ userId: 7002, updateFields: { lastName: 'Lee-Smith' } },
			[{}],
		);

		expect(etna.sandbox.apiRequests().map((request) => `${request.method} ${request.url}`)).toEqual(
			['GET /api/v1.0/users/7002', 'PUT /api/v1.0/users/7002?sendInvitationEmail=false'],
		);
		expect(etna.sandbox.model.directory.get(7002)).toEqual({ ...before, LastName: 'Lee-Smith' });
		expect(result.main[0].json).toMatchObject({
			Id: 7002,
			LastName: 'Lee-Smith',
			Middle: 'K',
			Enabled: true,
			userId: 7002,
		});
	});

	it('sends no Id, AddedDate or Deleted: only the fields the PUT writes', async () => {
		await runOperation(etna, update, { userId: 7001, updateFields: { enabled: false } }, [{}]);

		expect(Object.keys(JSON.parse(etna.sandbox.apiRequests()[1].body)).sort()).toEqual([
			'EmailAddress',
			'Enabled',
			'EntitlementsPhoneNumber',
			'ExpirationDate',
			'FirstName',
			'LastName',
			'Login',
			'Middle',
			'PhoneNumber',
			'Salutation',
			'Suffix',
			'TimeZoneInfoId',
		]);
		expect(etna.sandbox.model.directory.get(7001)).toMatchObject({
			Enabled: false,
			Salutation: 'Mr',
			PhoneNumber: '+15550100',
		});
	});

	it('refuses an update that changes nothing, before any request', async () => {
		const result = await runOperation(etna, update, { userId: 7001, updateFields: {} }, [{}]);

		expect(result.nodeError?.message).toBe(
			'Item 1: Update Fields is empty: add at least one field to change',
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('says no such user, and sends no PUT, for an unknown user', async () => {
		const result = await runOperation(
			etna,
			update,
			{ userId: 9999, updateFields: { firstName: 'X' } },
			[{}],
			{
				onError: 'continueErrorOutput',
			},
		);

		expect(result.errorOutput[0].json.error).toMatch(/^ETNA has no such user 9999 \(HTTP 409\)/);
		expect(result.errorOutput[0].json.message).toMatch(
			/^Outcome: not sent .* User 9999 was not changed\.$/,
		);
		expect(etna.sandbox.apiRequests().map((request) => request.method)).toEqual(['GET']);
	});

	it('refuses a bad email among the changes before any request, naming the field', async () => {
		const result = await runOperation(
			etna,
			update,
			{ userId: 7001, updateFields: { email: 'nope' } },
			[{}],
		);

		expect(result.nodeError?.message).toBe(
			'Item 1: Email "nope" is not valid: it must be an email address, e.g. robert@example.com',
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});
