// The cursor alone: what a read has that is new, and how far the floor may rise.
import {
	advance,
	cursorAfter,
	LATE_ROW_GRACE_MS,
	readFrom,
} from '../../../nodes/EtnaTraderTrigger/cursor';

const now = Date.parse('2026-11-30T12:00:00Z');
const recent = now - 60_000;
const old = now - LATE_ROW_GRACE_MS - 1;
const row = (Id: number, at = recent) => ({ Id, at });

describe('advance', () => {
	it('finds the rows above the floor not yet emitted, in Id order, and remembers them', () => {
		const { fresh, next } = advance({ floor: 10, emitted: [12] }, [row(13), row(12), row(11)], {
			more: false,
			now,
		});

		expect(fresh.map((found) => found.Id)).toEqual([11, 13]);
		expect(next).toEqual({ floor: 10, emitted: [11, 12, 13] });
	});

	it('raises the floor past rows older than the grace period, forgetting their Ids', () => {
		const { next } = advance(
			{ floor: 10, emitted: [11, 12] },
			[row(11, old), row(12, old), row(14)],
			{
				more: false,
				now,
			},
		);

		expect(next).toEqual({ floor: 12, emitted: [14] });
	});

	it('goes on after the last Id read when a read stopped at its cap, and back to the floor after', () => {
		const capped = advance(cursorAfter(10), [row(11), row(12)], { more: true, now });
		expect(readFrom(capped.next)).toBe(12);

		const rest = advance(capped.next, [row(13)], { more: false, now });
		expect(rest.fresh.map((found) => found.Id)).toEqual([13]);
		expect(readFrom(rest.next)).toBe(10);
	});

	it('never lowers the floor, and keeps a row without a date above it', () => {
		const { next } = advance({ floor: 20, emitted: [] }, [row(21, Number.NaN)], {
			more: false,
			now,
		});

		expect(next).toEqual({ floor: 20, emitted: [21] });
	});
});
