import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { accountIdField, listOptions, returnAllAndLimit } from '../shared/descriptions';
import { listRead, type ListEndpoint } from '../shared/listRead';
import { readEach } from '../shared/readEach';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['getAll'] } },
	[
		accountIdField('whose orders to read'),
		...returnAllAndLimit,
		listOptions('CreateDate >= #2026-11-25T00:00:00Z#', 'CreateDate'),
	],
);

/** GET /accounts/{id}/orders: sorted with `sortField`/`desc`, in pages of at most 100. */
const orders: ListEndpoint = {
	perAccount: true,
	list: (accountId) => ({ kind: 'orders', accountId: accountId ?? 0 }),
	name: (accountId) => `the orders of account ${accountId}`,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, listRead(orders));
}
