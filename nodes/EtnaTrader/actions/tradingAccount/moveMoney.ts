// Moving money in or out of trading accounts: the flow Withdraw and Deposit share. Every item is
// checked before the first request; a money request is sent once per item (a 429 that says ETNA
// did not take it, and a login's 401, are the only re-sends); an unknown outcome is said so.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	describeFailedReply,
	describeInputProblem,
	nodeErrorOf,
	type EtnaFailure,
	type RequestContext,
	type Subject,
} from '../../helpers/errors';
import { paidAlready, paymentAfter, type LedgerTransaction } from '../../helpers/ledger';
import { runPool } from '../../helpers/pool';
import {
	checkAccountId,
	checkAmount,
	checkConcurrency,
	checkMaxAmount,
	checkPaidSince,
	checkTimeout,
	checkWithinLimit,
	DEFAULT_TIMEOUT_MS,
	formatFigure,
	itemNumber,
	type Amount,
} from '../../helpers/validation';
import {
	callEtna,
	loginNameOf,
	urlOf,
	type EtnaCall,
	type EtnaConnection,
	type EtnaReply,
} from '../../transport';
import { BALANCE, readAccountRecord } from '../shared/accountRecord';
import {
	accept,
	connectionOrFailure,
	failEveryItem,
	failedItem,
	isJsonObject,
	optionsOf,
	parameterOf,
	planItems,
	resultItem,
	stopOnRefusedInput,
	type ItemPlan,
} from '../shared/items';
import { newestTransactionId, transactionsAfter, transactionsSince } from '../shared/ledger';

export interface MoneyMovement {
	/** How messages name it: "the withdrawal of 25 from account 1001". */
	noun: 'withdrawal' | 'deposit';
	preposition: 'from' | 'to';
	/** The endpoint below /accounts/{accountId}/. */
	endpoint: 'withdrawal' | 'deposit';
	/** The query parameter that carries the amount, spelled as the API spells it. */
	amountParameter: 'withdrowalValue' | 'depositValue';
	/** The sign of its `Value` in ETNA's ledger: -1 takes money out. */
	ledgerSign: -1 | 1;
}

interface PlannedMovement {
	accountId: number;
	amount: Amount;
	timeoutMs: number;
	requireSufficientCash: boolean;
	dryRun: boolean;
	reconcileUnknown: boolean;
	/** Skip If Already Paid Since: the instant, or absent when the option is off. */
	paidSince?: number;
}

type Settled =
	| { ok: true; json: IDataObject; moved: boolean }
	| { ok: false; failure: EtnaFailure; details?: IDataObject; haltsBatch?: boolean };

function planMovement(
	context: IExecuteFunctions,
	movement: MoneyMovement,
	itemIndex: number,
	given: Record<string, unknown>,
): PlannedMovement {
	given.accountId = parameterOf(context, 'accountId', itemIndex);
	given.amount = parameterOf(context, 'amount', itemIndex);
	// One read of the whole collection: each of n8n's parameter reads resolves it anew.
	const options = optionsOf(context, itemIndex);
	const flag = (name: string) => options[name] === true;
	const accountId = accept(checkAccountId(given.accountId));
	const maxAmount = accept(checkMaxAmount(options.maxAmount));
	const amount = accept(
		checkWithinLimit(accept(checkAmount(given.amount)), maxAmount, given.amount),
	);
	return {
		accountId,
		amount,
		timeoutMs: accept(checkTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS)),
		requireSufficientCash: movement.noun === 'withdrawal' && flag('requireSufficientCash'),
		dryRun: flag('dryRun'),
		reconcileUnknown: flag('reconcileUnknown'),
		paidSince: accept(checkPaidSince(options.skipIfPaidSince, context.getTimezone())),
	};
}

function isPaymentConfirmation(
	reply: EtnaReply,
): reply is Extract<EtnaReply, { answered: true }> & { body: IDataObject } {
	return (
		reply.answered &&
		reply.status >= 200 &&
		reply.status < 300 &&
		isJsonObject(reply.body) &&
		typeof reply.body.Amount === 'number'
	);
}

