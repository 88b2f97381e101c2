// Moving money in or out of trading accounts: the flow Withdraw and Deposit share. Every item is
// planned and checked before the first request; then items are settled (movementSteps.ts), up
// to Concurrency at once and never two for one account; a money request is sent once per item
// (a 429 that says ETNA did not take it, and a login's 401, are the only re-sends).
import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { reviewOf, runsAsTool } from '../../helpers/agentTool';
import {
	describeInputProblem,
	describeStop,
	humanReviewRequired,
	nodeErrorOf,
	type EtnaFailure,
} from '../../helpers/errors';
import { runPool } from '../../helpers/pool';
import { checkConcurrency } from '../../helpers/validation';
import { AccountLedgers, type LedgerReadPlan } from '../shared/accountLedgers';
import {
	connectionOrFailure,
	failEveryItem,
	failedItem,
	failuresAsItems,
	optionsOf,
	planItems,
	resultItem,
	stopOnRefusedInput,
	type ItemPlan,
} from '../shared/items';
import { movementPlanner, type MoneyMovement, type PlannedMovement } from './movementPlan';
import { settleOnce } from './idempotentMovement';
import type { Settled } from './movementSteps';

export type { MoneyMovement } from './movementPlan';

/** What became of an item, for the message of a stop; 0, an item that never settled, is notSent. */
const FATES = ['notSent', 'completed', 'unknown'] as const;
type ItemFate = (typeof FATES)[number];

/** The batch's results as its items settle, in whatever order: the output, and the stop. */
class BatchResults {
	private readonly output: Array<INodeExecutionData | undefined> = [];

	/** What became of each item, by item index: an index into FATES (one byte an item, not a Map entry). */
	private readonly fates: Uint8Array;

	/** With Stop Workflow: the first failed item, in input order. */
	private stop?: { itemIndex: number; failure: EtnaFailure };

	/** A login that failed: the rest of the batch fails with it, without trying again. */
	loginFailure?: EtnaFailure;

	/**
	 * `failuresAsItems`: a failed item becomes an item (see items.ts), not the error that stops.
	 * `size`: the number of items in the batch.
	 */
	constructor(
		private readonly failuresAsItems: boolean,
		private readonly size: number,
	) {
		this.fates = new Uint8Array(size);
	}

	private settle(itemIndex: number, fate: ItemFate): void {
		this.fates[itemIndex] = FATES.indexOf(fate);
	}

	get stopped(): boolean {
		return this.stop !== undefined;
	}

	record(plan: ItemPlan<PlannedMovement>, settled: Settled): void {
		const { itemIndex } = plan;
		if (settled.ok) {
			this.settle(itemIndex, settled.moved ? 'completed' : 'notSent');
			this.output[itemIndex] = resultItem(itemIndex, settled.json);
			return;
		}
		this.settle(itemIndex, settled.failure.outcome === 'unknown' ? 'unknown' : 'notSent');
		if (settled.haltsBatch) this.loginFailure = settled.failure;
		if (!this.failuresAsItems) {
			if (!this.stop || itemIndex < this.stop.itemIndex) {
				this.stop = { itemIndex, failure: settled.failure };
			}
			return;
		}
		const request = plan.ok
			? { accountId: plan.value.accountId, amount: plan.value.amount.value }
			: plan.given;
		this.output[itemIndex] = failedItem(itemIndex, settled.failure, {
			...request,
			...settled.details,
		});
	}

	/** The output in input order; or, with Stop Workflow after a failure, the error that stops. */
	items(node: INode): INodeExecutionData[] {
		if (this.stop) {
			const { failure, itemIndex } = this.stop;
			// The workflow stops here and n8n drops this run's output: say what became of the rest.
			const others = Array.from({ length: this.size }, (_, index) => index).filter(
				(index) => index !== itemIndex,
			);
			const fateOf = (index: number): ItemFate => FATES[this.fates[index]];
			throw nodeErrorOf(
				node,
				describeStop(failure, {
					completed: others.filter((index) => fateOf(index) === 'completed'),
					unknown: others.filter((index) => fateOf(index) === 'unknown'),
					notSent: others.filter((index) => fateOf(index) === 'notSent'),
				}),
				itemIndex,
			);
		}
		return this.output.filter((item): item is INodeExecutionData => item !== undefined);
	}
}

/**
 * Per account with Skip If Already Paid Since: the earliest time any of its items gives, and how
 * many items it has (its ledger is let go after the last).
 */
function ledgerReadsOf(
	plans: ReadonlyArray<ItemPlan<PlannedMovement>>,
): Map<number, LedgerReadPlan> {
	const reads = new Map<number, LedgerReadPlan>();
	for (const plan of plans) {
		if (!plan.ok || plan.value.paidSince === undefined) continue;
		const { accountId, paidSince } = plan.value;
		const known = reads.get(accountId);
		if (known) {
			known.since = Math.min(known.since, paidSince);
			known.items++;
		} else reads.set(accountId, { since: paidSince, items: 1 });
	}
	return reads;
}

export async function moveMoney(
	this: IExecuteFunctions,
	movement: MoneyMovement,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
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

	// As an agent's tool, money moves only once a person approved this very call in a review step
	// (helpers/agentTool.ts), unless the option says the team's own process approves it.
	if (runsAsTool(this)) {
		const review = reviewOf(this);
		if (!review.ok)
			return failEveryItem(this, humanReviewRequired(movement.operation, review.refusal));
	}
	const batchOptions = optionsOf(this, 0);

	const loaded = await connectionOrFailure(this);
	if (!loaded.ok) return failEveryItem(this, loaded.failure);
	const { connection } = loaded;

	const plans = planItems(this, movementPlanner(movement));
	stopOnRefusedInput(this, plans);
	// One setting for the whole batch: how many requests may be in flight at once.
	const concurrency = checkConcurrency(batchOptions.concurrency ?? 1);
	if (!concurrency.ok) return failEveryItem(this, describeInputProblem(concurrency.problem, 0));

	const ledgers = new AccountLedgers(this, connection, ledgerReadsOf(plans));
	const results = new BatchResults(failuresAsItems(this), plans.length);
	await runPool(plans, {
		concurrency: concurrency.value,
		keyOf: (plan) => (plan.ok ? plan.value.accountId : `refused-${plan.itemIndex}`),
		stopped: () => results.stopped,
		work: async (plan) => {
			if (!plan.ok) return results.record(plan, { ok: false, failure: plan.failure });
			const { loginFailure } = results;
			if (loginFailure) return results.record(plan, { ok: false, failure: { ...loginFailure } });
			const settled = await settleOnce({
				context: this,
				connection,
				movement,
				ledgers,
				plan: plan.value,
				itemIndex: plan.itemIndex,
			});
			results.record(plan, settled);
			ledgers.itemDone(plan.value.accountId, plan.value.paidSince);
		},
	});
	return results.items(node);
}
