import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as tradingAccount from './actions/tradingAccount';

// Deliberately not `usableAsTool`: an AI agent must not be able to decide to move a client's
// money, so the node is not offered as a tool.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class EtnaTrader implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ETNA Trader',
		name: 'etnaTrader',
		icon: { light: 'file:etnaTrader.svg', dark: 'file:etnaTrader.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
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
