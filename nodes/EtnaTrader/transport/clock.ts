// The time the node reads and the waits it makes (a rate limit's Retry-After, a refused login's
// minute), in one place, so tests can swap in a clock that does not really wait.
import { sleep } from 'n8n-workflow';

export interface Clock {
	now(): number;
	/** Resolves after `ms`; n8n's lint forbids timers in nodes, so this is n8n-workflow's sleep. */
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
};

let current: Clock = systemClock;

export function clock(): Clock {
	return current;
}

/** Replaces the clock (tests); `useClock(systemClock)` puts the real one back. */
export function useClock(replacement: Clock): void {
	current = replacement;
}
