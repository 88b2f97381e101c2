// Where a polled list stands, and what a poll's read of it has that is new. ETNA's Ids only grow,
// but a row can become visible late, with an Id below one already emitted (ETNA writes it in a
// transaction that commits later). So a cursor is a floor and the Ids above it already emitted:
// every read asks for the rows above the floor, and a row not yet emitted is new, whatever its
// place. The floor rises past a row once it is older than the grace period, the time a late row
// has to show up; so the cursor holds the Ids of that period only, never the history.

/** How long a row may take to become visible after rows with higher Ids: 15 minutes. */
export const LATE_ROW_GRACE_MS = 15 * 60_000;

export interface Cursor {
	/** Every row at or below it was emitted, or came before the trigger started. */
	floor: number;
	/** Ids above the floor already emitted, ascending. */
	emitted: number[];
	/**
	 * Set when the last read stopped at the page cap: the next read goes on from the highest Id
	 * it read, rather than from the floor, so a backlog larger than a page drains across polls.
	 */
	resumeAfter?: number;
}

/** A row of a read, by what the cursor needs: its Id and when ETNA says it happened. */
export interface CursorRow {
	Id: number;
	/** Its Date (ledger) or CreatedDate (account), in ms; NaN when ETNA gave none. */
	at: number;
}

/** The Id a read starts after. */
export function readFrom(cursor: Cursor): number {
	return cursor.resumeAfter ?? cursor.floor;
}

/** A cursor that starts after this Id, with nothing emitted. */
export function cursorAfter(id: number): Cursor {
	return { floor: id, emitted: [] };
}

/**
 * What a read of the rows above `readFrom(cursor)`, ascending by Id, has that is new, and the
 * cursor after it. `more`: the read stopped at its cap (rows above the last one are unread).
 */
export function advance<Row extends CursorRow>(
	cursor: Cursor,
	rows: readonly Row[],
	{ more, now }: { more: boolean; now: number },
): { fresh: Row[]; next: Cursor } {
	const emitted = new Set(cursor.emitted);
	const fresh = rows
		.filter((row) => row.Id > cursor.floor && !emitted.has(row.Id))
		.sort((left, right) => left.Id - right.Id);
	for (const row of fresh) emitted.add(row.Id);
	// The floor passes rows old enough that nothing below them can still appear.
	const settled = rows
		.filter((row) => Number.isFinite(row.at) && row.at < now - LATE_ROW_GRACE_MS)
		.reduce((highest, row) => Math.max(highest, row.Id), cursor.floor);
	const floor = Math.max(cursor.floor, settled);
	const highestRead = rows.reduce((highest, row) => Math.max(highest, row.Id), readFrom(cursor));
	return {
		fresh,
		next: {
			floor,
			emitted: [...emitted].filter((id) => id > floor).sort((left, right) => left - right),
			...(more ? { resumeAfter: highestRead } : {}),
		},
	};
}
