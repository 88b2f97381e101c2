// Who may use an account: GET /accounts/{id}/users, PUT /accounts/{id}/users/{userId}?accessType=
// (required) and DELETE /accounts/{id}/users/{userId}. The answers are UserToAccountRelationModel,
// whose user fields are named apart from UserModel's (UserId, MiddleName, Email). The PUT answers
// every relation of the account, as the docs' page shows it (inside an array); the DELETE those left.
import { answer, refusal, type ApiAnswer } from '../http';
import type { SandboxModel } from '../model';
import { ACCESS_TYPES, type AccessType } from '../records';
import { accountOf, userOf, type ApiCall, type SandboxContext } from './context';

const USER_SEGMENT = 4;

function relationsOf(model: SandboxModel, accountId: number): unknown[] {
	return model.directory.accessTo(accountId).flatMap((access) => {
		const user = model.directory.get(access.userId);
		if (!user) return [];
		return [
			{
				UserModel: {
					UserId: user.Id,
					FirstName: user.FirstName,
					MiddleName: user.Middle,
					LastName: user.LastName,
					Login: user.Login,
					Email: user.EmailAddress,
					AddedDate: user.AddedDate,
					Salutation: user.Salutation,
					Suffix: user.Suffix,
				},
				AccountAccessType: access.accessType,
			},
		];
	});
}

export function accountUsers(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	return answer(200, relationsOf(context.model, found.account.Id));
}

export function addUser(context: SandboxContext, call: ApiCall): ApiAnswer {
	const account = accountOf(context, call);
	if ('refused' in account) return account.refused;
	const user = userOf(context, call, USER_SEGMENT);
	if ('refused' in user) return user.refused;
	const accessType = call.url.searchParams.get('accessType') ?? '';
	if (!(ACCESS_TYPES as readonly string[]).includes(accessType)) {
		return refusal(422, `The value '${accessType}' is not valid for accessType.`);
	}
	const { directory } = context.model;
	directory.grant(account.account.Id, user.user.Id, accessType as AccessType);
	return answer(200, relationsOf(context.model, account.account.Id));
}

export function removeUser(context: SandboxContext, call: ApiCall): ApiAnswer {
	const account = accountOf(context, call);
	if ('refused' in account) return account.refused;
	const user = userOf(context, call, USER_SEGMENT);
	if ('refused' in user) return user.refused;
	context.model.directory.revoke(account.account.Id, user.user.Id);
	return answer(200, relationsOf(context.model, account.account.Id));
}
