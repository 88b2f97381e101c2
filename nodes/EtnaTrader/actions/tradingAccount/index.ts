import type { INodeProperties } from 'n8n-workflow';

import * as withdraw from './withdraw.operation';

export { withdraw };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tradingAccount'] } },
		options: [
			{
				name: 'Withdraw',
				value: 'withdraw',
				description: "Withdraw funds from a trading account's cash",
				action: 'Withdraw funds from a trading account',
			},
		],
		default: 'withdraw',
	},
	...withdraw.description,
];
