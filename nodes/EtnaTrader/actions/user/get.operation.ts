import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { checkUserId, mapChecked } from '../../helpers/validation';
import { readOptions, userIdField } from '../shared/descriptions';
import { parameterOf } from '../shared/items';
import { readEach, type Read } from '../shared/readEach';
import { readRecord } from '../shared/records';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	[userIdField('to read'), readOptions],
);

/** GET /users/{userId}: the user as ETNA gives it, plus userId. */
const user: Read<{ userId: unknown }, { userId: number }> = {
	read: (context, itemIndex) => ({ userId: parameterOf(context, 'userId', itemIndex) }),
	check: (given) => mapChecked(checkUserId(given.userId), (userId) => ({ userId })),
	shown: (given) => given,
	async run(context, connection, { userId, timeoutMs }) {
		const read = await readRecord(context, connection, 'user', { params: { userId }, timeoutMs });
		if (read.ok) return { ok: true, records: [read.value], added: { userId } };
		return {
			ok: false,
			reply: read.reply,
			subject: { kind: 'read', what: `user ${userId}`, userId },
		};
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, user);
}
