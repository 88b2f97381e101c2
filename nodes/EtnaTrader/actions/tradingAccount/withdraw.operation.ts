import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	accountIdField,
	amountField,
	humanReviewNotice,
	moneyOptions,
} from '../shared/descriptions';
import { moveMoney, type MoneyMovement } from './moveMoney';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['withdraw'] } },
	[
		accountIdField('to take the money from'),
		amountField("to withdraw from the account's cash"),
		humanReviewNotice('Withdraw'),
		moneyOptions('withdrawal'),
	],
);

const withdrawal: MoneyMovement = {
	operation: 'Withdraw',
	noun: 'withdrawal',
	preposition: 'from',
	route: 'withdrawal',
	ledgerSign: -1,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await moveMoney.call(this, withdrawal);
}
