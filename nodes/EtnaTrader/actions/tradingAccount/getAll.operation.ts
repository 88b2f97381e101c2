import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { listOptions, returnAllAndLimit } from '../shared/descriptions';
import { listRead, type ListEndpoint } from '../shared/listRead';
import { readEach } from '../shared/readEach';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['getAll'] } },
	[...returnAllAndLimit, listOptions('Cash between 0 and 2500', 'Cash')],
);

/** GET /accounts: every trading account the administrator may see. */
const accounts: ListEndpoint = {
	perAccount: false,
	list: () => ({ kind: 'accounts' }),
	name: () => 'the account list',
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, listRead(accounts));
}
