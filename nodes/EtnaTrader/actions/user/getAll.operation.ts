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
	{ show: { resource: ['user'], operation: ['getAll'] } },
	[...returnAllAndLimit, listOptions("Login = 'robert.techie'", 'AddedDate')],
);

/** GET /users: the company's users, sorted with `sortBy`/`isDesc`. */
const users: ListEndpoint = {
	perAccount: false,
	list: () => ({ kind: 'users' }),
	name: () => 'the user list',
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, listRead(users));
}
