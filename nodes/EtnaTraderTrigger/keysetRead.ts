// One poll's read of one list above a cursor, by keyset: every request is page 0 of a filter
// whose Id bounds move, never a later page of the same filter, so a row that appears or vanishes
// between two requests can neither repeat nor be skipped.
//
// The steady state costs one request: the newest page above the floor, with ETNA's TotalCount.
// The rows above the floor it does not show number TotalCount less the page; the cursor knows how
// many of those it has seen, so when the two agree every unseen row is on the page. Otherwise the
// read goes on: newest first when what is left fits this poll's page cap, else oldest first from
// the floor (a backlog), resuming there on the next poll, so events keep their order.
import { countSeenBelow, seenIds, settle, withSeen, type Cursor } from './cursor';

/** Rows above `above` (and below `below`), `newestFirst` or oldest first: page 0 of that filter. */
export interface PageRequest {
	above: number;
	below?: number;
	newestFirst: boolean;
}

export interface Page<Row> {
	rows: Row[];
	/** ETNA's TotalCount: the rows the request's filter matches in all; absent when not given. */
	total?: number;
}

export type PageReader<Row, Failure> = (
	request: PageRequest,
) => Promise<{ ok: true; page: Page<Row> } | { ok: false; failure: Failure }>;

export interface ReadLimits {
	/** n8n's time now: what the rows found are first seen at. */
	now: number;
	/** The most requests this read may make. */
	pageCap: number;
	/** True once the poll should start no more requests (a read always makes its first). */
	outOfBudget: () => boolean;
}

export type ReadResult<Row, Failure> =
	/** `fresh`: rows never seen before, by Id; `cursor`: where the list stands after them. */
	| { ok: true; fresh: Row[]; cursor: Cursor; pages: number }
	/** A request failed: nothing is taken, the cursor stays as it was. */
	| { ok: false; failure: Failure; pages: number };

interface IdRow {
	Id: number;
}

const byId = (left: IdRow, right: IdRow) => left.Id - right.Id;
const lowestId = (rows: readonly IdRow[]) => Math.min(...rows.map((row) => row.Id));
const highestId = (rows: readonly IdRow[]) => Math.max(...rows.map((row) => row.Id));

/**
 * Reads what is new above `cursor`. A read that saw every row above the floor lets the floor
 * rise (cursor.ts); one stopped by the page cap or the budget does not.
 */
export async function readAbove<Row extends IdRow, Failure>(
	cursor: Cursor,
	readPage: PageReader<Row, Failure>,
	limits: ReadLimits,
): Promise<ReadResult<Row, Failure>> {
	const seen = seenIds(cursor);
	const fresh = new Map<number, Row>();
	const take = (rows: readonly Row[]) => {
		for (const row of rows) {
			if (row.Id > cursor.floor && !seen.has(row.Id) && !fresh.has(row.Id)) fresh.set(row.Id, row);
		}
	};
	let pages = 0;
	const fetch = async (request: PageRequest) => {
		pages += 1;
		return await readPage(request);
	};
	const finish = (complete: boolean, resume?: number): ReadResult<Row, Failure> => {
		const kept: Cursor = { floor: cursor.floor, seen: cursor.seen };
		if (resume !== undefined) kept.resume = resume;
		const next = withSeen(kept, [...fresh.keys()], limits.now);
		return {
			ok: true,
			fresh: [...fresh.values()].sort(byId),
			cursor: complete ? settle(next, limits.now) : next,
			pages,
		};
	};
	/** Unseen rows below `lowest`, the last row of a page; unknown without a TotalCount. */
	const unseenBelow = (page: Page<Row>, lowest: number) =>
		page.total === undefined
			? undefined
			: page.total - page.rows.length - countSeenBelow(cursor, lowest);

	let drainFrom = cursor.resume;
	if (drainFrom === undefined) {
		const first = await fetch({ above: cursor.floor, newestFirst: true });
		if (!first.ok) return { ok: false, failure: first.failure, pages };
		if (first.page.rows.length === 0) return finish(true);
		let lowest = lowestId(first.page.rows);
		// Below zero: rows seen before have vanished, so the count proves nothing; read on.
		if (unseenBelow(first.page, lowest) === 0) {
			take(first.page.rows);
			return finish(true);
		}
		const left =
			first.page.total === undefined ? undefined : first.page.total - first.page.rows.length;
		if (left !== undefined && left <= (limits.pageCap - 1) * first.page.rows.length) {
			// Few enough to read now, newest first, down to the last unseen row.
			take(first.page.rows);
			while (pages < limits.pageCap && !limits.outOfBudget()) {
				const next = await fetch({ above: cursor.floor, below: lowest, newestFirst: true });
				if (!next.ok) return { ok: false, failure: next.failure, pages };
				const { rows, total } = next.page;
				take(rows);
				if (rows.length === 0 || (total !== undefined && rows.length >= total)) {
					return finish(true);
				}
				lowest = lowestId(rows);
				if (unseenBelow(next.page, lowest) === 0) return finish(true);
			}
			// Stopped by the budget (or rows kept coming): the next poll drains from the floor
			// instead, which moves on however short its polls are.
			return finish(false, cursor.floor);
		}
		// A backlog: it drains oldest first from the floor; the first page's rows wait their turn.
		drainFrom = cursor.floor;
	}
	const drain = await drainAscending(drainFrom, undefined, fetch, () => pages, limits, take);
	if (!drain.ok) return { ok: false, failure: drain.failure, pages };
	// Only a drain that started at the floor saw every row above it.
	return drain.done ? finish(drainFrom === cursor.floor) : finish(false, drain.from);
}

/**
 * Pages oldest first above `from` (and below `below`), each above the last Id of the one before,
 * handing each page's rows to `take`, until the range ends, the page cap or the budget. `done`:
 * the range ended; otherwise `from` is where to go on.
 */
export async function drainAscending<Row extends IdRow, Failure>(
	from: number,
	below: number | undefined,
	fetch: PageReader<Row, Failure>,
	pagesSoFar: () => number,
	limits: ReadLimits,
	take: (rows: readonly Row[]) => void,
): Promise<{ ok: true; done: boolean; from: number } | { ok: false; failure: Failure }> {
	let after = from;
	for (;;) {
		const pages = pagesSoFar();
		if (pages >= limits.pageCap || (pages > 0 && limits.outOfBudget())) {
			return { ok: true, done: false, from: after };
		}
		const next = await fetch({ above: after, below, newestFirst: false });
		if (!next.ok) return { ok: false, failure: next.failure };
		const { rows, total } = next.page;
		take(rows);
		if (rows.length === 0 || (total !== undefined && rows.length >= total)) {
			return { ok: true, done: true, from: after };
		}
		after = highestId(rows);
	}
}
