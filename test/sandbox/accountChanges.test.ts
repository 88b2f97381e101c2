// What a test can change under a client, as ETNA's data changes under the trigger: accounts
// opened and closed, and ledger dates written as some deployments write them.
import type { Transaction } from '../../sandbox/model';
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

interface ListPage<Row> {
	Result: Row[];
	TotalCount: number;
}

async function accountIds(): Promise<number[]> {
	const reply = await etna.call<ListPage<{ Id: number }>>(
		'GET',
		'/v1.0/accounts?pageNumber=0&pageSize=100&propertyName=Id&isAscending=true',
		etna.admin(),
	);
	return reply.body.Result.map((account) => account.Id);
}

async function ledger(accountId: number) {
	return await etna.call<ListPage<Transaction>>(
		'GET',
		`/v1.0/accounts/${accountId}/transactions?pageNumber=0&pageSize=100&sortBy=Id&isDesc=false`,
		etna.admin(),
	);
}

describe('accounts opened and removed', () => {
	it('lists an opened account with the next Id, its initial deposit in its ledger, dated now', async () => {
		const before = Date.now();
		const opened = etna.sandbox.model.openAccount({ cash: 250 });

		expect(opened.Id).toBe(1006);
		expect(await accountIds()).toEqual([1001, 1002, 1003, 1004, 1005, 1006]);
		const [deposit] = (await ledger(1006)).body.Result;
		expect(deposit).toMatchObject({
			AccountId: 1006,
			Value: 250,
			Type: 'Payment',
			Description: 'Initial deposit',
		});
		expect(Date.parse(deposit.Date)).toBeGreaterThanOrEqual(before - 1000);
		expect(etna.sandbox.model.openAccount().Id).toBe(1007);
	});

	it('takes a removed account out of the list; its ledger answers 404; reset brings it back', async () => {
		etna.sandbox.model.removeAccount(1003);

		expect(await accountIds()).toEqual([1001, 1002, 1004, 1005]);
		expect((await ledger(1003)).status).toBe(404);
		etna.sandbox.reset();
		expect(await accountIds()).toEqual([1001, 1002, 1003, 1004, 1005]);
	});
});

describe('ledger dates', () => {
	it('answers a row redated as given, a date that does not parse included', async () => {
		const row = etna.sandbox.model.recordPayment(1002, 100);
		etna.sandbox.model.redateTransaction(row.Id, '/Date(1764500000000)/');

		const rows = (await ledger(1002)).body.Result;

		expect(rows.find((found) => found.Id === row.Id)?.Date).toBe('/Date(1764500000000)/');
	});
});
