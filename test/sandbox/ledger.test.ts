// GET /accounts/{id}/transactions: the ledger a client reads to learn whether money moved.
import { ledgerNoRouteBody, takeContractViolations } from '../../sandbox/contract';
import type { Transaction } from '../../sandbox/model';
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

interface LedgerPage {
	Result: Transaction[];
	TotalCount: number;
	NextPageLink: string;
	PreviousPageLink: string;
}

/** The ledger with every parameter ETNA requires (Id ascending); `query` adds or replaces some. */
async function ledger(accountId: number, query = '') {
	const params = new URLSearchParams({
		pageNumber: '0',
		pageSize: '50',
		sortBy: 'Id',
		isDesc: 'false',
	});
	new URLSearchParams(query).forEach((value, name) => params.set(name, value));
	return etna.call<LedgerPage>(
		'GET',
		`/v1.0/accounts/${accountId}/transactions?${params.toString()}`,
		etna.admin(),
	);
}

const ids = (page: LedgerPage) => page.Result.map((transaction) => transaction.Id);

describe('the seeded ledger', () => {
	it('starts each account with an "Initial deposit" Payment of its starting cash, at its CreatedDate', async () => {
		const reply = await ledger(1002);

		expect(reply.body).toEqual({
			Result: [
				{
					Id: 2,
					AccountId: 1002,
					Date: '2024-01-02T09:30:00Z',
					Value: 2500,
					Type: 'Payment',
					Description: 'Initial deposit',
					SecurityId: null,
					Quantity: 0,
					Fee: 0,
				},
			],
			TotalCount: 1,
			NextPageLink: '',
			PreviousPageLink: '',
		});
	});

	it('shows the past trades of account 1001 after its deposit; they net to zero, so cash stays 100000', async () => {
		const { Result } = (await ledger(1001)).body;

		expect(Result.map(({ Type, Value }) => [Type, Value])).toEqual([
			['Payment', 100000],
			['OrderExecution', -1850],
			['Commission', -4.95],
			['OrderExecution', 1859.9],
			['Commission', -4.95],
		]);
		const sumCents = Result.reduce((sum, { Value }) => sum + Math.round(Value * 100), 0);
		expect(sumCents / 100).toBe(etna.sandbox.model.cashOf(1001));
	});
});

