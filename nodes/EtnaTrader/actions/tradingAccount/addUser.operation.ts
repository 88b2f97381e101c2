import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { allChecked, checkAccountId, checkOneOf, checkUserId } from '../../helpers/validation';
import { callRoute } from '../../transport';
import {
	accountIdField,
	userIdField,
	writeOptions,
	writeReviewNotice,
} from '../shared/descriptions';
import { parameterOf } from '../shared/items';
import { readList, recordsOf } from '../shared/records';
import {
	readBeforeWriteFailed,
	refusedItem,
	writeEach,
	writeFailed,
	type Write,
	type WriteResult,
} from '../shared/writeEach';
import { ACCESS_NAMES, ACCESS_TYPES, relationUserId, type AccessType } from './accessFields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['addUser'] } },
	[
		accountIdField('to give access to'),
		userIdField('who gets access'),
		{
			displayName: 'Access',
			name: 'accessType',
			type: 'options',
			required: true,
			options: ACCESS_TYPES.map((value) => ({ name: ACCESS_NAMES[value], value })),
			// No level by default: access is power over money, so the workflow names it.
			default: '',
			description:
				'What the user may do with the account. A user who already has this access is left as is; one with another level is refused (Remove User first).',
		},
		writeReviewNotice('Add User'),
		writeOptions('give users access to trading accounts'),
	],
);

interface AddUserPlan {
	accountId: number;
	userId: number;
	accessType: AccessType;
}

const addUser: Write<Record<string, unknown>, AddUserPlan> = {
	operation: 'Add User',
	effect: 'changes who may use a trading account',
	read: (context, itemIndex) => ({
		accountId: parameterOf(context, 'accountId', itemIndex),
		userId: parameterOf(context, 'userId', itemIndex),
		accessType: parameterOf(context, 'accessType', itemIndex, ''),
	}),
	check: (given) =>
		allChecked({
			accountId: checkAccountId(given.accountId),
			userId: checkUserId(given.userId),
			accessType: checkOneOf(given.accessType, 'accessType', 'Access', ACCESS_TYPES),
		}),
	shown: (given) => ({
		accountId: given.accountId,
		userId: given.userId,
		accessType: given.accessType,
	}),
	async run(context, connection, plan, itemIndex): Promise<WriteResult> {
		const { accountId, userId, accessType, timeoutMs } = plan;
		const facts = { connection, timeoutMs, details: { accountId, userId, accessType } };
		// Looked at first, so a re-run finds the access it gave and changes nothing.
		const users = await readList(context, connection, 'accountUsers', {
			params: { accountId },
			timeoutMs,
		});
		if (!users.ok) {
			return readBeforeWriteFailed(
				users.reply,
				{ what: `the users of account ${accountId}`, accountId },
				`User ${userId} was not given access.`,
				facts,
			);
		}
		const held = users.value.find((relation) => relationUserId(relation) === userId);
		if (held) {
			if (held.AccountAccessType === accessType) {
				return { ok: true, changed: false, json: { ...held, accountId, userId, existing: true } };
			}
			return refusedItem(
				itemIndex,
				`user ${userId} already has ${describeAccess(held.AccountAccessType)} access to account ${accountId}, not ${ACCESS_NAMES[accessType]}: nothing was changed.`,
				`Add User does not change an access a user has. To change it, run Remove User, then Add User with ${ACCESS_NAMES[accessType]}.`,
				facts.details,
			);
		}
		const reply = await callRoute.call(context, connection, 'addUser', {
			params: { accountId, userId },
			query: { accessType },
			timeoutMs,
		});
		const relations =
			reply.answered && reply.status >= 200 && reply.status < 300
				? recordsOf(reply.body)
				: undefined;
		if (relations) {
			const given: IDataObject = relations.find(
				(relation) => relationUserId(relation) === userId,
			) ?? {
				AccountAccessType: accessType,
			};
			return { ok: true, changed: true, json: { ...given, accountId, userId, existing: false } };
		}
		return writeFailed(
			reply,
			{
				kind: 'write',
				what: `giving user ${userId} ${ACCESS_NAMES[accessType]} access to account ${accountId}`,
				accountId,
				userId,
				retryAdvice:
					"Running it again is safe: Add User reads the account's users first and gives nothing twice.",
			},
			facts,
		);
	},
};

function describeAccess(level: unknown): string {
	return ACCESS_TYPES.find((known) => known === level)
		? ACCESS_NAMES[level as AccessType]
		: String(level);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await writeEach.call(this, addUser);
}
