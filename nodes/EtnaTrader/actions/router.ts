// Reads the resource and operation once and runs the operation's execute. The operations are
// the resource modules' exports (node.type.ts), so a new one needs no edit here.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { EtnaTraderType } from './node.type';
import * as order from './order';
import * as position from './position';
import * as tradingAccount from './tradingAccount';
import * as transaction from './transaction';
import * as user from './user';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

const resources: {
	[Resource in EtnaTraderType['resource']]: Record<
		Extract<EtnaTraderType, { resource: Resource }>['operation'],
		{ execute: Execute }
	>;
} = { order, position, tradingAccount, transaction, user };

function isKnown(resource: string, operation: string): boolean {
	const operations = (resources as Record<string, Record<string, unknown> | undefined>)[resource];
	return operations !== undefined && Object.prototype.hasOwnProperty.call(operations, operation);
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	// A workflow saved by a newer version of the node may name an operation this one lacks.
	if (!isKnown(resource, operation)) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported by this version of the ETNA Trader node`,
		);
	}
	const node = { resource, operation } as EtnaTraderType;
	switch (node.resource) {
		case 'tradingAccount':
			return [await resources.tradingAccount[node.operation].execute.call(this)];
		case 'transaction':
			return [await resources.transaction[node.operation].execute.call(this)];
		case 'user':
			return [await resources.user[node.operation].execute.call(this)];
		case 'position':
			return [await resources.position[node.operation].execute.call(this)];
		case 'order':
			return [await resources.order[node.operation].execute.call(this)];
	}
}
