import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	allChecked,
	andThen,
	checkBoolean,
	checkEmail,
	checkIfExists,
	checkLogin,
	checkText,
	type IfExists,
	mapChecked,
} from '../../helpers/validation';
import { callRoute } from '../../transport';
import { ifExistsOption, writeOptions, writeReviewNotice } from '../shared/descriptions';
import { isJsonObject, parameterOf } from '../shared/items';
import { usersWithLogin } from '../shared/records';
import {
	readBeforeWriteFailed,
	refusedItem,
	writeEach,
	writeFailed,
	type Write,
	type WriteResult,
} from '../shared/writeEach';
import { emailField, userChangesOf, userFieldOptions } from './userFields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	[
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. robert.techie',
			description:
				"The user's login in ETNA, unique: Create looks it up first, so a retry makes no second user. No spaces, quotes or #.",
		},
		{
			displayName: 'First Name',
			name: 'firstName',
			type: 'string',
			required: true,
			default: '',
		},
		{
			displayName: 'Last Name',
			name: 'lastName',
			type: 'string',
			required: true,
			default: '',
		},
		{ ...emailField, required: true },
		{
			displayName: 'Send Invitation Email',
			name: 'sendInvitationEmail',
			type: 'boolean',
			default: true,
			description:
				'Whether ETNA emails the new user an invitation. ETNA takes no password: the invitation (or a password reset) is how the user gets in.',
		},
		writeReviewNotice('Create User'),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: userFieldOptions(false),
		},
		writeOptions('create users', [ifExistsOption('user', 'Login')]),
	],
);

interface CreateUserPlan {
	login: string;
	sendInvitationEmail: boolean;
	ifExists: IfExists;
	body: IDataObject;
}

const createUser: Write<Record<string, unknown>, CreateUserPlan> = {
	operation: 'Create User',
	effect: "changes ETNA's users",
	read: (context, itemIndex, options) => ({
		login: parameterOf(context, 'login', itemIndex),
		firstName: parameterOf(context, 'firstName', itemIndex),
		lastName: parameterOf(context, 'lastName', itemIndex),
		email: parameterOf(context, 'email', itemIndex),
		sendInvitationEmail: parameterOf(context, 'sendInvitationEmail', itemIndex, true),
		additionalFields: parameterOf(context, 'additionalFields', itemIndex, {}),
		ifExists: options.ifExists,
		timeZone: context.getTimezone(),
	}),
	// Every field ETNA requires is checked here, so ETNA's bare 500 for a missing one never comes.
	check: (given) =>
		andThen(
			allChecked({
				login: checkLogin(given.login),
				firstName: checkText(given.firstName, 'firstName', 'First Name'),
				lastName: checkText(given.lastName, 'lastName', 'Last Name'),
				email: checkEmail(given.email),
				sendInvitationEmail: checkBoolean(
					given.sendInvitationEmail,
					'sendInvitationEmail',
					'Send Invitation Email',
				),
				ifExists: checkIfExists(given.ifExists),
			}),
			(checked) =>
				mapChecked(
					userChangesOf(
						isJsonObject(given.additionalFields) ? given.additionalFields : {},
						String(given.timeZone),
					),
					(additional) => ({
						login: checked.login,
						sendInvitationEmail: checked.sendInvitationEmail,
						ifExists: checked.ifExists,
						body: {
							// A user is made enabled unless the workflow says otherwise.
							Enabled: true,
							...additional,
							FirstName: checked.firstName,
							LastName: checked.lastName,
							EmailAddress: checked.email,
							Login: checked.login,
						},
					}),
				),
		),
	shown: (given) => ({ login: given.login }),
	async run(context, connection, plan, itemIndex): Promise<WriteResult> {
		const { login, timeoutMs } = plan;
		const facts = { connection, timeoutMs, details: { login } };
		const existing = await usersWithLogin(context, connection, login, timeoutMs);
		if (!existing.ok) {
			return readBeforeWriteFailed(
				existing.reply,
				{ what: `the users with Login ${login}` },
				`User ${login} was not created.`,
				facts,
			);
		}
		const [found] = existing.value;
		if (found) return existingUser(found, plan, itemIndex);
		const reply = await callRoute.call(context, connection, 'createUser', {
			query: { sendInvitationEmail: String(plan.sendInvitationEmail) },
			body: plan.body,
			timeoutMs,
		});
		if (reply.answered && reply.status >= 200 && reply.status < 300 && isJsonObject(reply.body)) {
			return { ok: true, changed: true, json: { ...reply.body, existing: false } };
		}
		// A 409 may be another run that made this Login meanwhile (a CRM retrying at once).
		if (reply.answered && reply.status === 409 && plan.ifExists === 'returnExisting') {
			const again = await usersWithLogin(context, connection, login, timeoutMs);
			if (again.ok && again.value[0]) return existingUser(again.value[0], plan, itemIndex);
		}
		return writeFailed(
			reply,
			{
				kind: 'write',
				what: `creating user ${login}`,
				retryAdvice:
					plan.ifExists === 'returnExisting'
						? 'Running it again is safe: Create User looks the Login up first and returns the user if it was made.'
						: 'Look the Login up (Get Many users) before you run it again: with If Exists on Fail, a user made by this run fails the retry.',
			},
			facts,
		);
	},
};

function existingUser(user: IDataObject, plan: CreateUserPlan, itemIndex: number): WriteResult {
	if (plan.ifExists === 'returnExisting') {
		return { ok: true, changed: false, json: { ...user, existing: true } };
	}
	return refusedItem(
		itemIndex,
		`ETNA already has a user with Login ${plan.login} (ID ${String(user.Id)}): no user was created.`,
		'If Exists is on Fail. Choose another Login, or set If Exists to Return Existing to go on with that user.',
		{ login: plan.login, userId: user.Id },
	);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await writeEach.call(this, createUser);
}
