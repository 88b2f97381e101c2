// The workflows the suites that run a real n8n import (the shipped examples, and ones built here
// from the same few nodes), how to call a webhook of one, and how to read a node's outputs from a
// run.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { ExecutionResult } from '../../scripts/n8n/instance';
import { projectRoot } from '../../scripts/project';

/** The node type of the package's node, as workflows name it. */
export const ETNA_NODE_TYPE = 'n8n-nodes-etna-trader.etnaTrader';

/** The node type of the package's polling trigger. */
export const ETNA_TRIGGER_TYPE = 'n8n-nodes-etna-trader.etnaTraderTrigger';

/** The trigger's node name in `transactionTriggerWorkflow`. */
export const TRIGGER_NODE = 'ETNA Trader Trigger';

export interface Payout extends IDataObject {
	accountId: number | string;
	amount: number | string;
}

/** n8n's "On Error" setting of the ETNA node; Stop Workflow when absent. */
export type OnError = 'continueErrorOutput';

export interface BatchOptions {
	onError?: OnError;
	/** Manual Trigger (for `n8n execute`) unless `everySecond`: a Schedule Trigger. */
	trigger?: 'manual' | 'everySecond';
	/** The Withdraw node's options, e.g. { dryRun: true }. */
	options?: IDataObject;
}

/** A node as `chainWorkflow` takes it: everything but its id and position. */
export type NodeJson = IDataObject & { name: string };

const TRIGGERS = {
	manual: { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
	everySecond: {
		type: 'n8n-nodes-base.scheduleTrigger',
		typeVersion: 1.2,
		parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 1 }] } },
	},
};

/** A shipped example (examples/), as n8n's CLI imports it. */
export function example(name: string): IDataObject {
	return JSON.parse(
		readFileSync(path.join(projectRoot(), 'examples', name), 'utf8'),
	) as IDataObject;
}

/** How an ETNA node names the credential it uses: by the id it was imported with. */
export function etnaCredentialRef(credentialId: string): IDataObject {
	return { etnaTraderApi: { id: credentialId, name: credentialId } };
}

/** The ETNA Trader node with these parameters, on that credential. */
export function etnaNode(
	name: string,
	credentialId: string,
	parameters: IDataObject,
	onError?: OnError,
): NodeJson {
	return {
		name,
		type: ETNA_NODE_TYPE,
		typeVersion: 1,
		...(onError ? { onError } : {}),
		parameters,
		credentials: etnaCredentialRef(credentialId),
	};
}

/** The Withdraw operation's parameters: each item's `accountId` and `amount`. */
export function withdrawEachItem(options: IDataObject = {}): IDataObject {
	return {
		resource: 'tradingAccount',
		operation: 'withdraw',
		accountId: '={{ $json.accountId }}',
		amount: '={{ $json.amount }}',
		options,
	};
}

/** Split Out: one item per element of the list at `field`. */
function oneItemEach(field: string): NodeJson {
	return {
		name: 'One item each',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: field, options: {} },
	};
}

/**
 * A workflow whose nodes run one after the other, in the order given: ids `${id}-1`, `${id}-2`
 * and so on, left to right on the canvas.
 */
export function chainWorkflow(id: string, nodes: NodeJson[]): IDataObject {
	const connections: IDataObject = {};
	nodes.slice(1).forEach((node, index) => {
		connections[nodes[index].name] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
	});
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: nodes.map((node, index) => ({
			id: `${id}-${index + 1}`,
			position: [200 * index, 0],
			...node,
		})),
		connections,
	};
}

/** Trigger > a list of payouts > one item each > ETNA Trader Withdraw (node "Withdraw"). */
export function batchWorkflow(
	id: string,
	credentialId: string,
	payouts: Payout[],
	{ onError, trigger = 'manual', options = {} }: BatchOptions = {},
): IDataObject {
	return chainWorkflow(id, [
		{ name: 'Start', ...TRIGGERS[trigger] },
		{
			name: 'Payouts',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ payouts }), options: {} },
		},
		oneItemEach('payouts'),
		etnaNode('Withdraw', credentialId, withdrawEachItem(options), onError),
	]);
}

