import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { BALANCE, accountRecordRead } from '../shared/accountRecord';
import { accountIdField, readOptions } from '../shared/descriptions';
import { readEach } from '../shared/readEach';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['getBalance'] } },
	[accountIdField('whose balance to read'), readOptions],
);

// ETNA's balance fields as it names them (cash, excess, pendingCash, ...), plus accountId.
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, accountRecordRead(BALANCE));
}
