import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as order from './actions/order';
import * as position from './actions/position';
import { router } from './actions/router';
import * as tradingAccount from './actions/tradingAccount';
import * as transaction from './actions/transaction';
import * as user from './actions/user';

export class EtnaTrader implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ETNA Trader',
		name: 'etnaTrader',
		icon: { light: 'file:etnaTrader.svg', dark: 'file:etnaTrader.dark.svg' },
		group: ['transform'],
		version: 1,
		// Every operation works as an AI Agent's tool; money operations only behind a person's
		// approval (helpers/agentTool.ts), unless Allow Without Human Review is on.
		usableAsTool: true,
		// What the node's name (the action) does not say: whether it moves money (and its rails),
		// changes ETNA's records, or only reads. Money operations have an Amount; the record writes
		// are named here.
		subtitle:
			'={{ ["create", "update", "addUser", "removeUser"].includes($parameter["operation"]) ? "Changes ETNA" + ($parameter["options"] && $parameter["options"]["allowWithoutHumanReview"] ? ", without human review" : "") : $parameter["amount"] === undefined ? "Reads only" : ($parameter["options"] && $parameter["options"]["dryRun"] ? "Dry run: sends nothing" : ($parameter["operation"] === "deposit" ? "Puts money in" : "Takes money out") + ($parameter["options"] && $parameter["options"]["maxAmount"] ? ", at most " + $parameter["options"]["maxAmount"] + " per item" : "") + ($parameter["options"] && $parameter["options"]["allowWithoutHumanReview"] ? ", without human review" : "")) }}',
		description:
			'Move money in ETNA Trader trading accounts, onboard users and accounts, and read accounts, balances, ledgers, positions and orders',
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
						name: 'Order',
						value: 'order',
					},
					{
						name: 'Position',
						value: 'position',
					},
					{
						name: 'Trading Account',
						value: 'tradingAccount',
					},
					{
						name: 'Transaction',
						value: 'transaction',
					},
					{
						name: 'User',
						value: 'user',
					},
				],
				default: 'tradingAccount',
			},
			...tradingAccount.description,
			...transaction.description,
			...user.description,
			...position.description,
			...order.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