/** A Webhook trigger for POSTs to `webhookPath` that answers at once (the run goes on). */
export function postWebhookNode(name: string, workflowId: string, webhookPath: string): NodeJson {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		webhookId: `${workflowId}-hook`,
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/**
 * A POST webhook ("Batch received", answering at once) > one item per element of the body's
 * `payouts` > ETNA Trader Withdraw (node "Withdraw", failures on its error output).
 */
export function webhookBatchWorkflow(
	id: string,
	credentialId: string,
	webhookPath: string,
	options: IDataObject = {},
): IDataObject {
	return chainWorkflow(id, [
		postWebhookNode('Batch received', id, webhookPath),
		oneItemEach('body.payouts'),
		etnaNode('Withdraw', credentialId, withdrawEachItem(options), 'continueErrorOutput'),
	]);
}

/** Manual Trigger > one ETNA Trader node named "Read" with these parameters (a read operation). */
export function readWorkflow(
	id: string,
	credentialId: string,
	parameters: IDataObject,
	{ onError }: Pick<BatchOptions, 'onError'> = {},
): IDataObject {
	return chainWorkflow(id, [
		{ name: 'Start', ...TRIGGERS.manual },
		etnaNode('Read', credentialId, parameters, onError),
	]);
}

/**
 * ETNA Trader Trigger (New Transaction, every minute, the ledgers of `accountIds`, direction any)
 * > No Operation: what a published polling workflow runs, with nothing after the trigger to fail.
 */
export function transactionTriggerWorkflow(
	id: string,
	credentialId: string,
	accountIds: number[],
): IDataObject {
	return {
		...chainWorkflow(id, [
			{
				name: TRIGGER_NODE,
				type: ETNA_TRIGGER_TYPE,
				typeVersion: 1,
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: 'newTransaction',
					accountIds: accountIds.join(','),
					options: { direction: 'any' },
				},
				credentials: etnaCredentialRef(credentialId),
			},
			{ name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
		]),
		name: `ETNA Trader Trigger (every minute, accounts ${accountIds.join(',')}, direction any) > No Operation`,
	};
}

/** The eventIds the trigger of `transactionTriggerWorkflow` emitted in a run, in their order. */
export function eventIdsOf(result: RunOf): string[] {
	const [emitted = []] = branchesOf(result, TRIGGER_NODE);
	return emitted.map((item) => String(item.eventId));
}

/** What the sandbox records as the url (path and query) of a payout's withdrawal request. */
export function withdrawalUrl({ accountId, amount }: Payout): string {
	return `/api/v1.0/accounts/${accountId}/withdrawal?withdrowalValue=${amount}`;
}

/**
 * What the shipped withdraw-on-webhook example answers for a payout whose money moved: ETNA's
 * confirmation, the account and the Idempotency Key it used.
 */
export function paidAnswer({ accountId, amount }: Payout): { status: number; body: IDataObject } {
	return {
		status: 200,
		body: {
			Amount: -Number(amount),
			CreateDate: expect.any(String),
			Description: '',
			accountId,
			idempotencyKey: expect.any(String),
			status: 'moved',
		},
	};
}

/** POSTs `body` as JSON to a webhook of the n8n at `url`; the answer's status and JSON body. */
export async function postToWebhook(
	url: string,
	webhookPath: string,
	body: unknown,
): Promise<{ status: number; body: IDataObject }> {
	const response = await fetch(`${url}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as IDataObject };
}

/** A run's data, as `n8n execute` prints it or as n8n stored it (absent when it has none). */
export interface RunOf {
	data?: ExecutionResult['data'];
}

export interface NodeOutputs {
	/** The first (success) output. */
	main: IDataObject[];
	/** The second output: the error output when "On Error" routes there. */
	errors: IDataObject[];
}

/** Each output of a node in its first run, as item json; empty when it did not run. */
export function branchesOf(result: RunOf, node: string): IDataObject[][] {
	const main = result.data?.resultData.runData[node]?.[0]?.data?.main ?? [];
	return main.map((items) => (items ?? []).map((item) => item.json));
}

/** What a node put on its success and error outputs in its first run. */
export function outputsOf(result: RunOf, node = 'Withdraw'): NodeOutputs {
	const [main = [], errors = []] = branchesOf(result, node);
	return { main, errors };
}

/** Whether the node ran at all in this execution. */
export function ran(result: RunOf, node: string): boolean {
	return result.data?.resultData.runData[node] !== undefined;
}

/**
 * The batched month-end's totals (its "Month-end totals" rows) as a map: each status's count
 * (`sum_count_status`), and the failed items' (`sum_count_error`) as `failed`. Zero counts are left out.
 */
export function monthEndTotals(rows: IDataObject[]): Record<string, number> {
	const totals: Record<string, number> = {};
	for (const row of rows) {
		const counted = Number(row.sum_count_status ?? 0);
		if (typeof row.status === 'string' && counted > 0) totals[row.status] = counted;
		const failed = Number(row.sum_count_error ?? 0);
		if (failed > 0) totals.failed = (totals.failed ?? 0) + failed;
	}
	return totals;
}

/** The batched month-end examples' ids, as they ship (examples/month-end-batched*.json). */
export const MONTH_END = {
	parent: 'etnaMonthEndBat1',
	queueParent: 'etnaMonthEndQue1',
	page: 'etnaMonthEndPage',
	pageWebhook: 'etna-month-end-page',
	/** The Header Auth credential the page's webhook and the queue parent share. */
	keyCredential: 'etnaMonthEndKey1',
} as const;
