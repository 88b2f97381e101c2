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
	{ show: { resource: ['position'], operation: ['getAll'] } },
	[
		accountIdField('whose positions to read'),
		...returnAllAndLimit,
		listOptions("Symbol = 'AAPL'", 'Quantity'),
	],
);

/** GET /accounts/{id}/positions: sorted with `sortField`/`desc`, in pages of at most 99. */
const positions: ListEndpoint = {
	perAccount: true,
	list: (accountId) => ({ kind: 'positions', accountId: accountId ?? 0 }),
	name: (accountId) => `the positions of account ${accountId}`,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, listRead(positions));
}
