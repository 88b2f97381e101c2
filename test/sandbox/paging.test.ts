// Paging realism: pages capped at maxPageSize, links that follow the page size served, and
// many accounts for a benchmark.
import { DEFAULT_MAX_PAGE_SIZE, startEtnaSandbox, type EtnaSandbox } from '../../sandbox/server';
import { readReply, sandboxUnderTest } from './sandboxUnderTest';

interface Paged {
	Result: Array<{ Id: number; Cash?: number }>;
	TotalCount: number;
	NextPageLink: string | null;
	PreviousPageLink: string | null;
}

const etna = sandboxUnderTest({ maxPageSize: 2 });

/** Follows NextPageLink from `path` as a client would, collecting every page. */
async function followPages(path: string): Promise<Paged[]> {
	const headers = { 'Et-App-Key': etna.appKey, ...etna.admin() };
	const pages: Paged[] = [];
	let next: string | null = `${etna.sandbox.apiUrl}${path}`;
	while (next) {
		const page: Paged = (await readReply<Paged>(await fetch(next, { headers }))).body;
		pages.push(page);
		next = page.NextPageLink || null;
	}
	return pages;
}

describe('maxPageSize', () => {
	it('serves at most maxPageSize accounts, while TotalCount and NextPageLink tell there are more', async () => {
		const reply = await etna.call<Paged>(
			'GET',
			'/v1.0/accounts?pageSize=5&pageNumber=0&propertyName=Id&isAscending=true',
			etna.admin(),
		);

		expect(reply.body.Result.map((account) => account.Id)).toEqual([1001, 1002]);
		expect(reply.body.TotalCount).toBe(5);
		const next = new URL(reply.body.NextPageLink ?? '');
		expect(next.searchParams.get('pageNumber')).toBe('1');
		expect(next.searchParams.get('pageSize')).toBe('2');
		expect(next.searchParams.get('propertyName')).toBe('Id');
		expect(next.searchParams.get('isAscending')).toBe('true');
	});

	it('gives every account exactly once to a client that follows the links of the account list', async () => {
		const pages = await followPages(
			'/v1.0/accounts?pageSize=50&pageNumber=0&propertyName=Cash&isAscending=true',
		);

		expect(pages.map((page) => page.Result.length)).toEqual([2, 2, 1]);
		expect(pages.flatMap((page) => page.Result.map((account) => account.Cash))).toEqual([
			0, 750.5, 2500, 50000, 100000,
		]);
		expect(pages[2].NextPageLink).toBeNull();
	});

	it('caps the ledger the same way, with an empty NextPageLink on its last page', async () => {
		const pages = await followPages(
			'/v1.0/accounts/1001/transactions?pageSize=50&pageNumber=0&sortBy=Id&isDesc=false',
		);

		expect(pages.map((page) => page.Result.map((transaction) => transaction.Id))).toEqual([
			[1, 6],
			[7, 8],
			[9],
		]);
		expect(pages[0].TotalCount).toBe(5);
		expect(pages[2].NextPageLink).toBe('');
	});

	it('can be changed at runtime, and reset brings back the start value', async () => {
		etna.sandbox.maxPageSize = 4;
		const wider = await etna.call<Paged>(
			'GET',
			'/v1.0/accounts?pageSize=10&pageNumber=0&propertyName=Id&isAscending=true',
			etna.admin(),
		);
		expect(wider.body.Result).toHaveLength(4);

		etna.sandbox.reset();

		expect(etna.sandbox.maxPageSize).toBe(2);
		expect(() => {
			etna.sandbox.maxPageSize = 0;
		}).toThrow(RangeError);
	});
});

describe('many accounts', () => {
	let big: EtnaSandbox;
	beforeAll(async () => {
		big = await startEtnaSandbox({ accountCount: 2000 });
	});
	afterAll(async () => big.close());

	async function bigList(query: string): Promise<Paged> {
		const token = big.model.issueToken('admin');
		const response = await fetch(`${big.apiUrl}/v1.0/accounts?${query}`, {
			headers: { 'Et-App-Key': 'sandbox-app-key', Authorization: `Bearer ${token}` },
		});
		return (await readReply<Paged>(response)).body;
	}

	it('seeds ids 1001 to 3000: the five default accounts first, then generated ones', async () => {
		expect(big.model.accounts.size).toBe(2000);
		expect(Math.min(...big.model.accounts.keys())).toBe(1001);
		expect(Math.max(...big.model.accounts.keys())).toBe(3000);
		expect(big.model.cashOf(1001)).toBe(100000);
		expect(big.model.excessOf(1003)).toBe(30000);
		expect(big.model.transactionsOf(3000)).toEqual([
			expect.objectContaining({ Type: 'Payment', Value: big.model.cashOf(3000) }),
		]);
	});

	it('gives generated accounts the same plausible cash, in whole cents, on every start', async () => {
		const again = await startEtnaSandbox({ accountCount: 10 });
		try {
			for (const id of [1006, 1007, 1010]) {
				const cash = big.model.cashOf(id);
				expect(again.model.cashOf(id)).toBe(cash);
				expect(cash).toBeGreaterThanOrEqual(1000);
				expect(cash).toBeLessThan(251000);
				expect(Number.isInteger(Math.round(cash * 100))).toBe(true);
				expect(big.model.excessOf(id)).toBe(cash);
			}
			expect(new Set([1006, 1007, 1008].map((id) => big.model.cashOf(id))).size).toBe(3);
		} finally {
			await again.close();
		}
	});

	it(`caps a page at ${DEFAULT_MAX_PAGE_SIZE} items by default`, async () => {
		const page = await bigList('pageSize=500&pageNumber=3&propertyName=Id&isAscending=true');

		expect(page.Result).toHaveLength(DEFAULT_MAX_PAGE_SIZE);
		expect(page.Result[0].Id).toBe(1301);
		expect(page.TotalCount).toBe(2000);
	});

	it('keeps only the first seeds when accountCount is smaller than the list', async () => {
		const small = await startEtnaSandbox({ accountCount: 2 });
		try {
			expect([...small.model.accounts.keys()]).toEqual([1001, 1002]);
		} finally {
			await small.close();
		}
	});
});
