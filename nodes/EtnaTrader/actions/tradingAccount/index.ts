import type { INodeProperties } from 'n8n-workflow';

import * as deposit from './deposit.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getBalance from './getBalance.operation';
import * as withdraw from './withdraw.operation';

export { deposit, get, getAll, getBalance, withdraw };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tradingAccount'] } },
		options: [
			{
				name: 'Deposit',
				value: 'deposit',
				description: "Add funds to a trading account's cash",
				action: 'Deposit funds to a trading account',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					"Get a trading account's record: status, cash, currency, margin type and settings",
				action: 'Get a trading account',
			},
			{
				name: 'Get Balance',
				value: 'getBalance',
				description:
					"Read a trading account's balance: cash, excess (what may be withdrawn), pending cash",
				action: 'Get the balance of a trading account',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List trading accounts, with ETNA filters and sorting',
				action: 'Get many trading accounts',
			},
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
	...deposit.description,
	...get.description,
	...getBalance.description,
	...getAll.description,
];
