import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transaction'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List a trading account's transactions (its ledger)",
				action: 'Get many transactions of a trading account',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
