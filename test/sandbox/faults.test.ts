// Faults aimed at one endpoint, a hang after the money moved, and throttling answers.
import { takeContractViolations } from '../../sandbox/contract';
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

describe('faults for one endpoint', () => {
	it("breaks account 1001's withdrawal while its ledger and other accounts' withdrawals still work", async () => {
		etna.sandbox.addFault({
			accountId: 1001,
			endpoint: 'withdrawal',
			fault: { kind: 'status', status: 500, body: { Message: 'An error has occurred.' } },
		});
		const headers = etna.admin();

		const broken = await etna.call(
			'POST',
			'/v1.0/accounts/1001/withdrawal?withdrowalValue=5',
			headers,
		);
		const ledger = await etna.call(
			'GET',
			'/v1.0/accounts/1001/transactions?pageNumber=0&pageSize=20&sortBy=Id&isDesc=false',
			headers,
		);
		const deposit = await etna.call('POST', '/v1.0/accounts/1001/deposit?depositValue=5', headers);
		const other = await etna.call(
			'POST',
			'/v1.0/accounts/1002/withdrawal?withdrowalValue=5',
			headers,
		);

		expect(broken).toMatchObject({ status: 500, body: { Message: 'An error has occurred.' } });
		expect([ledger.status, deposit.status, other.status]).toEqual([200, 200, 200]);
		expect(etna.sandbox.model.cashOf(1001)).toBe(100005);
	});

	it('breaks logins only, with the token endpoint', async () => {
		etna.sandbox.addFault({ endpoint: 'token', fault: { kind: 'status', status: 503 } });

		const login = await etna.call('POST', '/token', {
			Username: 'admin',
			Password: 'admin-password',
		});
		const account = await etna.call('GET', '/v1.0/accounts/1001', etna.admin());

		expect([login.status, account.status]).toEqual([503, 200]);
	});

	it.each([
		['list', '/v1.0/accounts?pageNumber=0&pageSize=1&propertyName=Id&isAscending=true'],
		['account', '/v1.0/accounts/1002'],
		['info', '/v1.0/accounts/1002/info'],
		[
			'transactions',
			'/v1.0/accounts/1002/transactions?pageNumber=0&pageSize=20&sortBy=Id&isDesc=false',
		],
	] as const)('aims at the %s endpoint and nothing else', async (endpoint, path) => {
		etna.sandbox.addFault({ endpoint, fault: { kind: 'status', status: 502 } });
		const headers = etna.admin();

		expect((await etna.call('GET', path, headers)).status).toBe(502);
		expect(
			(await etna.call('POST', '/v1.0/accounts/1002/deposit?depositValue=1', headers)).status,
		).toBe(200);
	});

	it('leaves a request to no known endpoint to rules without an endpoint', async () => {
		etna.sandbox.addFault({ endpoint: 'account', fault: { kind: 'status', status: 502 } });

		const unknown = await etna.call('GET', '/v1.0/accounts/1001/statements', etna.admin());

		expect(unknown.status).toBe(404);
		// ETNA has no such route: the sandbox writes the request down, and this test takes it.
		expect(takeContractViolations()).toEqual([
			{ method: 'GET', url: '/api/v1.0/accounts/1001/statements', missing: [] },
		]);
	});
});

describe('processing, then no proper answer', () => {
	it('can hang after processing: the money moved and the ledger shows it, but no answer came', async () => {
		etna.sandbox.addFault({ times: 1, fault: { kind: 'hang', afterProcessing: true } });

		await expect(
			fetch(`${etna.sandbox.apiUrl}/v1.0/accounts/1001/withdrawal?withdrowalValue=25`, {
				method: 'POST',
				headers: { 'Et-App-Key': etna.appKey, ...etna.admin() },
				signal: AbortSignal.timeout(300),
			}),
		).rejects.toThrow();

		expect(etna.sandbox.model.cashOf(1001)).toBe(99975);
		expect(etna.sandbox.model.transactionsOf(1001).at(-1)).toMatchObject({
			Type: 'Payment',
			Value: -25,
			Description: 'Withdrawal',
		});
	});

	it('still hangs before processing when afterProcessing is absent: nothing moved', async () => {
		etna.sandbox.addFault({ times: 1, fault: { kind: 'hang' } });

		await expect(
			fetch(`${etna.sandbox.apiUrl}/v1.0/accounts/1001/withdrawal?withdrowalValue=25`, {
				method: 'POST',
				headers: { 'Et-App-Key': etna.appKey, ...etna.admin() },
				signal: AbortSignal.timeout(200),
			}),
		).rejects.toThrow();

		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('can answer 500 after processing: the money moved and the ledger shows it', async () => {
		etna.sandbox.addFault({
			times: 1,
			fault: { kind: 'status', status: 500, afterProcessing: true },
		});

		const reply = await etna.call(
			'POST',
			'/v1.0/accounts/1002/withdrawal?withdrowalValue=100',
			etna.admin(),
		);

		expect(reply.status).toBe(500);
		expect(etna.sandbox.model.cashOf(1002)).toBe(2400);
		expect(etna.sandbox.model.transactionsOf(1002)).toHaveLength(2);
	});
});

describe('throttling', () => {
	it.each([
		[429, 'Too many requests.'],
		[503, 'The service is unavailable.'],
	])(
		'answers %i with Retry-After through the status fault, moving nothing',
		async (status, text) => {
			etna.sandbox.addFault({
				times: 1,
				fault: { kind: 'status', status, body: { Message: text }, headers: { 'Retry-After': '7' } },
			});

			const reply = await etna.call(
				'POST',
				'/v1.0/accounts/1001/withdrawal?withdrowalValue=5',
				etna.admin(),
			);

			expect(reply.status).toBe(status);
			expect(reply.headers.get('retry-after')).toBe('7');
			expect(reply.body).toEqual({ Message: text });
			expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
			expect(etna.sandbox.model.transactionsOf(1001)).toHaveLength(5);
		},
	);
});