describe('money moved', () => {
	it('appends a Payment for each withdrawal and deposit, Value signed, Ids increasing across accounts', async () => {
		const headers = etna.admin();
		const withdrawal = await etna.call<{ CreateDate: string }>(
			'POST',
			'/v1.0/accounts/1001/withdrawal?withdrowalValue=12.34',
			headers,
		);
		await etna.call('POST', '/v1.0/accounts/1002/deposit?depositValue=5', headers);
		await etna.call('POST', '/v1.0/accounts/1001/deposit?depositValue=0.01', headers);

		const { Result } = (await ledger(1001, '&filter=' + encodeURIComponent("Type = 'Payment'")))
			.body;

		expect(Result).toEqual([
			expect.objectContaining({ Id: 1, Description: 'Initial deposit' }),
			{
				Id: 10,
				AccountId: 1001,
				Date: withdrawal.body.CreateDate,
				Value: -12.34,
				Type: 'Payment',
				Description: 'Withdrawal',
				SecurityId: null,
				Quantity: 0,
				Fee: 0,
			},
			expect.objectContaining({ Id: 12, Value: 0.01, Description: 'Deposit' }),
		]);
		expect((await ledger(1002)).body.Result[1]).toMatchObject({ Id: 11, Value: 5 });
		expect(Result[1].Date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
	});

	it('records nothing for a refused withdrawal', async () => {
		await etna.call('POST', '/v1.0/accounts/1002/withdrawal?withdrowalValue=2500.01', etna.admin());

		expect((await ledger(1002)).body.TotalCount).toBe(1);
	});

	it("records them under the model's paymentType, and reset brings back Payment", async () => {
		etna.sandbox.model.paymentType = 'ManualManipulation';
		const withdrawal = await etna.call<{ CreateDate: string }>(
			'POST',
			'/v1.0/accounts/1001/withdrawal?withdrowalValue=7.5',
			etna.admin(),
		);

		const { Result } = (
			await ledger(1001, '&filter=' + encodeURIComponent("Type = 'ManualManipulation'"))
		).body;

		expect(withdrawal.status).toBe(200);
		expect(Result).toEqual([
			{
				Id: 10,
				AccountId: 1001,
				Date: withdrawal.body.CreateDate,
				Value: -7.5,
				Type: 'ManualManipulation',
				Description: 'Withdrawal',
				SecurityId: null,
				Quantity: 0,
				Fee: 0,
			},
		]);

		etna.sandbox.reset();

		expect(etna.sandbox.model.paymentType).toBe('Payment');
		await etna.call('POST', '/v1.0/accounts/1001/withdrawal?withdrowalValue=2.5', etna.admin());
		expect(etna.sandbox.model.transactionsOf(1001).at(-1)).toMatchObject({
			Id: 10,
			Value: -2.5,
			Type: 'Payment',
			Description: 'Withdrawal',
		});
	});

	it('forgets the payments on reset, and numbers from the seed again', async () => {
		await etna.call('POST', '/v1.0/accounts/1002/deposit?depositValue=5', etna.admin());

		etna.sandbox.reset();

		expect(etna.sandbox.model.transactionsOf(1002)).toEqual([
			expect.objectContaining({ Id: 2, Value: 2500 }),
		]);
	});
});

describe('paging and sorting', () => {
	it('pages from page 0, with links where there is a page and empty strings where there is none', async () => {
		const first = await etna.call<LedgerPage>(
			'GET',
			'/v1.0/accounts/1001/transactions?pageNumber=0&pageSize=2&sortBy=Id&isDesc=false',
			etna.admin(),
		);
		const last = await etna.call<LedgerPage>(
			'GET',
			'/v1.0/accounts/1001/transactions?pageNumber=2&pageSize=2&sortBy=Id&isDesc=false',
			etna.admin(),
		);

		expect(first.body).toMatchObject({ TotalCount: 5, PreviousPageLink: '' });
		expect(ids(first.body)).toEqual([1, 6]);
		expect(new URL(first.body.NextPageLink).searchParams.get('pageNumber')).toBe('1');
		expect(ids(last.body)).toEqual([9]);
		expect(last.body.NextPageLink).toBe('');
		expect(new URL(last.body.PreviousPageLink).searchParams.get('pageNumber')).toBe('1');
	});

	it('puts its links on the sandbox itself, with the query kept', async () => {
		const first = await etna.call<LedgerPage>(
			'GET',
			'/v1.0/accounts/1001/transactions?pageNumber=0&pageSize=1&sortBy=Value&isDesc=true',
			etna.admin(),
		);

		const next = new URL(first.body.NextPageLink);
		expect(next.origin).toBe(etna.sandbox.origin);
		expect(next.pathname).toBe('/api/v1.0/accounts/1001/transactions');
		expect(next.searchParams.get('sortBy')).toBe('Value');
		expect(next.searchParams.get('isDesc')).toBe('true');
	});

	it.each([
		['Value', 'false', [6, 7, 9, 8, 1]],
		['Value', 'true', [1, 8, 7, 9, 6]],
		['date', 'true', [8, 9, 6, 7, 1]],
		['Description', 'false', [6, 7, 9, 1, 8]],
	])('sorts by %s with isDesc=%s', async (sortBy, isDesc, expected) => {
		const reply = await ledger(1001, `&sortBy=${sortBy}&isDesc=${isDesc}`);

		expect(ids(reply.body)).toEqual(expected);
	});

	it.each([
		['an unknown sortBy', '&sortBy=Colour'],
		['an isDesc that is not true or false', '&isDesc=maybe'],
		['a negative pageNumber', '&pageNumber=-1'],
	])('refuses %s with 422', async (_, query) => {
		const reply = await ledger(1001, `&pageSize=5${query}`);

		expect(reply).toMatchObject({ status: 422, body: { Message: expect.any(String) } });
	});

	it.each([
		['pageNumber', 'pageSize=5&sortBy=Id&isDesc=false', ['pageNumber']],
		['pageSize', 'pageNumber=0&sortBy=Id&isDesc=false', ['pageSize']],
		['sortBy', 'pageNumber=0&pageSize=5&isDesc=false', ['sortBy']],
		['isDesc', 'pageNumber=0&pageSize=5&sortBy=Id', ['isDesc']],
		['isDesc (empty)', 'pageNumber=0&pageSize=5&sortBy=Id&isDesc=', ['isDesc']],
		['all four', '', ['pageNumber', 'pageSize', 'sortBy', 'isDesc']],
	])(
		"answers 404 with ETNA's ledger error without %s, defaulting nothing",
		async (_, query, missing) => {
			const path = `/v1.0/accounts/1001/transactions${query ? `?${query}` : ''}`;
			const reply = await etna.call('GET', path, etna.admin());

			expect(reply).toMatchObject({
				status: 404,
				body: ledgerNoRouteBody(),
			});
			expect(takeContractViolations()).toEqual([
				{
					method: 'GET',
					url: `/api${path}`,
					endpoint: 'transactions',
					missing,
				},
			]);
		},
	);

	it('answers 404 for an unknown account, as GET account does', async () => {
		const reply = await ledger(9999);

		expect(reply).toMatchObject({ status: 404, body: { Message: expect.any(String) } });
	});
});

describe('filters', () => {
	it.each([
		["Type = 'Payment'", [1]],
		['Value < 0', [6, 7, 9]],
		['Value = -4.95', [7, 9]],
		['Value >= 1859.9', [1, 8]],
		['Value <= -1850', [6]],
		['Value > 100000', []],
		["Type in ('Commission', 'OrderExecution')", [6, 7, 8, 9]],
		['Id in (1, 8, 42)', [1, 8]],
		['Value between -10 and 0', [7, 9]],
		["Description contains 'aapl'", [6, 7, 8, 9]],
		["Description startsWith 'commission'", [7, 9]],
		["Description endsWith '185.99'", [8]],
		["Description = 'Buy 10 AAPL @ 185.00'", [6]],
		["Description = 'it''s'", []],
		['Date >= #2024-02-20T00:00:00Z#', [8, 9]],
		['Date < #2024-02-05T15:00:00+01:00#', [1]],
		['Date between #2024-02-01# and #2024-02-06#', [6, 7]],
		['Date = #2024-02-20T15:02:44.000Z#', [8, 9]],
		["type = 'payment' AND value > 0", [1]],
		["Type = 'Commission' and Date > #2024-02-10T00:00:00Z# and Fee = 4.95", [9]],
		['Quantity = -10', [8]],
		['SecurityId = 7001', [6, 7, 8, 9]],
	])('keeps the rows where %s', async (filter, expected) => {
		const reply = await ledger(1001, `&filter=${encodeURIComponent(filter)}`);

		expect(reply.status).toBe(200);
		expect(ids(reply.body)).toEqual(expected);
		expect(reply.body.TotalCount).toBe(expected.length);
	});

	it.each([
		"Value = 'x'",
		'Nope = 1',
		'Value ~ 1',
		'Value != 1',
		'Date > #yesterday#',
		'Date > #2024-01-01T00:00:00#',
		"Type = 'Payment' or Value > 0",
		'Value between 1',
		"Value contains '1'",
		"Type in ('Payment'",
		"Type = 'Payment",
		'Value >',
		'Type = Payment',
		"Description constructor 'x'",
	])('answers 422 for the unreadable filter %s', async (filter) => {
		const reply = await ledger(1001, `&filter=${encodeURIComponent(filter)}`);

		expect(reply).toEqual({
			status: 422,
			body: { Message: expect.stringContaining(`The filter '${filter}' is not valid: `) },
			headers: expect.anything(),
		});
	});
});
