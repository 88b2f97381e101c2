// The user endpoints: GET /users (paged, filtered), GET /users/{id}, POST /users, PUT
// /users/{id} (the whole model: a field left out is reset) and GET /users/{id}/accounts.
// `sendInvitationEmail` is required on the writes and every required body field is checked
// before this (contract.ts); an unknown user is ETNA's documented 409, a taken Login a 409 with a
// list of reasons.
import { readBooleanParameter, QueryError, type FieldSchema } from '../filters';
import { answer, refusal, type ApiAnswer } from '../http';
import { userFieldsOf, type UserFields } from '../directory';
import { SALUTATIONS, SUFFIXES } from '../records';
import { bodyOf, userOf, type ApiCall, type SandboxContext } from './context';
import { listAnswer } from './lists';

/** The list's fields, for `filter` and `sortBy`. */
export const USER_FIELDS: FieldSchema = {
	Id: 'number',
	FirstName: 'string',
	Middle: 'string',
	LastName: 'string',
	EmailAddress: 'string',
	Login: 'string',
	Salutation: 'string',
	Suffix: 'string',
	AddedDate: 'date',
	Enabled: 'boolean',
	Deleted: 'boolean',
	TimeZoneInfoId: 'string',
	PhoneNumber: 'string',
	EntitlementsPhoneNumber: 'string',
};

const USER_TEXT_FIELDS = [
	'FirstName',
	'Middle',
	'LastName',
	'EmailAddress',
	'Login',
	'TimeZoneInfoId',
	'PhoneNumber',
	'EntitlementsPhoneNumber',
] as const;

/** What is wrong with a body's values (the web API's validation), or undefined. */
function invalidUserFields(fields: UserFields): string | undefined {
	for (const name of USER_TEXT_FIELDS) {
		if (typeof fields[name] !== 'string') return `The value of ${name} is not valid.`;
	}
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.EmailAddress)) {
		return 'The EmailAddress field is not a valid e-mail address.';
	}
	if (!(SALUTATIONS as readonly string[]).includes(fields.Salutation)) {
		return `The value '${fields.Salutation}' is not valid for Salutation.`;
	}
	if (!(SUFFIXES as readonly string[]).includes(fields.Suffix)) {
		return `The value '${fields.Suffix}' is not valid for Suffix.`;
	}
	if (typeof fields.Enabled !== 'boolean') return 'The value of Enabled is not valid.';
	if (fields.ExpirationDate !== null && Number.isNaN(Date.parse(String(fields.ExpirationDate)))) {
		return 'The value of ExpirationDate is not valid.';
	}
	return undefined;
}

function loginTaken(login: string): ApiAnswer {
	return answer(409, [`Login '${login}' is already taken.`]);
}

export function listUsers(context: SandboxContext, { url }: ApiCall): ApiAnswer {
	return listAnswer(context, url, context.model.directory.all(), {
		fields: USER_FIELDS,
		sortField: 'sortBy',
		direction: { parameter: 'isDesc', trueMeansDescending: true },
		noLink: '',
	});
}

export function getUser(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = userOf(context, call, 2);
	return 'refused' in found ? found.refused : answer(200, found.user);
}

/** Reads `sendInvitationEmail` (its presence is checked before): true or false. */
function invitationFlag(call: ApiCall): ApiAnswer | undefined {
	try {
		readBooleanParameter(call.url, 'sendInvitationEmail');
		return undefined;
	} catch (error) {
		if (error instanceof QueryError) return refusal(422, error.message);
		throw error;
	}
}

export function createUser(context: SandboxContext, call: ApiCall): ApiAnswer {
	const flag = invitationFlag(call);
	if (flag) return flag;
	const parsed = bodyOf(call);
	if ('refused' in parsed) return parsed.refused;
	const fields = userFieldsOf(parsed.body);
	const invalid = invalidUserFields(fields);
	if (invalid) return refusal(422, invalid);
	const { directory, clock } = context.model;
	if (directory.byLogin(fields.Login)) return loginTaken(fields.Login);
	return answer(200, directory.create(fields, new Date(clock.now()).toISOString()));
}

export function updateUser(context: SandboxContext, call: ApiCall): ApiAnswer {
	const flag = invitationFlag(call);
	if (flag) return flag;
	const found = userOf(context, call, 2);
	if ('refused' in found) return found.refused;
	const parsed = bodyOf(call);
	if ('refused' in parsed) return parsed.refused;
	const fields = userFieldsOf(parsed.body);
	const invalid = invalidUserFields(fields);
	if (invalid) return refusal(422, invalid);
	const { directory } = context.model;
	if (directory.byLogin(fields.Login, found.user.Id)) return loginTaken(fields.Login);
	return answer(200, directory.replace(found.user.Id, fields));
}

/** UserAccountModel: the accounts a user may use, with the access to each. */
export function userAccounts(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = userOf(context, call, 2);
	if ('refused' in found) return found.refused;
	const { model } = context;
	return answer(
		200,
		model.directory.accessOf(found.user.Id).flatMap((access) => {
			const account = model.accounts.get(access.accountId);
			return account
				? [
						{
							Id: account.Id,
							ClearingAccount: account.ClearingAccount,
							AccessType: access.accessType,
							MarginType: account.MarginType,
							Enabled: account.Enabled,
						},
					]
				: [];
		}),
	);
}
