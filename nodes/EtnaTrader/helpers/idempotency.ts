// Idempotency Keys for Withdraw and Deposit: a key is claimed in n8n's own database before the
// money request leaves, so a retried request with the same key is not sent again, in this
// execution, a later one, after a restart, or on another queue-mode worker.
//
// The store is n8n's deduplication store (`this.helpers.checkProcessedAndRecord`, the one Remove
// Duplicates uses): the only durable store n8n gives a community node (its data tables refuse any
// node but n8n's own). In n8n 2.41.1 and 1.123.81 (n8n `dist/deduplication/deduplication-helper.js`)
// it keeps one row per workflow and node holding hashes of the values, and every call reads the
// row and writes it back whole, without a lock: two claims at once can both see a key as new, and
// one can erase the other's key. Its one atomic step is creating a row, which the table's primary
// key (workflowId, context) lets only one process do. So:
// - the node's keys live in the node's row (scope `node`), written only while holding a lock;
// - the lock is the workflow's row (scope `workflow`): taking it creates the row, releasing it
//   deletes it; a process that finds the row there waits, and one whose create fails lost the race;
// - claims of one process also queue here, one at a time per workflow, before the database.
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import { clock } from '../transport';

/** How many keys each node remembers; the oldest are forgotten first (n8n's `maxEntries`). */
export const KEYS_KEPT = 5_000;
/** Values per key: its claim, its request's fingerprint and, once known, what became of it. */
const VALUES_PER_KEY = 3;

const KEY_VALUES: ICheckProcessedOptions = {
	mode: 'entries',
	maxEntries: KEYS_KEPT * VALUES_PER_KEY,
};
const LOCK_VALUES: ICheckProcessedOptions = { mode: 'entries' };
const LOCK = 'etna-trader:idempotency-lock';

/**
 * The lock is held for a few database statements: one held this long was left by a process that
 * stopped while holding it, and is taken over (and logged) so the workflow's money moves again.
 */
export const STALE_LOCK_MS = 60_000;
/** After this long without the lock, the claim gives up and nothing is sent. */
export const LOCK_GIVE_UP_MS = 2 * STALE_LOCK_MS;

/** What the node knows of the attempt that claimed a key first. */
export type FirstAttempt = 'moved' | 'unknown' | 'inProgress';

/** What became of a key's attempt, once recorded: the key stays claimed. */
export type KeyOutcome = 'moved' | 'unknown';

/** The request a key is claimed for: a later item with the key must ask the same. */
export interface KeyedRequest {
	key: string;
	operation: 'withdrawal' | 'deposit';
	accountId: number;
	cents: number;
}

export type Claim =
	/** This item holds the key: send, then record the outcome or release the key. */
	| { kind: 'won' }
	/** The key was claimed before for the same request: not sent. */
	| { kind: 'duplicate'; firstAttempt: FirstAttempt }
	/** The key was claimed before for another request (account, amount or operation): not sent. */
	| { kind: 'conflict' };

/** Why the store could not be used; nothing is sent for the item. */
export type StoreProblem = 'unavailable' | 'lockBusy' | 'sharedScope';

/** A step of the protocol: its answer, or why the store could not give one. */
export type Stored<T> =
	| { ok: true; value: T }
	| { ok: false; problem: StoreProblem; reason: string };

const failed = (problem: StoreProblem, reason: string): Stored<never> => ({
	ok: false,
	problem,
	reason,
});

type Dedup = Pick<
	IExecuteFunctions['helpers'],
	'checkProcessedAndRecord' | 'removeProcessed' | 'clearAllProcessedItems' | 'getProcessedDataCount'
>;

function valuesOf(request: KeyedRequest) {
	const { key, operation, accountId, cents } = request;
	return {
		claim: `claim:${key}`,
		fingerprint: `request:${operation}/${accountId}/${cents}:${key}`,
		moved: `moved:${key}`,
		unknown: `unknown:${key}`,
	};
}

/** Claims of this process wait here, one at a time per workflow, rather than in the database. */
const queues = new Map<string, Promise<void>>();

async function oneAtATime<T>(scope: string, work: () => Promise<T>): Promise<T> {
	const before = queues.get(scope) ?? Promise.resolve();
	const run = before.then(work);
	const done = run.then(
		() => undefined,
		() => undefined,
	);
	queues.set(scope, done);
	try {
		return await run;
	} finally {
		if (queues.get(scope) === done) queues.delete(scope);
	}
}

function dedupOf(context: IExecuteFunctions): Dedup | undefined {
	const { helpers } = context;
	const needed = [
		helpers.checkProcessedAndRecord,
		helpers.removeProcessed,
		helpers.clearAllProcessedItems,
		helpers.getProcessedDataCount,
	];
	return needed.every((helper) => typeof helper === 'function') ? helpers : undefined;
}

function reasonOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** A create of the workflow's row refused by the primary key: another process took the lock. */
function lostTheRace(error: unknown): boolean {
	const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
	return /unique|duplicate key|constraint/i.test(text);
}

/** Tries once to take the workflow's lock: taken, held by another process, or a failure. */
async function tryLock(dedup: Dedup): Promise<Stored<boolean>> {
	try {
		const taken =
			(await dedup.checkProcessedAndRecord([LOCK], 'workflow', LOCK_VALUES)).new.length > 0;
		return { ok: true, value: taken };
	} catch (error) {
		// A create refused by the primary key: another process took the lock meanwhile.
		if (lostTheRace(error)) return { ok: true, value: false };
		return failed('unavailable', reasonOf(error));
	}
}

/**
 * Holds the workflow's lock while `work` reads and writes the node's keys. Taking it creates the
 * workflow's row: of two processes creating it at once, the database lets one, and the other's
 * call fails. A row already there (holding the lock) means another process holds it.
 */
