// The cursor alone: which Ids it has seen, and how far the floor may rise on n8n's clock.
import {
	countSeenBelow,
	cursorAfter,
	GRACE_WINDOW_MS,
	seenIds,
	settle,
	withSeen,
} from '../../../nodes/EtnaTraderTrigger/cursor';

const now = Date.parse('2026-11-30T12:00:00Z');
const longAgo = now - GRACE_WINDOW_MS - 1;
const recently = now - GRACE_WINDOW_MS + 1000;

describe('withSeen', () => {
	it('notes new Ids above the floor at the time given, once each', () => {
		const cursor = withSeen(withSeen(cursorAfter(10), [12, 11, 9], recently), [12, 13], now);

		expect(cursor.seen).toEqual([
			{ at: recently, ids: [11, 12] },
			{ at: now, ids: [13] },
		]);
		expect([...seenIds(cursor)]).toEqual([11, 12, 13]);
		expect(countSeenBelow(cursor, 13)).toBe(2);
	});
});

describe('settle', () => {
	it('raises the floor past Ids every one of which n8n first saw more than the window ago', () => {
		const cursor = withSeen(withSeen(cursorAfter(10), [11, 12], longAgo), [14], recently);

		expect(settle(cursor, now)).toEqual({ floor: 12, seen: [{ at: recently, ids: [14] }] });
	});

	it('stops below an Id seen recently, even with older ones above it (a late row seen late)', () => {
		const cursor = withSeen(withSeen(cursorAfter(10), [12, 14], longAgo), [11], recently);

		expect(settle(cursor, now).floor).toBe(10);
	});

	it('never moves without seen Ids, whatever the time', () => {
		expect(settle(cursorAfter(20), now + 10 * GRACE_WINDOW_MS)).toEqual(cursorAfter(20));
	});
});
