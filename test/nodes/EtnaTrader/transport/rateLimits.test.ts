// A 429 (or a 503 with Retry-After) means ETNA did not process the request: every call waits it
// out and sends again, the reads a withdrawal depends on and the read operations alike.
import { runOperation, useSandbox, withdraw } from '../../../support/etna';
import { withFakeClock } from '../../../support/fakeClock';
import type { SandboxEndpoint } from '../../../../sandbox/server';

const etna = useSandbox();

const since = () => new Date(Date.now() - 60_000).toISOString();

/** Each kind of read, as a user runs it, and the endpoint it reads. */
const READS: Array<[string, SandboxEndpoint, () => ReturnType<typeof runOperation>]> = [
	[
		'Get',
		'account',
		() =>
			runOperation(etna, { resource: 'tradingAccount', operation: 'get' }, { accountId: 1002 }, [
				{},
			]),
	],
	[
		'Get Balance',
		'info',
		() =>
			runOperation(
				etna,
				{ resource: 'tradingAccount', operation: 'getBalance' },
				{ accountId: 1002 },
				[{}],
			),
	],
	[
		'Trading Account > Get Many',
		'list',
		() =>
			runOperation(etna, { resource: 'tradingAccount', operation: 'getAll' }, { limit: 2 }, [{}]),
	],
	[
		'Transaction > Get Many',
		'transactions',
		() =>
			runOperation(
				etna,
				{ resource: 'transaction', operation: 'getAll' },
				{ accountId: 1002, limit: 5 },
				[{}],
			),
	],
	[
		"Require Sufficient Cash's balance read",
		'info',
		() =>
			withdraw(etna, [{ accountId: 1002, amount: 5 }], {
				options: { requireSufficientCash: true },
			}),
	],
	[
		"Reconcile Unknown Outcomes' ledger baseline",
		'transactions',
		() => withdraw(etna, [{ accountId: 1002, amount: 5 }], { options: { reconcileUnknown: true } }),
	],
	[
		"Skip If Already Paid Since's ledger read",
		'transactions',
		() =>
			withdraw(etna, [{ accountId: 1002, amount: 5 }], { options: { skipIfPaidSince: since() } }),
	],
];

function requestsTo(endpoint: SandboxEndpoint): number {
	const paths: Record<string, RegExp> = {
		account: /\/accounts\/\d+$/,
		info: /\/info$/,
		list: /\/accounts$/,
		transactions: /\/transactions$/,
	};
	return etna.sandbox.apiRequests().filter((request) => paths[endpoint].test(request.path)).length;
}

describe('a 429 on a read', () => {
	it.each(READS)(
		'%s waits out Retry-After and reads again, then goes on',
		async (_, endpoint, run) => {
			etna.sandbox.addFault({
				endpoint,
				times: 1,
				fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
			});

			const { result, clock } = await withFakeClock(async (clock) => ({
				result: await run(),
				clock,
			}));

			expect(result.nodeError).toBeUndefined();
			expect(result.main.length).toBeGreaterThan(0);
			expect(requestsTo(endpoint)).toBe(2);
			// Waited as long as Retry-After said, on the node's clock, in short slices it can cancel.
			expect(clock.slept()).toBe(2000);
			expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(250);
		},
	);

	it('a withdrawal that waited for its ledger read is still paid exactly once', async () => {
		etna.sandbox.addFault({
			endpoint: 'transactions',
			times: 2,
			fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
		});

		const result = await withdraw(etna, [{ accountId: 1002, amount: 5 }], {
			options: { reconcileUnknown: true, skipIfPaidSince: since() },
		});

		expect(result.main.map((item) => item.json.Amount)).toEqual([-5]);
		expect(etna.withdrawals()).toHaveLength(1);
		expect(etna.sandbox.model.cashOf(1002)).toBe(2495);
	});

	it('gives a read up after 3 re-sends, as rejected: reading moves no money', async () => {
		etna.sandbox.addFault({
			endpoint: 'info',
			fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
		});

		const result = await runOperation(
			etna,
			{ resource: 'tradingAccount', operation: 'getBalance' },
			{ accountId: 1002 },
			[{}],
			{ onError: 'continueErrorOutput' },
		);

		expect(result.errorOutput[0].json.error).toBe(
			'ETNA is limiting the rate of requests (HTTP 429): reading the balance of account 1002 was not processed.',
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'rejected',
			description: expect.stringMatching(
				/^ETNA turned it away 4 times for the rate, each time before processing it\./,
			),
		});
		expect(requestsTo('info')).toBe(4);
	});
});
