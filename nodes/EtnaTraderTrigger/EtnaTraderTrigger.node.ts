import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { triggerProperties } from './description';
import { pollEtna } from './poll';

export class EtnaTraderTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ETNA Trader Trigger',
		name: 'etnaTraderTrigger',
		icon: { light: 'file:etnaTrader.svg', dark: 'file:etnaTrader.dark.svg' },
		group: ['trigger'],
		version: 1,
		// n8n adds the Poll Times parameter (every minute by default).
		polling: true,
		subtitle:
			'={{ $parameter["event"] === "newAccount" ? "New trading account" : "New transaction" }}',
		description:
			'Starts a workflow when money lands in or leaves an ETNA Trader account, or an account opens',
		defaults: {
			name: 'ETNA Trader Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'etnaTraderApi',
				required: true,
			},
		],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollEtna.call(this);
	}
}
