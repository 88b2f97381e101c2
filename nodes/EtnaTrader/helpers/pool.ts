// Runs work items with up to N at once, never two with the same key at the same time (two money
// requests for one account cannot be told apart in its ledger). Items wait in their key's lane,
// so no worker idles while another key could go, and memory beyond the items is bounded by N.

export interface PoolOptions<T> {
	concurrency: number;
	keyOf(item: T): number | string;
	work(item: T): Promise<void>;
	/** Checked before each item starts: true stops the pool once the running items end. */
	stopped(): boolean;
}

export async function runPool<T>(items: readonly T[], options: PoolOptions<T>): Promise<void> {
	const busy = new Map<number | string, T[]>();
	let next = 0;

	/** The next item in input order whose key is free; items of busy keys join their lane. */
	const take = (): T | undefined => {
		while (next < items.length) {
			const item = items[next++];
			const lane = busy.get(options.keyOf(item));
			if (!lane) return item;
			lane.push(item);
		}
		return undefined;
	};

	const worker = async (): Promise<void> => {
		for (let item = take(); item !== undefined && !options.stopped(); item = take()) {
			const key = options.keyOf(item);
			const lane: T[] = [];
			busy.set(key, lane);
			try {
				for (let current: T | undefined = item; current !== undefined; current = lane.shift()) {
					await options.work(current);
					if (options.stopped()) break;
				}
			} finally {
				busy.delete(key);
			}
		}
	};

	const workers = Math.max(1, Math.min(options.concurrency, items.length));
	// Every worker ends before this returns, even if one failed: nothing stays in flight.
	const ended = await Promise.allSettled(
		Array.from({ length: workers }, async () => await worker()),
	);
	const failed = ended.find((result) => result.status === 'rejected');
	if (failed) throw (failed as PromiseRejectedResult).reason;
}
