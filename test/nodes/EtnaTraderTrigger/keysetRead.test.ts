// The keyset read alone, over a list in memory: how many requests it makes, in which order it
// finds rows, and that rows appearing or vanishing between its requests neither repeat nor skip.
import { cursorAfter, type Cursor } from '../../../nodes/EtnaTraderTrigger/cursor';
import {
	readAbove,
	type PageReader,
	type PageRequest,
	type ReadLimits,
} from '../../../nodes/EtnaTraderTrigger/keysetRead';

interface Row {
	Id: number;
}

/** A list as ETNA pages it: page 0 of the filter, `pageSize` rows, with TotalCount unless told not to. */
function memoryList(ids: number[], { pageSize = 3, totalCount = true } = {}) {
	const rows = new Set(ids);
	const requests: PageRequest[] = [];
	let beforeEach: (() => void) | undefined;
	const reader: PageReader<Row, string> = async (request) => {
		beforeEach?.();
		requests.push(request);
		const matching = [...rows]
			.filter((id) => id > request.above && (request.below === undefined || id < request.below))
			.sort((left, right) => (request.newestFirst ? right - left : left - right));
		return {
			ok: true,
			page: {
				rows: matching.slice(0, pageSize).map((Id) => ({ Id })),
				total: totalCount ? matching.length : undefined,
			},
		};
	};
	return {
		rows,
		requests,
		reader,
		/** Runs `change` before every request from now on. */
		beforeEachRequest(change: () => void) {
			beforeEach = change;
		},
	};
}

const now = Date.parse('2026-11-30T12:00:00Z');
const limits = (overrides: Partial<ReadLimits> = {}): ReadLimits => ({
	now,
	pageCap: 10,
	outOfBudget: () => false,
	...overrides,
});

async function read(cursor: Cursor, reader: PageReader<Row, string>, limit = limits()) {
	const result = await readAbove(cursor, reader, limit);
	if (!result.ok) throw new Error(result.failure);
	return { ...result, ids: result.fresh.map((row) => row.Id) };
}

const range = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('readAbove', () => {
	it('costs one request when every unseen row is on the first page', async () => {
		const list = memoryList([...range(1, 20)]);
		const first = await read(cursorAfter(0), list.reader);
		list.rows.add(21);
		list.requests.length = 0;

		const next = await read(first.cursor, list.reader);

		expect(next.ids).toEqual([21]);
		expect(list.requests).toEqual([{ above: 0, newestFirst: true }]);
	});

	it('finds a late row below the first page newest first, in the same poll', async () => {
		const list = memoryList([...range(1, 9), ...range(11, 20)]);
		const first = await read(cursorAfter(0), list.reader);
		list.rows.add(10);

		const next = await read(first.cursor, list.reader);

		expect(next.ids).toEqual([10]);
		expect(list.requests.slice(-4).every((request) => request.newestFirst)).toBe(true);
	});

	it('drains a backlog larger than the page cap oldest first over reads, each row once', async () => {
		const list = memoryList(range(1, 40));
		const found: number[] = [];
		let cursor = cursorAfter(0);
		for (let poll = 0; poll < 4; poll++) {
			const result = await read(cursor, list.reader, limits({ pageCap: 4 }));
			found.push(...result.ids);
			cursor = result.cursor;
		}

		// 9 rows in the first read (its first request counts), 12 in each after: in order across reads.
		expect(found).toEqual(range(1, 40));
	});

	it('moves on under a budget that allows one request a poll', async () => {
		const list = memoryList(range(1, 12));
		const found: number[] = [];
		let cursor = cursorAfter(0);
		for (let poll = 0; poll < 8 && found.length < 12; poll++) {
			const result = await read(cursor, list.reader, limits({ outOfBudget: () => true }));
			found.push(...result.ids);
			cursor = result.cursor;
		}

		expect([...found].sort((left, right) => left - right)).toEqual(range(1, 12));
	});

	it('reads to the end without a TotalCount', async () => {
		const list = memoryList(range(1, 7), { totalCount: false });
		const first = await read(cursorAfter(0), list.reader);
		list.rows.add(8);

		expect(first.ids).toEqual(range(1, 7));
		expect((await read(first.cursor, list.reader)).ids).toEqual([8]);
	});

	it('neither repeats nor skips a row when rows appear and vanish between its requests', async () => {
		const list = memoryList([...range(1, 10), ...range(21, 30)]);
		let request = 0;
		list.beforeEachRequest(() => {
			request += 1;
			// A late row below the first page, and a row not read yet gone.
			if (request === 2) {
				list.rows.add(15);
				list.rows.delete(2);
			}
		});

		const result = await read(cursorAfter(0), list.reader);

		expect(new Set(result.ids).size).toBe(result.ids.length);
		expect(result.ids).toEqual(expect.arrayContaining([1, ...range(3, 10), 15, ...range(21, 30)]));
	});

	it('reads on when rows it had seen vanished, rather than trust the count', async () => {
		const list = memoryList(range(1, 20).filter((id) => id !== 10));
		const first = await read(cursorAfter(0), list.reader);
		// Two seen rows gone, one late row come: more seen than there are, so the count proves nothing.
		list.rows.delete(3);
		list.rows.delete(4);
		list.rows.add(10);

		expect((await read(first.cursor, list.reader)).ids).toEqual([10]);
	});
});
