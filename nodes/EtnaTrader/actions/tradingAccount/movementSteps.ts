// Settling one Withdraw or Deposit item, step by step: Skip If Already Paid Since, the funds
// check, Dry Run, the ledger baseline, the money request and, when its answer was lost, the
// reconcile. Each step settles the item or returns nothing and lets the next one go on.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	describeFailedReply,
	describeUnreconciled,
	insufficientFunds,
	noExcessFigure,
	type EtnaFailure,
	type RequestContext,
	type Subject,
} from '../../helpers/errors';
import { paymentAfter, type Baseline } from '../../helpers/ledgerMatching';
import {
	amountParameterOf,
	callEtna,
	callUrlOf,
	loginNameOf,
	routeCall,
	type EtnaCall,
	type EtnaConnection,
	type EtnaReply,
} from '../../transport';
import { BALANCE, readAccountRecord } from '../shared/accountRecord';
import type { AccountLedgers } from '../shared/accountLedgers';
import { isJsonObject } from '../shared/items';
import { transactionsAfter } from '../shared/ledgerReads';
import type { MoneyMovement, PlannedMovement } from './movementPlan';

/** How an item ended: its output, or its failure (with facts for the error item). */
export type Settled =
	| { ok: true; json: IDataObject; moved: boolean }
	| { ok: false; failure: EtnaFailure; details?: IDataObject; haltsBatch?: boolean };

/** What the steps share for one item of the batch, and what they learn on the way. */
export interface MovementItem {
	context: IExecuteFunctions;
	connection: EtnaConnection;
	movement: MoneyMovement;
	ledgers: AccountLedgers;
	plan: PlannedMovement;
	itemIndex: number;
	/** ETNA's excess, once Require Withdrawable Funds has read it. */
	excess?: number;
	/** Where the money request's row will be, once Reconcile Unknown Outcomes has read it. */
	baseline?: Baseline;
}

export async function settleMovement(item: MovementItem): Promise<Settled> {
	return (
		(await skipIfAlreadyPaid(item)) ??
		(await checkFunds(item)) ??
		dryRun(item) ??
		(await takeBaseline(item)) ??
		(await sendMoneyRequest(item))
	);
}

/** The item's money request, as messages name it. */
export function subjectOf({ movement, plan }: MovementItem): Subject {
	return {
		kind: 'movement',
		noun: movement.noun,
		preposition: movement.preposition,
		accountId: plan.accountId,
		amount: plan.amount.decimal,
	};
}

function requestContextOf({ connection, plan }: MovementItem): RequestContext {
	return { timeoutMs: plan.timeoutMs, loginName: loginNameOf(connection) };
}

function moneyCallOf({ movement, plan }: MovementItem): EtnaCall {
	return routeCall(movement.route, {
		params: { accountId: plan.accountId },
		query: { [amountParameterOf(movement.route)]: plan.amount.decimal },
		timeoutMs: plan.timeoutMs,
	});
}

function signedCentsOf({ movement, plan }: MovementItem): number {
	return movement.ledgerSign * plan.amount.cents;
}

function haltsBatch(reply: EtnaReply): boolean {
	return !reply.answered && reply.reason === 'loginFailed';
}

/** A read made for the movement failed: the money request was not sent. */
function notSentAfterRead(item: MovementItem, reply: EtnaReply, what: string): Settled {
	const { movement, plan } = item;
	const failure = describeFailedReply(
		reply,
		{ kind: 'read', what, accountId: plan.accountId },
		requestContextOf(item),
	);
	return {
		ok: false,
		haltsBatch: haltsBatch(reply),
		failure: {
			...failure,
			description: `${failure.description} The ${movement.noun} of ${plan.amount.decimal} ${movement.preposition} account ${plan.accountId} was not sent.`,
			// Whatever the read's outcome, no money request went out.
			outcome: 'notSent',
		},
	};
}

const ledgerName = (accountId: number) => `the transactions of account ${accountId}`;

