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
	checkSomeChange,
	checkUserId,
	mapChecked,
} from '../../helpers/validation';
import { callRoute, wholeModelOf } from '../../transport';
import { userIdField, writeOptions, writeReviewNotice } from '../shared/descriptions';
import { isJsonObject, parameterOf } from '../shared/items';
import { readRecord } from '../shared/records';
import {
	readBeforeWriteFailed,
	writeEach,
	writeFailed,
	type Write,
	type WriteResult,
} from '../shared/writeEach';
import { userChangesOf, userFieldOptions } from './userFields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['update'] } },
	[
		userIdField('to change'),
		{
			displayName: 'Send Invitation Email',
			name: 'sendInvitationEmail',
			type: 'boolean',
			default: false,
			description: 'Whether ETNA emails the user an invitation again after the change',
		},
		writeReviewNotice('Update User'),
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description:
				'Only the fields added here change: the node reads the user first and sends everything else back as ETNA has it',
			options: userFieldOptions(true),
		},
		writeOptions('change users'),
	],
);

interface UpdateUserPlan {
	userId: number;
	sendInvitationEmail: boolean;
	changes: IDataObject;
}

const updateUser: Write<Record<string, unknown>, UpdateUserPlan> = {
	operation: 'Update User',
	effect: "changes ETNA's users",
	read: (context, itemIndex) => ({
		userId: parameterOf(context, 'userId', itemIndex),
		sendInvitationEmail: parameterOf(context, 'sendInvitationEmail', itemIndex, false),
		updateFields: parameterOf(context, 'updateFields', itemIndex, {}),
		timeZone: context.getTimezone(),
	}),
	check: (given) => {
		const fields = isJsonObject(given.updateFields) ? given.updateFields : {};
		return andThen(
			allChecked({
				userId: checkUserId(given.userId),
				sendInvitationEmail: checkBoolean(
					given.sendInvitationEmail,
					'sendInvitationEmail',
					'Send Invitation Email',
				),
			}),
			(checked) =>
				mapChecked(
					andThen(userChangesOf(fields, String(given.timeZone)), (changes) =>
						checkSomeChange(changes),
					),
					(changes) => ({ ...checked, changes }),
				),
		);
	},
	shown: (given) => ({ userId: given.userId }),
	async run(context, connection, plan): Promise<WriteResult> {
		const { userId, timeoutMs } = plan;
		const facts = { connection, timeoutMs, details: { userId } };
		// ETNA's PUT takes the whole model: read it, change only the chosen fields, send it all.
		const current = await readRecord(context, connection, 'user', {
			params: { userId },
			timeoutMs,
		});
		if (!current.ok) {
			return readBeforeWriteFailed(
				current.reply,
				{ what: `user ${userId}`, userId },
				`User ${userId} was not changed.`,
				facts,
			);
		}
		const model = wholeModelOf('updateUser', current.value, plan.changes);
		if (!model.ok) throw new Error('A user has no money fields');
		const reply = await callRoute.call(context, connection, 'updateUser', {
			params: { userId },
			query: { sendInvitationEmail: String(plan.sendInvitationEmail) },
			body: model.body,
			timeoutMs,
		});
		if (reply.answered && reply.status >= 200 && reply.status < 300 && isJsonObject(reply.body)) {
			return { ok: true, changed: true, json: { ...reply.body, userId } };
		}
		return writeFailed(
			reply,
			{
				kind: 'write',
				what: `changing user ${userId}`,
				userId,
				retryAdvice: 'Running it again is safe: it reads the user and sets the same values again.',
			},
			facts,
		);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await writeEach.call(this, updateUser);
}
