// The workflows the suites import, and how to read a node's outputs from a run.
import type { IDataObject } from 'n8n-workflow';

import type { ExecutionResult } from '../../../scripts/n8n/instance';

export interface Payout extends IDataObject {
	accountId: number | string;
	amount: number | string;
}

export interface BatchOptions {
	/** n8n's "On Error" setting of the ETNA node; Stop Workflow when absent. */
	onError?: 'continueErrorOutput';
	/** Manual Trigger (for `n8n execute`) unless `everySecond`: a Schedule Trigger. */
	trigger?: 'manual' | 'everySecond';
	/** The Withdraw node's options, e.g. { dryRun: true }. */
	options?: IDataObject;
}

const TRIGGERS = {
	manual: { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
	everySecond: {
		type: 'n8n-nodes-base.scheduleTrigger',
		typeVersion: 1.2,
		parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 1 }] } },
	},
};

/** Trigger > a list of payouts > one item each > ETNA Trader Withdraw (node "Withdraw"). */
export function batchWorkflow(
	id: string,
	credentialId: string,
	payouts: Payout[],
	{ onError, trigger = 'manual', options = {} }: BatchOptions = {},
): IDataObject {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${id}-1`, name: 'Start', position: [0, 0], ...TRIGGERS[trigger] },
			{
				id: `${id}-2`,
				name: 'Payouts',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ payouts }), options: {} },
			},
			{
				id: `${id}-3`,
				name: 'One item each',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'payouts', options: {} },
			},
			{
				id: `${id}-4`,
				name: 'Withdraw',
				type: 'n8n-nodes-etna-trader.etnaTrader',
				typeVersion: 1,
				position: [600, 0],
				...(onError ? { onError } : {}),
				parameters: {
					resource: 'tradingAccount',
					operation: 'withdraw',
					accountId: '={{ $json.accountId }}',
					amount: '={{ $json.amount }}',
					options,
				},
				credentials: { etnaTraderApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Payouts', type: 'main', index: 0 }]] },
			Payouts: { main: [[{ node: 'One item each', type: 'main', index: 0 }]] },
			'One item each': { main: [[{ node: 'Withdraw', type: 'main', index: 0 }]] },
		},
	};
}

export interface NodeOutputs {
	/** The first (success) output. */
	main: IDataObject[];
	/** The second output: the error output when "On Error" routes there. */
	errors: IDataObject[];
}

/** Each output of a node in its first run, as item json; empty when it did not run. */
export function branchesOf(result: ExecutionResult, node: string): IDataObject[][] {
	const main = result.data.resultData.runData[node]?.[0]?.data?.main ?? [];
	return main.map((items) => (items ?? []).map((item) => item.json));
}

/** What a node put on its success and error outputs in its first run. */
export function outputsOf(result: ExecutionResult, node = 'Withdraw'): NodeOutputs {
	const [main = [], errors = []] = branchesOf(result, node);
	return { main, errors };
}

/** Whether the node ran at all in this execution. */
export function ran(result: ExecutionResult, node: string): boolean {
	return result.data.resultData.runData[node] !== undefined;
}

/** Manual Trigger > one ETNA Trader node named "Read" with these parameters (a read operation). */
export function readWorkflow(
	id: string,
	credentialId: string,
	parameters: IDataObject,
	{ onError }: Pick<BatchOptions, 'onError'> = {},
): IDataObject {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${id}-1`, name: 'Start', position: [0, 0], ...TRIGGERS.manual },
			{
				id: `${id}-2`,
				name: 'Read',
				type: 'n8n-nodes-etna-trader.etnaTrader',
				typeVersion: 1,
				position: [200, 0],
				...(onError ? { onError } : {}),
				parameters,
				credentials: { etnaTraderApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: { Start: { main: [[{ node: 'Read', type: 'main', index: 0 }]] } },
	};
}
