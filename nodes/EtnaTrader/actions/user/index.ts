import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAccounts from './getAccounts.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, get, getAccounts, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a user in ETNA, or return the one with this Login',
				action: 'Create a user',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read a user as ETNA gives it',
				action: 'Get a user',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List the company's users, with ETNA filters and sorting",
				action: 'Get many users',
			},
			{
				name: 'Get Trading Accounts',
				value: 'getAccounts',
				description: 'List the trading accounts a user may use, with the access to each',
				action: 'Get the trading accounts of a user',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the fields you choose of a user; everything else stays as it is',
				action: 'Update a user',
			},
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...getAccounts.description,
];
