import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { checkAccountId, mapChecked } from '../../helpers/validation';
import { accountIdField, readOptions } from '../shared/descriptions';
import { parameterOf } from '../shared/items';
import { readEach, type Read } from '../shared/readEach';
import { readList } from '../shared/records';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['getUsers'] } },
	[accountIdField('whose users to list'), readOptions],
);

/** GET /accounts/{id}/users: one item per user with access, as ETNA gives it, plus accountId. */
const accountUsers: Read<{ accountId: unknown }, { accountId: number }> = {
	read: (context, itemIndex) => ({ accountId: parameterOf(context, 'accountId', itemIndex) }),
	check: (given) => mapChecked(checkAccountId(given.accountId), (accountId) => ({ accountId })),
	shown: (given) => given,
	async run(context, connection, { accountId, timeoutMs }) {
		const read = await readList(context, connection, 'accountUsers', {
			params: { accountId },
			timeoutMs,
		});
		if (read.ok) return { ok: true, records: read.value, added: { accountId } };
		return {
			ok: false,
			reply: read.reply,
			subject: { kind: 'read', what: `the users of account ${accountId}`, accountId },
		};
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, accountUsers);
}
