import type { INodeProperties } from 'n8n-workflow';

import * as addUser from './addUser.operation';
import * as create from './create.operation';
import * as deposit from './deposit.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getBalance from './getBalance.operation';
import * as getUsers from './getUsers.operation';
import * as removeUser from './removeUser.operation';
import * as update from './update.operation';
import * as withdraw from './withdraw.operation';

export {
	addUser,
	create,
	deposit,
	get,
	getAll,
	getBalance,
	getUsers,
	removeUser,
	update,
	withdraw,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tradingAccount'] } },
		options: [
			{
				name: 'Add User',
				value: 'addUser',
				description: 'Give a user access to a trading account, at the level you name',
				action: 'Add a user to a trading account',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a trading account, or return the one with this Clearing Account',
				action: 'Create a trading account',
			},
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
				name: 'Get Users',
				value: 'getUsers',
				description: 'List the users who may use a trading account, with the access of each',
				action: 'Get the users of a trading account',
			},
			{
				name: 'Remove User',
				value: 'removeUser',
				description: "Take a user's access to a trading account away; outputs who still has access",
				action: 'Remove a user from a trading account',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change the settings you choose of a trading account (never its money); everything else stays as it is',
				action: 'Update a trading account',
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
	...create.description,
	...update.description,
	...addUser.description,
	...removeUser.description,
	...getUsers.description,
];
