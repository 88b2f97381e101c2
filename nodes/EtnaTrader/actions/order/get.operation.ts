import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { allChecked, checkAccountId, checkOrderId } from '../../helpers/validation';
import { accountIdField, readOptions } from '../shared/descriptions';
import { parameterOf } from '../shared/items';
import { readEach, type Read } from '../shared/readEach';
import { readRecord } from '../shared/records';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['get'] } },
	[
		accountIdField('the order belongs to'),
		{
			displayName: 'Order ID',
			name: 'orderId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 73552',
			description: "ETNA's ID of the order",
		},
		readOptions,
	],
);

/** GET /accounts/{id}/orders/{orderId}: the order as ETNA gives it, plus accountId. */
const order: Read<Record<string, unknown>, { accountId: number; orderId: number }> = {
	read: (context, itemIndex) => ({
		accountId: parameterOf(context, 'accountId', itemIndex),
		orderId: parameterOf(context, 'orderId', itemIndex),
	}),
	check: (given) =>
		allChecked({
			accountId: checkAccountId(given.accountId),
			orderId: checkOrderId(given.orderId),
		}),
	shown: (given) => ({ accountId: given.accountId, orderId: given.orderId }),
	async run(context, connection, { accountId, orderId, timeoutMs }) {
		const read = await readRecord(context, connection, 'order', {
			params: { accountId, orderId },
			timeoutMs,
		});
		if (read.ok) return { ok: true, records: [read.value], added: { accountId } };
		return {
			ok: false,
			reply: read.reply,
			subject: {
				kind: 'read',
				what: `order ${orderId} of account ${accountId}`,
				accountId,
				orderId,
			},
		};
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, order);
}
