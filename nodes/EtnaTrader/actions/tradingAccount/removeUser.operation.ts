import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { allChecked, checkAccountId, checkUserId } from '../../helpers/validation';
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
	writeEach,
	writeFailed,
	type Write,
	type WriteResult,
} from '../shared/writeEach';
import { relationUserId } from './accessFields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['removeUser'] } },
	[
		accountIdField('to take access from'),
		userIdField('who loses access'),
		writeReviewNotice('Remove User'),
		writeOptions("take users' access to trading accounts"),
	],
);

interface RemoveUserPlan {
	accountId: number;
	userId: number;
}

/** Outputs who still has access: `usersWithAccess`, the relations left on the account. */
const removeUser: Write<Record<string, unknown>, RemoveUserPlan> = {
	operation: 'Remove User',
	effect: 'changes who may use a trading account',
	read: (context, itemIndex) => ({
		accountId: parameterOf(context, 'accountId', itemIndex),
		userId: parameterOf(context, 'userId', itemIndex),
	}),
	check: (given) =>
		allChecked({ accountId: checkAccountId(given.accountId), userId: checkUserId(given.userId) }),
	shown: (given) => ({ accountId: given.accountId, userId: given.userId }),
	async run(context, connection, { accountId, userId, timeoutMs }): Promise<WriteResult> {
		const facts = { connection, timeoutMs, details: { accountId, userId } };
		const users = await readList(context, connection, 'accountUsers', {
			params: { accountId },
			timeoutMs,
		});
		if (!users.ok) {
			return readBeforeWriteFailed(
				users.reply,
				{ what: `the users of account ${accountId}`, accountId },
				`User ${userId}'s access was not removed.`,
				facts,
			);
		}
		// A user without access has nothing to remove: a re-run changes nothing.
		if (!users.value.some((relation) => relationUserId(relation) === userId)) {
			return {
				ok: true,
				changed: false,
				json: { accountId, userId, removed: false, usersWithAccess: users.value },
			};
		}
		const reply = await callRoute.call(context, connection, 'removeUser', {
			params: { accountId, userId },
			timeoutMs,
		});
		const left =
			reply.answered && reply.status >= 200 && reply.status < 300
				? recordsOf(reply.body)
				: undefined;
		if (left) {
			return {
				ok: true,
				changed: true,
				json: { accountId, userId, removed: true, usersWithAccess: left },
			};
		}
		return writeFailed(
			reply,
			{
				kind: 'write',
				what: `removing user ${userId}'s access to account ${accountId}`,
				accountId,
				userId,
				retryAdvice: "Running it again is safe: Remove User reads the account's users first.",
			},
			facts,
		);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await writeEach.call(this, removeUser);
}
