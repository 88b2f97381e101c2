// A clock for the node that never really waits: each sleep moves its time on at once and is
// written down, so a test can check how long the node would have waited without waiting.
import { systemClock, useClock, type Clock } from '../../nodes/EtnaTrader/transport/clock';

export interface FakeClock extends Clock {
	/** Every sleep the node asked for, in milliseconds, in order. */
	readonly sleeps: number[];
	/** Milliseconds the node waited in all. */
	slept(): number;
}

export function fakeClock(start = Date.now()): FakeClock {
	let now = start;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		sleep: async (ms) => {
			sleeps.push(ms);
			now += ms;
			await Promise.resolve();
		},
		slept: () => sleeps.reduce((sum, ms) => sum + ms, 0),
	};
}

/** Runs `body` with the node on a fake clock, and puts the real clock back whatever happens. */
export async function withFakeClock<T>(body: (clock: FakeClock) => Promise<T>): Promise<T> {
	const clock = fakeClock();
	useClock(clock);
	try {
		return await body(clock);
	} finally {
		useClock(systemClock);
	}
}
