import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read one order of a trading account',
				action: 'Get an order',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List a trading account's orders, with ETNA filters and sorting",
				action: 'Get many orders of a trading account',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
];