/** Everything one item needs to be settled, and what settling it may learn. */
class MovementRun {
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly connection: EtnaConnection,
		private readonly movement: MoneyMovement,
	) {}

	private subject(plan: PlannedMovement): Subject {
		return {
			kind: 'movement',
			noun: this.movement.noun,
			preposition: this.movement.preposition,
			accountId: plan.accountId,
			amount: plan.amount.decimal,
		};
	}

	private requestContext(plan: PlannedMovement): RequestContext {
		return {
			timeoutMs: plan.timeoutMs,
			loginName: loginNameOf(this.connection),
		};
	}

	private moneyCall(plan: PlannedMovement): EtnaCall {
		return {
			method: 'POST',
			path: ['accounts', plan.accountId, this.movement.endpoint],
			query: { [this.movement.amountParameter]: plan.amount.decimal },
			timeoutMs: plan.timeoutMs,
		};
	}

	/** A read made for the movement failed: the money request was not sent. */
	private notSentAfterRead(reply: EtnaReply, what: string, plan: PlannedMovement): Settled {
		const failure = describeFailedReply(
			reply,
			{ kind: 'read', what, accountId: plan.accountId },
			this.requestContext(plan),
		);
		return {
			ok: false,
			haltsBatch: !reply.answered && reply.reason === 'loginFailed',
			failure: {
				...failure,
				description: `${failure.description} The ${this.movement.noun} of ${plan.amount.decimal} ${this.movement.preposition} account ${plan.accountId} was not sent.`,
				// Whatever the read's outcome, no money request went out.
				outcome: 'notSent',
			},
		};
	}

	async settle(plan: PlannedMovement, itemIndex: number): Promise<Settled> {
		const { accountId, amount } = plan;
		let excess: number | undefined;
		if (plan.requireSufficientCash) {
			const balance = await readAccountRecord(
				this.context,
				this.connection,
				BALANCE,
				accountId,
				plan.timeoutMs,
			);
			if (!balance.ok) return this.notSentAfterRead(balance.reply, BALANCE.name(accountId), plan);
			const found = balance.results[0].excess;
			if (typeof found !== 'number' || !Number.isFinite(found)) {
				return {
					ok: false,
					failure: {
						message: `Item ${itemNumber(itemIndex)}: ETNA's balance of account ${accountId} has no excess figure, so Require Sufficient Cash cannot check the withdrawal of ${amount.decimal}.`,
						description: 'The withdrawal was not sent.',
						outcome: 'notSent',
						httpCode: null,
					},
				};
			}
			excess = found;
			if (Math.round(found * 100) < amount.cents) {
				return {
					ok: false,
					details: { excess: found },
					failure: {
						message: `Item ${itemNumber(itemIndex)}: account ${accountId} may withdraw only ${formatFigure(found)} now (ETNA's excess), less than the amount ${formatFigure(amount.value)}: the withdrawal was not sent.`,
						description:
							'Require Sufficient Cash is on. Withdraw less, or wait until ETNA frees the funds (excess is cash less what open positions hold).',
						outcome: 'notSent',
						httpCode: null,
					},
				};
			}
		}

		const call = this.moneyCall(plan);
		if (plan.dryRun) {
			const query = new URLSearchParams(call.query).toString();
			return {
				ok: true,
				moved: false,
				json: {
					dryRun: true,
					method: call.method,
					url: `${urlOf(this.connection, call.path)}?${query}`,
					accountId,
					amount: amount.value,
					...(excess !== undefined ? { excess } : {}),
				},
			};
		}

		let baselineId: number | undefined;
		if (plan.reconcileUnknown) {
			const newest = await newestTransactionId(
				this.context,
				this.connection,
				accountId,
				plan.timeoutMs,
			);
			if (!newest.ok) {
				return this.notSentAfterRead(
					newest.reply,
					`the transactions of account ${accountId}`,
					plan,
				);
			}
			baselineId = newest.id;
		}

		const reply = await callEtna.call(this.context, this.connection, call);
		if (isPaymentConfirmation(reply)) {
			return { ok: true, moved: true, json: { ...reply.body, accountId } };
		}
		const failure = describeFailedReply(reply, this.subject(plan), this.requestContext(plan));
		const haltsBatch = !reply.answered && reply.reason === 'loginFailed';
		if (failure.outcome !== 'unknown' || baselineId === undefined) {
			return { ok: false, failure, haltsBatch };
		}
		return await this.reconcile(plan, baselineId, failure);
	}

	/**
	 * Skip If Already Paid Since: reads, once per account, the payments made since the earliest
	 * time its items give, and matches them to items (one payment excuses one item). Items of an
	 * account whose ledger cannot be read are not sent.
	 */
	async paidAlready(
		plans: ReadonlyArray<ItemPlan<PlannedMovement>>,
		concurrency: number,
	): Promise<{ excused: Map<number, LedgerTransaction>; unchecked: Map<number, Settled> }> {
		const checks = plans.flatMap((plan) =>
			plan.ok && plan.value.paidSince !== undefined
				? [
						{
							itemIndex: plan.itemIndex,
							plan: plan.value,
							accountId: plan.value.accountId,
							signedCents: this.movement.ledgerSign * plan.value.amount.cents,
							since: plan.value.paidSince,
						},
					]
				: [],
		);
		const accounts = [...new Set(checks.map((check) => check.accountId))];
		const payments = new Map<number, unknown[]>();
		const unchecked = new Map<number, Settled>();
		await runPool(accounts, {
			concurrency,
			keyOf: (accountId) => accountId,
			stopped: () => false,
			work: async (accountId) => {
				const mine = checks.filter((check) => check.accountId === accountId);
				const since = Math.min(...mine.map((check) => check.since));
				const read = await transactionsSince(
					this.context,
					this.connection,
					accountId,
					since,
					mine[0].plan.timeoutMs,
				);
				if (read.ok) {
					payments.set(accountId, read.rows);
					return;
				}
				for (const check of mine) {
					unchecked.set(
						check.itemIndex,
						this.notSentAfterRead(
							read.reply,
							`the transactions of account ${accountId}`,
							check.plan,
						),
					);
				}
			},
		});
		const readable = checks.filter((check) => payments.has(check.accountId));
		return {
			excused: paidAlready(readable, (accountId) => payments.get(accountId) ?? []),
			unchecked,
		};
	}

	/** After an unknown outcome: the ledger tells whether the money moved. */
	private async reconcile(
		plan: PlannedMovement,
		baselineId: number,
		failure: EtnaFailure,
	): Promise<Settled> {
		const checkedAt = new Date().toISOString();
		const after = await transactionsAfter(
			this.context,
			this.connection,
			plan.accountId,
			baselineId,
			plan.timeoutMs,
		);
		const payment = after.ok
			? paymentAfter(after.rows, baselineId, this.movement.ledgerSign * plan.amount.cents)
			: undefined;
		if (payment) {
			return {
				ok: true,
				moved: true,
				json: { ...payment, accountId: plan.accountId, reconciled: true },
			};
		}
		const found = after.ok
			? `The account's ledger showed no such payment at ${checkedAt}; it may still appear later.`
			: `The account's ledger could not be read at ${checkedAt} to settle it.`;
		return {
			ok: false,
			details: { reconciled: false },
			failure: { ...failure, message: `${failure.message} ${found}` },
		};
	}
}

