// One poll of one watched list (an account's ledger, or the account list): where it starts, what a
// change of the narrowing owes, and the keyset read of what is new. Everything it changes is built
// apart and handed back: a failed request leaves the watch exactly as it was.
import type { EtnaList, EtnaReply } from '../EtnaTrader/transport';
import { cursorAfter, seenIds } from './cursor';
import { drainAscending, readAbove, type ReadLimits } from './keysetRead';
import type { EtnaReads, ListRow } from './reads';
import { bothOf, fingerprintOf, narrowingOf, type Narrowing } from './settings';
import type { Handover, Watch } from './state';

/** The most pages one poll reads of one list (of 100 rows). A larger backlog drains over polls. */
export const PAGES_PER_POLL = 10;

export type Served = { ok: true; watch: Watch; fresh: ListRow[] } | { ok: false; reply: EtnaReply };

export interface WatchTarget {
	list: EtnaList;
	/** The rows that are events (ledgers); none for the account list. */
	narrowing?: Narrowing;
}

/**
 * A watch not read yet starts where its list stands now: its rows so far are not events. One
 * whose narrowing changed starts the same way for what the new settings add, and owes the rows
 * both settings keep (a handover) from its old place up to there.
 */
async function startingPoint(
	reads: EtnaReads,
	watch: Watch,
	target: WatchTarget,
): Promise<{ ok: true; watch: Watch } | { ok: false; reply: EtnaReply }> {
	const newest = await reads.newestId(target.list, target.narrowing);
	if (!newest.ok) return newest;
	const started: Watch = { cursor: cursorAfter(newest.value) };
	const { cursor: old, filter } = watch;
	if (!old || filter === undefined || !target.narrowing) return { ok: true, watch: started };
	const handovers: Handover[] = [];
	// Handovers still owed by an earlier change keep only what the new settings keep too.
	for (const handover of watch.handovers ?? []) {
		const keep = bothOf(narrowingOf(handover.keep), target.narrowing);
		if (keep) handovers.push({ ...handover, keep: fingerprintOf(keep) });
	}
	const keep = bothOf(narrowingOf(filter), target.narrowing);
	if (keep && newest.value > old.floor) {
		handovers.push({
			after: old.floor,
			upTo: newest.value,
			keep: fingerprintOf(keep),
			skip: [...seenIds(old)].sort((left, right) => left - right),
		});
	}
	if (handovers.length) started.handovers = handovers;
	return { ok: true, watch: started };
}

/** The rows the handovers owe, oldest first; the handovers left for the next poll. */
async function payHandovers(
	reads: EtnaReads,
	handovers: readonly Handover[],
	target: WatchTarget,
	limits: ReadLimits,
): Promise<{ ok: true; left: Handover[]; fresh: ListRow[] } | { ok: false; reply: EtnaReply }> {
	const left: Handover[] = [];
	const fresh: ListRow[] = [];
	let pages = 0;
	for (const handover of handovers) {
		const skip = new Set(handover.skip);
		const reader = reads.pages(target.list, narrowingOf(handover.keep));
		const drained = await drainAscending(
			handover.after,
			handover.upTo + 1,
			async (request) => {
				pages += 1;
				return await reader(request);
			},
			() => pages,
			limits,
			(rows) => fresh.push(...rows.filter((row) => !skip.has(row.Id))),
		);
		if (!drained.ok) return { ok: false, reply: drained.failure };
		if (!drained.done) left.push({ ...handover, after: drained.from });
	}
	return { ok: true, left, fresh };
}

/**
 * One poll of a watch: its starting point if it has none (or its narrowing changed), else the
 * handovers it owes and the keyset read above its cursor.
 */
export async function serveWatch(
	reads: EtnaReads,
	watch: Watch,
	target: WatchTarget,
	limits: ReadLimits,
): Promise<Served> {
	let cursor = watch.cursor;
	// Just started: nothing above its starting point yet, so no read of it this poll.
	let started = false;
	if (!cursor || watch.filter !== undefined) {
		const start = await startingPoint(reads, watch, target);
		if (!start.ok) return start;
		watch = start.watch;
		cursor = watch.cursor ?? cursorAfter(0);
		started = true;
	}
	const paid = await payHandovers(reads, watch.handovers ?? [], target, limits);
	if (!paid.ok) return paid;
	const next: Watch = { cursor };
	if (paid.left.length) next.handovers = paid.left;
	if (started) return { ok: true, watch: next, fresh: paid.fresh };
	const read = await readAbove(cursor, reads.pages(target.list, target.narrowing), limits);
	if (!read.ok) return { ok: false, reply: read.failure };
	next.cursor = read.cursor;
	return { ok: true, watch: next, fresh: [...paid.fresh, ...read.fresh] };
}
