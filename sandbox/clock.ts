// The sandbox's own time: payments are dated and tokens expire by it. Tests move it on instead
// of sleeping (`advance`); it starts at the real time and `reset()` brings it back there.
export class SandboxClock {
	private offsetMs = 0;

	now(): number {
		return Date.now() + this.offsetMs;
	}

	/** Moves the sandbox's time on: a token ages, and the next payment is dated later. */
	advance(ms: number): void {
		this.offsetMs += ms;
	}

	reset(): void {
		this.offsetMs = 0;
	}
}
