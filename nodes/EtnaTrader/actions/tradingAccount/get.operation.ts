import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { ACCOUNT, accountRecordRead } from '../shared/accountRecord';
import { accountIdField, readOptions } from '../shared/descriptions';
import { readEach } from '../shared/readEach';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['get'] } },
	[accountIdField('to read'), readOptions],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, accountRecordRead(ACCOUNT));
}
