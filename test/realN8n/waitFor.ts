// Waiting on a condition that comes in its own time (a real n8n, the browser showing it, the
// sandbox's server under an in-process test): never a fixed sleep before an assertion.

/** A duration as people read it, e.g. "12.3 s". */
export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Calls `check` every `everyMs` until it gives a value (anything but undefined or false) and
 * returns that value; throws after `timeoutMs`.
 */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = 60_000,
	everyMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline)
			throw new Error(`Gave up waiting for ${what} after ${seconds(timeoutMs)}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}
