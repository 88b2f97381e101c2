// The resources and their operations, derived from the resource modules (as n8n's Airtable v2
// does in its node.type.ts): adding an operation to a resource's index.ts is what registers it.
import type { AllEntities } from 'n8n-workflow';

import type * as order from './order';
import type * as position from './position';
import type * as tradingAccount from './tradingAccount';
import type * as transaction from './transaction';
import type * as user from './user';

/** A resource module's operations: every export but its `description`. */
type OperationsOf<Resource> = Exclude<keyof Resource, 'description'> & string;

type NodeMap = {
	order: OperationsOf<typeof order>;
	position: OperationsOf<typeof position>;
	tradingAccount: OperationsOf<typeof tradingAccount>;
	transaction: OperationsOf<typeof transaction>;
	user: OperationsOf<typeof user>;
};

export type EtnaTraderType = AllEntities<NodeMap>;
