import { runPool } from '../../../../nodes/EtnaTrader/helpers/pool';

/** Runs `items` (keys) through the pool, each taking a little while; records what overlapped. */
async function observe(keys: number[], concurrency: number, stopAfter?: number) {
	let now = 0;
	let max = 0;
	const running = new Set<number>();
	let sameKeyOverlap = false;
	const finished: number[] = [];
	const items = keys.map((key, index) => ({ key, index }));
	await runPool(items, {
		concurrency,
		keyOf: (item) => item.key,
		stopped: () => stopAfter !== undefined && finished.length >= stopAfter,
		work: async (item) => {
			if (running.has(item.key)) sameKeyOverlap = true;
			running.add(item.key);
			now += 1;
			max = Math.max(max, now);
			await new Promise((resolve) => setTimeout(resolve, 5));
			now -= 1;
			running.delete(item.key);
			finished.push(item.index);
		},
	});
	return { max, sameKeyOverlap, finished, inFlightAfter: now };
}

describe('runPool', () => {
	it('keeps up to N items in flight over distinct keys', async () => {
		const result = await observe(
			Array.from({ length: 40 }, (_, index) => index % 16),
			8,
		);

		expect(result.max).toBe(8);
		expect(result.sameKeyOverlap).toBe(false);
		expect([...result.finished].sort((a, b) => a - b)).toEqual(
			Array.from({ length: 40 }, (_, i) => i),
		);
	});

	it('never runs two items of one key at once, and keeps their order', async () => {
		const result = await observe([1, 1, 1, 2, 2, 1], 8);

		expect(result.sameKeyOverlap).toBe(false);
		expect(result.max).toBe(2);
		expect(result.finished.filter((index) => [0, 1, 2, 5].includes(index))).toEqual([0, 1, 2, 5]);
	});

	it('starts nothing new once stopped, and returns only after the running items end', async () => {
		const result = await observe(
			Array.from({ length: 20 }, (_, index) => index),
			4,
			2,
		);

		expect(result.finished.length).toBeLessThan(20);
		expect(result.inFlightAfter).toBe(0);
	});

	it('ends every worker before it passes on a failure', async () => {
		let running = 0;
		const attempt = runPool([1, 2, 3, 4], {
			concurrency: 4,
			keyOf: (key) => key,
			stopped: () => false,
			work: async (key) => {
				running += 1;
				await new Promise((resolve) => setTimeout(resolve, key === 1 ? 1 : 20));
				running -= 1;
				if (key === 1) throw new Error('boom');
			},
		});

		await expect(attempt).rejects.toThrow('boom');
		expect(running).toBe(0);
	});
});
