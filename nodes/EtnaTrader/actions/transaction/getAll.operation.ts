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
	{ show: { resource: ['transaction'], operation: ['getAll'] } },
	[
		accountIdField('whose transactions to read'),
		...returnAllAndLimit,
		listOptions("Type = 'Payment' and Date >= #2026-11-25T02:00:00Z#", 'Date'),
	],
);

/** GET /accounts/{id}/transactions: the account's ledger, where every payment in or out shows. */
const transactions: ListEndpoint = {
	perAccount: true,
	list: (accountId) => ({ kind: 'transactions', accountId: accountId ?? 0 }),
	name: (accountId) => `the transactions of account ${accountId}`,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, listRead(transactions));
}
