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
		displayOptions: { show: { resource: ['position'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: "Read a trading account's position in one symbol",
				action: 'Get a position by symbol',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List a trading account's positions, with ETNA filters and sorting",
				action: 'Get many positions of a trading account',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
];
