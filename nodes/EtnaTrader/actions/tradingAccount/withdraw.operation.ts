import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MAX_ACCOUNT_ID } from '../../helpers/validation';
import { moveMoney, type MoneyMovement } from './moveMoney';

const showOnlyForWithdraw = {
	show: { resource: ['tradingAccount'], operation: ['withdraw'] },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1001',
		description: `ETNA's internal ID of the trading account to take the money from (a whole number from 1 to ${MAX_ACCOUNT_ID})`,
		displayOptions: showOnlyForWithdraw,
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		description:
			"Amount in USD to withdraw from the account's cash: above 0, at most 2 decimal places. Anything else is refused before a request is made.",
		displayOptions: showOnlyForWithdraw,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showOnlyForWithdraw,
		options: [
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30000,
				description:
					'How long to wait for ETNA, in milliseconds. A withdrawal that gets no answer in time has an unknown outcome and is not sent again.',
			},
		],
	},
];

const withdrawal: MoneyMovement = {
	noun: 'withdrawal',
	preposition: 'from',
	endpoint: 'withdrawal',
	amountParameter: 'withdrowalValue',
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await moveMoney.call(this, withdrawal);
}