/** Skip If Already Paid Since: a row of the ledger excuses the item, which is then not sent. */
async function skipIfAlreadyPaid(item: MovementItem): Promise<Settled | undefined> {
	const { plan } = item;
	if (plan.paidSince === undefined) return undefined;
	const excused = await item.ledgers.excusingRow(
		plan.accountId,
		signedCentsOf(item),
		plan.paidSince,
		plan.timeoutMs,
	);
	if (!excused.ok) return notSentAfterRead(item, excused.reply, ledgerName(plan.accountId));
	if (!excused.value) return undefined;
	return {
		ok: true,
		moved: false,
		json: { ...excused.value, accountId: plan.accountId, skipped: true, status: 'skipped' },
	};
}

/** Require Withdrawable Funds: ETNA's excess must cover the amount, or nothing is sent. */
async function checkFunds(item: MovementItem): Promise<Settled | undefined> {
	const { plan, itemIndex } = item;
	if (!plan.requireSufficientCash) return undefined;
	const { accountId, amount } = plan;
	const balance = await readAccountRecord(
		item.context,
		item.connection,
		BALANCE,
		accountId,
		plan.timeoutMs,
	);
	if (!balance.ok) return notSentAfterRead(item, balance.reply, BALANCE.name(accountId));
	const excess = balance.records[0].excess;
	if (typeof excess !== 'number' || !Number.isFinite(excess)) {
		return { ok: false, failure: noExcessFigure(itemIndex, accountId, amount.value) };
	}
	item.excess = excess;
	if (Math.round(excess * 100) >= amount.cents) return undefined;
	return {
		ok: false,
		details: { excess },
		failure: insufficientFunds(itemIndex, accountId, excess, amount.value),
	};
}

/** Dry Run: the request the item would send, with no secret in it; nothing is sent. */
function dryRun(item: MovementItem): Settled | undefined {
	const { plan } = item;
	if (!plan.dryRun) return undefined;
	const call = moneyCallOf(item);
	return {
		ok: true,
		moved: false,
		json: {
			status: 'dryRun',
			dryRun: true,
			method: call.method,
			url: callUrlOf(item.connection, call),
			accountId: plan.accountId,
			amount: plan.amount.value,
			...(item.excess !== undefined ? { excess: item.excess } : {}),
		},
	};
}

/** Reconcile Unknown Outcomes: where the request's row will be, known before it is sent. */
async function takeBaseline(item: MovementItem): Promise<Settled | undefined> {
	const { plan } = item;
	if (!plan.reconcileUnknown) return undefined;
	const baseline = await item.ledgers.baselineBeforeSending(plan.accountId, plan.timeoutMs);
	if (!baseline.ok) return notSentAfterRead(item, baseline.reply, ledgerName(plan.accountId));
	item.baseline = baseline.value;
	return undefined;
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

/** The money request, sent once (transport re-sends only what ETNA did not process). */
async function sendMoneyRequest(item: MovementItem): Promise<Settled> {
	const { plan } = item;
	item.ledgers.sent(plan.accountId);
	const reply = await callEtna.call(item.context, item.connection, moneyCallOf(item));
	if (isPaymentConfirmation(reply)) {
		return {
			ok: true,
			moved: true,
			json: { ...reply.body, accountId: plan.accountId, status: 'moved' },
		};
	}
	const failure = describeFailedReply(reply, subjectOf(item), requestContextOf(item));
	if (failure.outcome !== 'unknown' || item.baseline === undefined) {
		return { ok: false, failure, haltsBatch: haltsBatch(reply) };
	}
	return await reconcile(item, item.baseline, failure);
}

/** After an unknown outcome: the ledger tells whether the money moved. */
async function reconcile(
	item: MovementItem,
	baseline: Baseline,
	failure: EtnaFailure,
): Promise<Settled> {
	const { plan } = item;
	const checkedAt = new Date().toISOString();
	const after = await transactionsAfter(
		item.context,
		item.connection,
		plan.accountId,
		baseline,
		plan.timeoutMs,
	);
	const payment = after.ok ? paymentAfter(after.rows, baseline, signedCentsOf(item)) : undefined;
	if (payment) {
		return {
			ok: true,
			moved: true,
			json: { ...payment, accountId: plan.accountId, reconciled: true, status: 'reconciled' },
		};
	}
	return {
		ok: false,
		details: { reconciled: false },
		failure: describeUnreconciled(
			failure,
			{
				read: after.ok,
				checkedAt,
				accountId: plan.accountId,
				signedAmount: signedCentsOf(item) / 100,
			},
			item.movement.noun,
		),
	};
}
