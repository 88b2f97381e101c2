// Where a polled list stands for the trigger. ETNA's Ids only grow, but a row can become visible
// late, with an Id below rows already read (its transaction commits after theirs). So a cursor is
// a floor and the Ids above it this trigger has already read, each with the time n8n first saw
// it. Every read asks for the rows above the floor; a row not seen before is new, whatever its
// place. The floor rises past an Id only once every Id at or below it was first seen more than the
// grace window ago, on n8n's clock: ETNA's `Date` plays no part (its zone and clock are unknown,
// and some deployments write dates that do not parse). So the cursor holds the Ids of the last
// window only, never the history.

/**
 * How long after this trigger first saw a row a late row below it may still appear: 5 minutes.
 * A late row is one ETNA wrote in a transaction that committed after rows with higher Ids. ETNA
 * is an ASP.NET Web API: the request writing a row cannot outlive the server's request timeout
 * (ASP.NET's default executionTimeout is 110 s), and a slow commit takes seconds. In effect a late
 * row is caught if it commits before the first poll that comes this long after its higher
 * neighbour was read.
 */
export const GRACE_WINDOW_MS = 5 * 60_000;

/** Ids first seen at one time (one poll's read). */
export interface SeenGroup {
	at: number;
	ids: number[];
}

export interface Cursor {
	/** Every row at or below it was read (or came before the trigger started). */
	floor: number;
	/** Ids above the floor already read, by the poll that first saw them, oldest poll first. */
	seen: SeenGroup[];
	/**
	 * Set while a backlog drains oldest first over several polls: the next read goes on above this
	 * Id rather than starting again from the floor.
	 */
	resume?: number;
}

/** A cursor that starts after this Id, with nothing seen. */
export function cursorAfter(id: number): Cursor {
	return { floor: id, seen: [] };
}

export function seenIds(cursor: Cursor): Set<number> {
	return new Set(cursor.seen.flatMap((group) => group.ids));
}

/** How many Ids below `below` (and above the floor) the cursor has seen. */
export function countSeenBelow(cursor: Cursor, below: number): number {
	let count = 0;
	for (const group of cursor.seen) for (const id of group.ids) if (id < below) count += 1;
	return count;
}

/** The cursor with `ids` seen at `now` (Ids at or below the floor, or seen already, are ignored). */
export function withSeen(cursor: Cursor, ids: readonly number[], now: number): Cursor {
	const known = seenIds(cursor);
	const added = [...new Set(ids)]
		.filter((id) => id > cursor.floor && !known.has(id))
		.sort((left, right) => left - right);
	if (added.length === 0) return cursor;
	return { ...cursor, seen: [...cursor.seen, { at: now, ids: added }] };
}

/**
 * After a read that found every row above the floor: the floor rises to the highest seen Id at
 * or below which every seen Id was first seen more than the window ago, and forgets those Ids.
 */
export function settle(cursor: Cursor, now: number): Cursor {
	const seen = cursor.seen
		.flatMap((group) => group.ids.map((id) => ({ id, at: group.at })))
		.sort((left, right) => left.id - right.id);
	let floor = cursor.floor;
	for (const { id, at } of seen) {
		if (at > now - GRACE_WINDOW_MS) break;
		floor = id;
	}
	if (floor === cursor.floor) return cursor;
	const kept = cursor.seen
		.map((group) => ({ at: group.at, ids: group.ids.filter((id) => id > floor) }))
		.filter((group) => group.ids.length > 0);
	return { ...cursor, floor, seen: kept };
}
