// What the trigger keeps between polls, in n8n's static data of the node, and how it is written
// there: compact, since All Accounts keeps one entry per account and n8n writes the whole of it
// back whenever it changes. An account at rest is its floor alone (a number).
import type { IDataObject } from 'n8n-workflow';

import type { Cursor, SeenGroup } from './cursor';
import type { TriggerEvent } from './settings';

/** Rows a filter change still owes: those above `after` up to `upTo` that `keep` matches. */
export interface Handover {
	after: number;
	upTo: number;
	/** The narrowing both the old and the new settings keep (a fingerprint). */
	keep: string;
	/** Ids the old cursor had already read: never emitted again. */
	skip: number[];
}

/** One watched list: an account's ledger, or the account list. */
export interface Watch {
	/** Absent until its first read, which notes where it stands (it joins from then). */
	cursor?: Cursor;
	/** The narrowing its cursor follows, when it is not the state's (changed since its last read). */
	filter?: string;
	/** Polls in a row whose read of it failed. */
	failures?: number;
	handovers?: Handover[];
}

export interface TriggerState {
	event: TriggerEvent;
	/** The narrowing (Types, Direction) the cursors follow, as a fingerprint. */
	filter: string;
	/** New Transaction: each watched account's ledger, by account Id. */
	accounts: Map<number, Watch>;
	/** New Trading Account: the account list. All Accounts: the list that finds the accounts. */
	list?: Watch;
	/** The account the next poll starts its turn with. */
	next?: number;
}

const STATE_VERSION = 2;

/** A watch as stored: a number is a cursor at rest (its floor), null a watch not read yet. */
type StoredWatch = number | null | StoredWatchObject;

interface StoredWatchObject {
	floor?: number;
	/** [first seen at, ...Ids], oldest first. */
	seen?: number[][];
	resume?: number;
	filter?: string;
	failures?: number;
	handovers?: Handover[];
}

function storeWatch(watch: Watch): StoredWatch {
	const { cursor, filter, failures, handovers } = watch;
	const atRest =
		cursor !== undefined &&
		cursor.seen.length === 0 &&
		cursor.resume === undefined &&
		filter === undefined &&
		!failures &&
		!handovers?.length;
	if (atRest) return cursor.floor;
	if (cursor === undefined && filter === undefined && !failures && !handovers?.length) return null;
	const stored: StoredWatchObject = {};
	if (cursor) {
		stored.floor = cursor.floor;
		if (cursor.seen.length) stored.seen = cursor.seen.map((group) => [group.at, ...group.ids]);
		if (cursor.resume !== undefined) stored.resume = cursor.resume;
	}
	if (filter !== undefined) stored.filter = filter;
	if (failures) stored.failures = failures;
	if (handovers?.length) stored.handovers = handovers;
	return stored;
}

const isNumber = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value);

function numbersOf(value: unknown): number[] {
	return Array.isArray(value) ? value.filter(isNumber) : [];
}

/** The state of 0.3.0's first builds: { floor, emitted, resumeAfter }, emitted Ids seen now. */
function legacyCursor(stored: IDataObject, now: number): Cursor | undefined {
	if (!isNumber(stored.floor) || !Array.isArray(stored.emitted)) return undefined;
	const ids = numbersOf(stored.emitted);
	return { floor: stored.floor, seen: ids.length ? [{ at: now, ids }] : [] };
}

function loadWatch(stored: unknown, now: number): Watch {
	if (isNumber(stored)) return { cursor: { floor: stored, seen: [] } };
	if (typeof stored !== 'object' || stored === null) return {};
	const object = stored as IDataObject;
	const legacy = legacyCursor(object, now);
	if (legacy) return { cursor: legacy };
	const watch: Watch = {};
	if (isNumber(object.floor)) {
		const seen: SeenGroup[] = (Array.isArray(object.seen) ? object.seen : [])
			.map(numbersOf)
			.filter((group) => group.length > 1)
			.map(([at, ...ids]) => ({ at, ids }));
		watch.cursor = { floor: object.floor, seen };
		if (isNumber(object.resume)) watch.cursor.resume = object.resume;
	}
	if (typeof object.filter === 'string') watch.filter = object.filter;
	if (isNumber(object.failures) && object.failures > 0) watch.failures = object.failures;
	if (Array.isArray(object.handovers)) {
		watch.handovers = (object.handovers as IDataObject[]).filter(
			(handover): handover is IDataObject & Handover =>
				isNumber(handover.after) && isNumber(handover.upTo) && typeof handover.keep === 'string',
		);
		for (const handover of watch.handovers) handover.skip = numbersOf(handover.skip);
	}
	return watch;
}

/**
 * The stored state for this event, or undefined when there is none (the first activation).
 * `filter`: the current settings' fingerprint, for a state that predates fingerprints.
 */
export function loadState(
	stored: unknown,
	event: TriggerEvent,
	filter: string,
	now: number,
): TriggerState | undefined {
	if (typeof stored !== 'object' || stored === null) return undefined;
	const object = stored as IDataObject;
	// Another event's cursors say nothing about this one: it starts anew.
	if (object.event !== event) return undefined;
	const accounts = new Map<number, Watch>();
	if (typeof object.accounts === 'object' && object.accounts !== null) {
		for (const [id, watch] of Object.entries(object.accounts)) {
			if (Number.isInteger(Number(id))) accounts.set(Number(id), loadWatch(watch, now));
		}
	}
	const state: TriggerState = {
		event,
		filter:
			object.version === STATE_VERSION && typeof object.filter === 'string'
				? object.filter
				: filter,
		accounts,
	};
	if (object.list !== undefined) state.list = loadWatch(object.list, now);
	if (isNumber(object.next)) state.next = object.next;
	return state;
}

export function storeState(state: TriggerState): IDataObject {
	const accounts: Record<string, StoredWatch> = {};
	for (const [id, watch] of state.accounts) accounts[String(id)] = storeWatch(watch);
	const stored: IDataObject = {
		version: STATE_VERSION,
		event: state.event,
		filter: state.filter,
		accounts: accounts as IDataObject,
	};
	if (state.list) stored.list = storeWatch(state.list) as IDataObject;
	if (state.next !== undefined) stored.next = state.next;
	return stored;
}
