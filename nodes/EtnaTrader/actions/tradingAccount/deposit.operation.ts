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
	{ show: { resource: ['tradingAccount'], operation: ['deposit'] } },
	[
		accountIdField('to put the money in'),
		amountField("to deposit into the account's cash"),
		humanReviewNotice('Deposit'),
		moneyOptions('deposit'),
	],
);

const deposit: MoneyMovement = {
	operation: 'Deposit',
	noun: 'deposit',
	preposition: 'to',
	route: 'deposit',
	ledgerSign: 1,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await moveMoney.call(this, deposit);
}
