// Moving money in or out of trading accounts, item by item. Shared by the money operations:
// inputs are all checked before the first request, and no request is ever sent twice.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	describeFailedReply,
	describeInputProblem,
	errorItemJson,
	nodeErrorOf,
	type EtnaFailure,
} from '../../helpers/errors';
import {
	checkAccountId,
	checkAmount,
	checkTimeout,
	type Amount,
	type InputProblem,
} from '../../helpers/validation';
import {
	callEtna,
	EtnaCredentialError,
	loadConnection,
	secretsOf,
	type EtnaConnection,
	type EtnaReply,
} from '../../transport';

export interface MoneyMovement {
	/** How messages name it: "the withdrawal of 25 from account 1001". */
	noun: 'withdrawal' | 'deposit';
	preposition: 'from' | 'to';
	/** The endpoint below /accounts/{accountId}/. */
	endpoint: 'withdrawal' | 'deposit';
	/** The query parameter that carries the amount, spelled as the API spells it. */
	amountParameter: 'withdrowalValue' | 'depositValue';
}

interface PlannedMovement {
	itemIndex: number;
	accountId: number;
	amount: Amount;
	timeoutMs: number;
}

type ItemPlan =
	| { ok: true; movement: PlannedMovement }
	| {
			ok: false;
			itemIndex: number;
			failure: EtnaFailure;
			given: { accountId: unknown; amount: unknown };
	  };

function readParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
) {
	return context.getNodeParameter(name, itemIndex, fallback) as unknown;
}

/** Reads and checks one item's parameters; sends nothing. */
function planItem(context: IExecuteFunctions, itemIndex: number): ItemPlan {
	let given: { accountId: unknown; amount: unknown } = { accountId: undefined, amount: undefined };
	try {
		given = {
			accountId: readParameter(context, 'accountId', itemIndex),
			amount: readParameter(context, 'amount', itemIndex),
		};
		const timeout = readParameter(context, 'options.timeout', itemIndex, 30000);
		const refused = (problem: InputProblem): ItemPlan => ({
			ok: false,
			itemIndex,
			given,
			failure: describeInputProblem(problem, itemIndex),
		});
		const accountId = checkAccountId(given.accountId);
		if (!accountId.ok) return refused(accountId.problem);
		const amount = checkAmount(given.amount);
		if (!amount.ok) return refused(amount.problem);
		const timeoutMs = checkTimeout(timeout);
		if (!timeoutMs.ok) return refused(timeoutMs.problem);
		return {
			ok: true,
			movement: {
				itemIndex,
				accountId: accountId.value,
				amount: amount.value,
				timeoutMs: timeoutMs.value,
			},
		};
	} catch (error) {
		// An expression that cannot be resolved for this item: nothing to send.
		const reason = error instanceof Error ? error.message : String(error);
		return {
			ok: false,
			itemIndex,
			given,
			failure: {
				message: `Item ${itemIndex}: a parameter could not be read: ${reason}`,
				description: 'Nothing was sent to ETNA. Fix the expression and run the item again.',
				outcome: 'notSent',
				httpCode: null,
			},
		};
	}
}

function isPaymentConfirmation(reply: EtnaReply): reply is Extract<
	EtnaReply,
	{ answered: true }
> & {
	body: Record<string, unknown>;
} {
	return (
		reply.answered &&
		reply.status >= 200 &&
		reply.status < 300 &&
		typeof reply.body === 'object' &&
		reply.body !== null &&
		typeof (reply.body as Record<string, unknown>).Amount === 'number'
	);
}

export async function moveMoney(
	this: IExecuteFunctions,
	movement: MoneyMovement,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();

	// n8n's "Retry On Fail" re-runs every item after an error, and would send money twice.
	if (node.retryOnFail === true) {
		throw new NodeOperationError(
			node,
			`Retry On Fail is on for this node, so a failure would send every ${movement.noun} of the batch again. Nothing was sent.`,
			{
				description:
					"Turn off Retry On Fail in the node's Settings. Failed items can go to an error output instead (On Error).",
			},
		);
	}

	const failedItem = (
		itemIndex: number,
		failure: EtnaFailure,
		given: { accountId: unknown; amount: unknown },
	): INodeExecutionData => ({
		json: errorItemJson(failure, { ...given, itemIndex }),
		pairedItem: { item: itemIndex },
	});

	let connection: EtnaConnection;
	try {
		connection = await loadConnection.call(this);
	} catch (error) {
		if (!(error instanceof EtnaCredentialError)) throw new NodeOperationError(node, error as Error);
		const failure: EtnaFailure = {
			message: error.message,
			description: 'Nothing was sent to ETNA. Fix the credential and run the workflow again.',
			outcome: 'notSent',
			httpCode: null,
			failure: { cause: 'configuration-invalid' },
		};
		if (!continueOnFail) throw nodeErrorOf(node, failure, 0);
		return items.map((_, itemIndex) =>
			failedItem(itemIndex, failure, { accountId: undefined, amount: undefined }),
		);
	}

	const plans = items.map((_, itemIndex) => planItem(this, itemIndex));
	const firstRefused = plans.find((plan) => !plan.ok);
	if (firstRefused && !firstRefused.ok && !continueOnFail) {
		throw nodeErrorOf(node, firstRefused.failure, firstRefused.itemIndex);
	}

	const results: INodeExecutionData[] = [];
	const completed: number[] = [];
	for (const plan of plans) {
		if (!plan.ok) {
			results.push(failedItem(plan.itemIndex, plan.failure, plan.given));
			continue;
		}
		const { itemIndex, accountId, amount, timeoutMs } = plan.movement;
		const reply = await callEtna.call(this, connection, {
			method: 'POST',
			path: ['accounts', accountId, movement.endpoint],
			query: { [movement.amountParameter]: amount.decimal },
			timeoutMs,
		});
		if (isPaymentConfirmation(reply)) {
			completed.push(itemIndex);
			results.push({ json: { ...reply.body, accountId }, pairedItem: { item: itemIndex } });
			continue;
		}
		const failure = describeFailedReply(reply, {
			noun: movement.noun,
			preposition: movement.preposition,
			accountId,
			amount: amount.decimal,
			timeoutMs,
			secrets: secretsOf(connection),
		});
		if (continueOnFail) {
			results.push(failedItem(itemIndex, failure, { accountId, amount: amount.value }));
			continue;
		}
		if (completed.length) {
			// The workflow stops here and n8n drops this run's output: say what already moved.
			failure.description += ` Before this item, item(s) ${completed.join(', ')} were completed in ETNA; their results are not in the output because the node stopped.`;
		}
		throw nodeErrorOf(node, failure, itemIndex);
	}
	return results;
}
