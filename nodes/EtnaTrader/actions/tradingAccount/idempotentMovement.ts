// Withdraw and Deposit with an Idempotency Key: the key is claimed before anything is sent, and
// an item whose key was claimed before is not sent (helpers/idempotency.ts keeps the keys in
// n8n's database). Once the item settles, the key keeps what became of its money, or is released
// when no money certainly moved, so a corrected retry is sent.
import {
	claimKey,
	lookUpKey,
	recordKeyOutcome,
	releaseKey,
	type Claim,
	type KeyedRequest,
	type Stored,
} from '../../helpers/idempotency';
import { describeKeyProblem, type KeyProblem } from '../../helpers/errors';
import { settleMovement, subjectOf, type MovementItem, type Settled } from './movementSteps';

function keyedRequestOf({ movement, plan }: MovementItem, key: string): KeyedRequest {
	return {
		key,
		operation: movement.noun,
		accountId: plan.accountId,
		cents: plan.amount.cents,
	};
}

function refused(item: MovementItem, key: string, problem: KeyProblem): Settled {
	return {
		ok: false,
		details: { idempotencyKey: key },
		failure: describeKeyProblem(problem, key, subjectOf(item), item.itemIndex),
	};
}

/** The store's own failure, as a refusal of the item: nothing was sent. */
function storeFailure(
	item: MovementItem,
	key: string,
	stored: Extract<Stored<unknown>, { ok: false }>,
): Settled {
	return refused(item, key, { kind: 'store', problem: stored.problem, reason: stored.reason });
}

/** A key claimed before for this same request: the item is not sent, and says so. */
function duplicateOf(
	item: MovementItem,
	key: string,
	claim: Extract<Claim, { kind: 'duplicate' }>,
	dryRun: boolean,
): Settled {
	const { plan } = item;
	return {
		ok: true,
		moved: false,
		json: {
			status: 'duplicate',
			duplicate: true,
			idempotencyKey: key,
			firstAttempt: claim.firstAttempt,
			accountId: plan.accountId,
			amount: plan.amount.value,
			...(dryRun ? { dryRun: true } : {}),
		},
	};
}

function withKey(settled: Settled, key: string): Settled {
	return settled.ok
		? { ...settled, json: { ...settled.json, idempotencyKey: key } }
		: { ...settled, details: { ...settled.details, idempotencyKey: key } };
}

/** Dry Run: where the key stands is shown, nothing is claimed. */
async function dryRunWithKey(item: MovementItem, key: string): Promise<Settled> {
	const stored = await lookUpKey(item.context, keyedRequestOf(item, key));
	if (!stored.ok) return storeFailure(item, key, stored);
	const standing = stored.value;
	if (standing.kind === 'duplicate') return duplicateOf(item, key, standing, true);
	if (standing.kind === 'conflict') return refused(item, key, { kind: 'conflict' });
	return withKey(await settleMovement(item), key);
}

/**
 * Records what became of the money under the key: moved or unknown stay claimed; anything that
 * certainly moved no money (refused, not sent, skipped) releases it. A failure to record leaves
 * the key claimed as in progress, the safe side: a retry is then not sent.
 */
async function settleKey(item: MovementItem, request: KeyedRequest, settled: Settled) {
	const outcome = settled.ok
		? settled.moved
			? 'moved'
			: undefined
		: settled.failure.outcome === 'unknown'
			? 'unknown'
			: undefined;
	const stored = outcome
		? await recordKeyOutcome(item.context, request, outcome)
		: await releaseKey(item.context, request);
	if (!stored.ok) {
		item.context.logger.warn(
			`ETNA Trader: the Idempotency Key of item ${item.itemIndex + 1} could not be ${outcome ? `marked ${outcome}` : 'released'}; it stays claimed, so a retry with it is not sent`,
			{ error: stored.reason },
		);
	}
}

/** Settles one item, once per Idempotency Key when the item has one. */
export async function settleOnce(item: MovementItem): Promise<Settled> {
	const key = item.plan.idempotencyKey;
	if (key === undefined) return await settleMovement(item);
	if (item.plan.dryRun) return await dryRunWithKey(item, key);
	const request = keyedRequestOf(item, key);
	const stored = await claimKey(item.context, request);
	if (!stored.ok) return storeFailure(item, key, stored);
	const claim = stored.value;
	if (claim.kind === 'duplicate') return duplicateOf(item, key, claim, false);
	if (claim.kind === 'conflict') return refused(item, key, { kind: 'conflict' });
	const settled = await settleMovement(item);
	await settleKey(item, request, settled);
	return withKey(settled, key);
}
