import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as tradingAccount from './actions/tradingAccount';

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
		subtitle:
			'={{ ({ withdraw: "Withdraw" })[$parameter["operation"]] || $parameter["operation"] }}',
		description: 'Move money in ETNA Trader trading accounts',
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
				],
				default: 'tradingAccount',
			},
			...tradingAccount.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
