// Requests in flight (overall and per account) and added latency, for tests of a client's
// concurrency and for benchmarks.
import { startEtnaSandbox } from '../../sandbox/server';
import { waitFor } from '../realN8n/waitFor';
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

describe('requests in flight', () => {
	it('shows maxPerAccount 2 after two overlapping requests to one account', async () => {
		etna.sandbox.addFault({ accountId: 1001, times: 2, fault: { kind: 'delay', ms: 200 } });
		const headers = etna.admin();

		const replies = await Promise.all([
			etna.call('GET', '/v1.0/accounts/1001', headers),
			etna.call('POST', '/v1.0/accounts/1001/withdrawal?withdrowalValue=1', headers),
		]);

		expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
		expect(etna.sandbox.inFlight()).toEqual({
			now: 0,
			max: 2,
			maxPerAccount: 2,
			maxPerAccountById: { 1001: 2 },
		});
	});

	it('shows overlapping requests to two accounts as 2 overall but 1 per account', async () => {
		etna.sandbox.addFault({ times: 2, fault: { kind: 'delay', ms: 200 } });
		const headers = etna.admin();

		const replies = await Promise.all([
			etna.call('GET', '/v1.0/accounts/1001/info', headers),
			etna.call(
				'GET',
				'/v1.0/accounts/1002/transactions?pageNumber=0&pageSize=20&sortBy=Id&isDesc=false',
				headers,
			),
		]);

		expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
		expect(etna.sandbox.inFlight()).toEqual({
			now: 0,
			max: 2,
			maxPerAccount: 1,
			maxPerAccountById: { 1001: 1, 1002: 1 },
		});
	});

	it('counts /token and the account list only overall', async () => {
		etna.sandbox.addFault({ times: 2, fault: { kind: 'delay', ms: 200 } });

		const replies = await Promise.all([
			etna.call('POST', '/token', { Username: 'admin', Password: 'admin-password' }),
			etna.call(
				'GET',
				'/v1.0/accounts?pageNumber=0&pageSize=5&propertyName=Id&isAscending=true',
				etna.admin(),
			),
		]);

		expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
		expect(etna.sandbox.inFlight()).toEqual({
			now: 0,
			max: 2,
			maxPerAccount: 0,
			maxPerAccountById: {},
		});
	});

	it('keeps a hanging request in flight until the client gives up', async () => {
		etna.sandbox.addFault({ times: 1, fault: { kind: 'hang' } });
		const gaveUp = fetch(`${etna.sandbox.apiUrl}/v1.0/accounts/1004`, {
			headers: { 'Et-App-Key': etna.appKey, ...etna.admin() },
			signal: AbortSignal.timeout(300),
		}).catch(() => 'aborted');
		await waitFor('the request to arrive', () => etna.sandbox.inFlight().now > 0, 5_000, 5);

		expect(etna.sandbox.inFlight()).toMatchObject({ now: 1, maxPerAccountById: { 1004: 1 } });
		expect(await gaveUp).toBe('aborted');
		// The server sees the client's abort a moment after the client does.
		await waitFor('the aborted request to end', () => etna.sandbox.inFlight().now === 0, 5_000, 5);
		expect(etna.sandbox.inFlight().now).toBe(0);
	});

	it('starts the maxima again on reset, and on resetInFlightMaxima', async () => {
		etna.sandbox.addFault({ times: 2, fault: { kind: 'delay', ms: 100 } });
		const headers = etna.admin();
		const overlapping = () =>
			Promise.all([
				etna.call('GET', '/v1.0/accounts/1001', headers),
				etna.call('GET', '/v1.0/accounts/1001', headers),
			]);
		await overlapping();

		etna.sandbox.resetInFlightMaxima();
		expect(etna.sandbox.inFlight()).toEqual({
			now: 0,
			max: 0,
			maxPerAccount: 0,
			maxPerAccountById: {},
		});
		await etna.call('GET', '/v1.0/accounts/1001', headers);
		expect(etna.sandbox.inFlight()).toMatchObject({ max: 1, maxPerAccount: 1 });

		etna.sandbox.reset();
		expect(etna.sandbox.inFlight().max).toBe(0);
	});
});

describe('latency', () => {
	async function timed(action: () => Promise<unknown>): Promise<number> {
		const started = performance.now();
		await action();
		return performance.now() - started;
	}

	it('adds latencyMs before every API answer, faulted ones included, once set at runtime', async () => {
		const headers = etna.admin();
		etna.sandbox.latencyMs = 250;
		etna.sandbox.addFault({ times: 1, fault: { kind: 'status', status: 503 } });

		const faulted = await timed(() => etna.call('GET', '/v1.0/accounts/1001', headers));
		const normal = await timed(() => etna.call('GET', '/v1.0/accounts/1001', headers));
		const control = await timed(() => etna.control('GET', '/accounts'));

		expect(faulted).toBeGreaterThanOrEqual(240);
		expect(normal).toBeGreaterThanOrEqual(240);
		expect(control).toBeLessThan(200);
	});

	it('goes back to the start value (0) on reset', async () => {
		etna.sandbox.latencyMs = 500;

		etna.sandbox.reset();

		expect(etna.sandbox.latencyMs).toBe(0);
		expect(await timed(() => etna.call('GET', '/v1.0/accounts/1001', etna.admin()))).toBeLessThan(
			400,
		);
	});

	it('takes latencyMs from the options at start', async () => {
		const slow = await startEtnaSandbox({ latencyMs: 200 });
		try {
			const elapsed = await timed(() =>
				fetch(`${slow.apiUrl}/token`, {
					method: 'POST',
					headers: {
						'Et-App-Key': 'sandbox-app-key',
						Username: 'admin',
						Password: 'admin-password',
					},
				}),
			);

			expect(elapsed).toBeGreaterThanOrEqual(190);
			expect(slow.latencyMs).toBe(200);
		} finally {
			await slow.close();
		}
	});

	it('refuses a negative latency', () => {
		expect(() => {
			etna.sandbox.latencyMs = -1;
		}).toThrow(RangeError);
	});
});
