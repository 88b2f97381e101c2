import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as tradingAccount from './tradingAccount';
import * as transaction from './transaction';

type Operation = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

/** resource -> operation -> execute: the one place a new operation is registered. */
const operations: Record<string, Record<string, Operation>> = {
	tradingAccount: {
		withdraw: tradingAccount.withdraw.execute,
		deposit: tradingAccount.deposit.execute,
		get: tradingAccount.get.execute,
		getBalance: tradingAccount.getBalance.execute,
		getAll: tradingAccount.getAll.execute,
	},
	transaction: {
		getAll: transaction.getAll.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported by this version of the ETNA Trader node`,
		);
	}
	return [await execute.call(this)];
}
