import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as tradingAccount from './actions/tradingAccount';
import * as transaction from './actions/transaction';

export class EtnaTrader implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ETNA Trader',
		name: 'etnaTrader',
		icon: { light: 'file:etnaTrader.svg', dark: 'file:etnaTrader.dark.svg' },
		group: ['transform'],
		version: 1,
		// n8n's verification requires it; an agent gets the node only if a builder wires it in
		// (and the README asks for a human approval step before money moves).
		usableAsTool: true,
		// What the node's name (the action) does not say: whether it moves money, and its safety rails.
		// Generic: only the money operations have an Amount, so a new operation needs no edit here.
		subtitle:
			'={{ $parameter["amount"] === undefined ? "Reads only" : ($parameter["options"] && $parameter["options"]["dryRun"] ? "Dry run: sends nothing" : "Moves money" + ($parameter["options"] && $parameter["options"]["maxAmount"] ? ", at most " + $parameter["options"]["maxAmount"] + " per item" : "")) }}',
		description:
			'Move money in ETNA Trader trading accounts, and read accounts, balances and ledgers',
		defaults: {
			name: 'ETNA Trader',
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'etnaTraderApi',
				required: true,
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Trading Account',
						value: 'tradingAccount',
					},
					{
						name: 'Transaction',
						value: 'transaction',
					},
				],
				default: 'tradingAccount',
			},
			...tradingAccount.description,
			...transaction.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
