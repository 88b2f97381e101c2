// Trading Account > Deposit: the money flow of Withdraw, the other way.
import { deposit, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

describe('a deposit', () => {
	it('sends exactly one POST to /deposit with depositValue and adds the amount to the cash', async () => {
		const result = await deposit(etna, [{ accountId: 1002, amount: 120.5 }]);

		expect(etna.sandbox.apiRequests().map((request) => `${request.method} ${request.url}`)).toEqual(
			['POST /api/v1.0/accounts/1002/deposit?depositValue=120.5'],
		);
		expect(result.main[0].json).toMatchObject({ Amount: 120.5, accountId: 1002 });
		expect(etna.sandbox.model.cashOf(1002)).toBe(2620.5);
	});

	it('refuses a bad amount before any request, as a withdrawal does', async () => {
		const result = await deposit(etna, [
			{ accountId: 1002, amount: 10 },
			{ accountId: 1002, amount: '10.001' },
		]);

		expect(result.nodeError?.message).toMatch(/^Item 2: Amount "10.001" is not valid/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('names the deposit "to" its account when the outcome is unknown', async () => {
		etna.sandbox.addFault({ fault: { kind: 'status', status: 500, afterProcessing: true } });

		const result = await deposit(etna, [{ accountId: 1002, amount: 7 }], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json).toEqual({
			error:
				'ETNA answered with a server error (HTTP 500): the outcome of the deposit of 7 to account 1002 is unknown.',
			message: expect.stringMatching(
				/^Outcome: unknown \(the money may have moved\)\. A server error/,
			),
			details: expect.objectContaining({
				outcome: 'unknown',
				httpCode: 500,
				accountId: 1002,
				amount: 7,
			}),
		});
		expect(etna.sandbox.apiRequests()).toHaveLength(1);
	});

	it('refuses to run with Retry On Fail, which would deposit twice', async () => {
		const result = await deposit(etna, [{ accountId: 1002, amount: 5 }], { retryOnFail: true });

		expect(result.nodeError?.message).toMatch(/would send every deposit of the batch again/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});