export async function moveMoney(
	this: IExecuteFunctions,
	movement: MoneyMovement,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
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

	const loaded = await connectionOrFailure(this);
	if (!loaded.ok) return failEveryItem(this, loaded.failure);

	const plans = planItems(this, (itemIndex, given) =>
		planMovement(this, movement, itemIndex, given),
	);
	stopOnRefusedInput(this, plans);
	// One setting for the whole batch: how many requests may be in flight at once.
	const concurrency = checkConcurrency(optionsOf(this, 0).concurrency ?? 1);
	if (!concurrency.ok) return failEveryItem(this, describeInputProblem(concurrency.problem, 0));

	const run = new MovementRun(this, loaded.connection, movement);
	const results: INodeExecutionData[] = [];
	const completed: number[] = [];
	let stopWith: { itemIndex: number; failure: EtnaFailure } | undefined;
	let halt: EtnaFailure | undefined;

	const record = (plan: ItemPlan<PlannedMovement>, settled: Settled) => {
		const { itemIndex } = plan;
		if (settled.ok) {
			if (settled.moved) completed.push(itemIndex);
			results[itemIndex] = resultItem(itemIndex, settled.json);
			return;
		}
		if (settled.haltsBatch) halt = settled.failure;
		if (!continueOnFail) {
			if (!stopWith || itemIndex < stopWith.itemIndex)
				stopWith = { itemIndex, failure: settled.failure };
			return;
		}
		const request = plan.ok
			? { accountId: plan.value.accountId, amount: plan.value.amount.value }
			: plan.given;
		results[itemIndex] = failedItem(itemIndex, settled.failure, { ...request, ...settled.details });
	};

	const { excused, unchecked } = await run.paidAlready(plans, concurrency.value);
	await runPool(plans, {
		concurrency: concurrency.value,
		keyOf: (plan) => (plan.ok ? plan.value.accountId : `refused-${plan.itemIndex}`),
		stopped: () => stopWith !== undefined,
		work: async (plan) => {
			if (!plan.ok) return record(plan, { ok: false, failure: plan.failure });
			// A login that failed fails the rest of the batch without trying again.
			if (halt) return record(plan, { ok: false, failure: { ...halt } });
			const skipped = excused.get(plan.itemIndex);
			if (skipped) {
				const json = { ...skipped, accountId: plan.value.accountId, skipped: true };
				return record(plan, { ok: true, moved: false, json });
			}
			const notChecked = unchecked.get(plan.itemIndex);
			if (notChecked) return record(plan, notChecked);
			record(plan, await run.settle(plan.value, plan.itemIndex));
		},
	});

	if (stopWith) {
		const { failure, itemIndex } = stopWith;
		if (completed.length) {
			// The workflow stops here and n8n drops this run's output: say what already moved.
			const done = completed.sort((left, right) => left - right).map(itemNumber);
			failure.description += ` Before the node stopped, item(s) ${done.join(', ')} were completed in ETNA; their results are not in the output because the node stopped.`;
		}
		throw nodeErrorOf(node, failure, itemIndex);
	}
	return results.filter((item): item is INodeExecutionData => item !== undefined);
}