async function withLock<T>(
	context: IExecuteFunctions,
	dedup: Dedup,
	work: () => Promise<T>,
): Promise<Stored<T>> {
	const started = clock().now();
	let pause = 10;
	let tookOver = false;
	for (;;) {
		const taken = await tryLock(dedup);
		if (!taken.ok) return taken;
		if (taken.value) {
			// A lock only if the row is ours alone: a node of the workflow using the workflow's
			// deduplication scope (Remove Duplicates with Scope: Workflow) would share the row.
			if ((await dedup.getProcessedDataCount('workflow', LOCK_VALUES)) !== 1) {
				await dedup.removeProcessed([LOCK], 'workflow', LOCK_VALUES);
				return failed(
					'sharedScope',
					'another node of this workflow keeps its deduplication data for the whole workflow',
				);
			}
			try {
				return { ok: true, value: await work() };
			} finally {
				await dedup.clearAllProcessedItems('workflow', LOCK_VALUES);
			}
		}
		const waited = clock().now() - started;
		if (!tookOver && waited >= STALE_LOCK_MS) {
			tookOver = true;
			if ((await dedup.getProcessedDataCount('workflow', LOCK_VALUES)) === 1) {
				context.logger.warn(
					`ETNA Trader: the Idempotency Key lock of workflow ${context.getWorkflow().id ?? ''} stayed taken for ${STALE_LOCK_MS / 1000} s, as if a process stopped while holding it: taking it over`,
				);
				await dedup.clearAllProcessedItems('workflow', LOCK_VALUES);
			}
		}
		if (waited >= LOCK_GIVE_UP_MS) {
			return failed('lockBusy', `the lock stayed taken for ${LOCK_GIVE_UP_MS / 1000} s`);
		}
		await clock().sleep(pause * (0.5 + Math.random()));
		pause = Math.min(pause * 2, 250);
	}
}

/** One step of the protocol: under the workflow's lock, one claim of the workflow at a time here. */
async function locked<T>(
	context: IExecuteFunctions,
	work: (dedup: Dedup) => Promise<T>,
): Promise<Stored<T>> {
	const dedup = dedupOf(context);
	if (!dedup) return failed('unavailable', 'n8n gives this run no deduplication store');
	try {
		return await oneAtATime(
			context.getWorkflow().id ?? '',
			async () => await withLock(context, dedup, async () => await work(dedup)),
		);
	} catch (error) {
		// n8n's own failure: a workflow never saved (the store keys rows by its id), a database error.
		return failed('unavailable', reasonOf(error));
	}
}

/**
 * Where a key stands, read under the lock. The store answers "seen" only by recording, so what a
 * look recorded that was not there is taken out again (all but the claim, when `claiming`).
 */
async function standing(
	dedup: Dedup,
	request: KeyedRequest,
	claiming: boolean,
): Promise<Claim | { kind: 'free' }> {
	const values = valuesOf(request);
	const recorded = await dedup.checkProcessedAndRecord(
		[values.claim, values.fingerprint],
		'node',
		KEY_VALUES,
	);
	const seen = new Set(recorded.processed.map(String));
	if (!seen.has(values.claim)) {
		if (claiming) return { kind: 'won' };
		await dedup.removeProcessed(recorded.new, 'node', KEY_VALUES);
		return { kind: 'free' };
	}
	if (!seen.has(values.fingerprint)) {
		await dedup.removeProcessed([values.fingerprint], 'node', KEY_VALUES);
		return { kind: 'conflict' };
	}
	const outcomes = await dedup.checkProcessedAndRecord(
		[values.moved, values.unknown],
		'node',
		KEY_VALUES,
	);
	if (outcomes.new.length > 0) await dedup.removeProcessed(outcomes.new, 'node', KEY_VALUES);
	const known = new Set(outcomes.processed.map(String));
	const firstAttempt: FirstAttempt = known.has(values.moved)
		? 'moved'
		: known.has(values.unknown)
			? 'unknown'
			: 'inProgress';
	return { kind: 'duplicate', firstAttempt };
}

/**
 * Claims the key for this item before its money request leaves. A key claimed before is a
 * duplicate when it was claimed for the same request, a conflict when for another: neither is sent.
 */
export async function claimKey(
	context: IExecuteFunctions,
	request: KeyedRequest,
): Promise<Stored<Claim>> {
	return await locked(context, async (dedup): Promise<Claim> => {
		const claim = await standing(dedup, request, true);
		return claim.kind === 'free' ? { kind: 'won' } : claim;
	});
}

/** Where a key stands without claiming it (Dry Run). */
export async function lookUpKey(
	context: IExecuteFunctions,
	request: KeyedRequest,
): Promise<Stored<Claim | { kind: 'free' }>> {
	return await locked(context, async (dedup) => await standing(dedup, request, false));
}

/** Records what became of a claimed key's attempt; the key stays claimed. */
export async function recordKeyOutcome(
	context: IExecuteFunctions,
	request: KeyedRequest,
	outcome: KeyOutcome,
): Promise<Stored<void>> {
	const values = valuesOf(request);
	return await locked(context, async (dedup) => {
		await dedup.checkProcessedAndRecord([values[outcome]], 'node', KEY_VALUES);
	});
}

/** Releases a key whose attempt certainly moved no money, so a corrected retry is sent. */
export async function releaseKey(
	context: IExecuteFunctions,
	request: KeyedRequest,
): Promise<Stored<void>> {
	const values = valuesOf(request);
	return await locked(context, async (dedup) => {
		await dedup.removeProcessed([values.claim, values.fingerprint], 'node', KEY_VALUES);
	});
}
