// Trading Account > Get and Get Balance: one account record per item, as ETNA gives it.
import { takeContractViolations } from '../../../../../sandbox/contract';
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const get = { resource: 'tradingAccount', operation: 'get' };
const getBalance = { resource: 'tradingAccount', operation: 'getBalance' };
const mapped = { accountId: '={{ $json.accountId }}' };

describe('Get', () => {
	it('reads each account with one GET and outputs it as ETNA gives it, plus accountId', async () => {
		const result = await runOperation(etna, get, mapped, [
			{ accountId: 1002 },
			{ accountId: '1003' },
		]);

		expect(etna.sandbox.apiRequests().map((request) => `${request.method} ${request.url}`)).toEqual(
			['GET /api/v1.0/accounts/1002', 'GET /api/v1.0/accounts/1003'],
		);
		expect(
			result.main.map((item) => [
				item.json.Id,
				item.json.Cash,
				item.json.accountId,
				item.pairedItem,
			]),
		).toEqual([
			[1002, 2500, 1002, { item: 0 }],
			[1003, 50000, 1003, { item: 1 }],
		]);
		expect(Object.keys(result.main[0].json)).toEqual(
			expect.arrayContaining(['Id', 'ClearingAccount', 'Enabled', 'Cash', 'Currency', 'Status']),
		);
	});

	it('says an unknown account was not found, and that reading moves no money', async () => {
		const result = await runOperation(etna, get, mapped, [{ accountId: 424242 }], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json).toEqual({
			error: expect.stringMatching(/^ETNA found no trading account 424242 \(HTTP 404\)/),
			message: expect.stringMatching(/^Outcome: rejected/),
			details: expect.objectContaining({
				outcome: 'rejected',
				httpCode: 404,
				accountId: 424242,
				description: expect.not.stringMatching(/moved|unknown/i),
			}),
		});
	});

	it('says a wrong API Version has no such endpoint, rather than blaming the account', async () => {
		const result = await runOperation(etna, get, mapped, [{ accountId: 1001 }], {
			onError: 'continueErrorOutput',
			credentials: etna.credentials({ apiVersion: '2.0' }),
		});

		expect(result.errorOutput[0].json.error).toBe(
			`ETNA has no such endpoint at this Base URL and API version (HTTP 404): reading account 1001 was not processed. ETNA said: "No HTTP resource was found that matches the request URI '/api/v2.0/accounts/1001'."`,
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'rejected',
			httpCode: 404,
			description: expect.stringMatching(/Base URL .* and API Version/),
		});
		// The sandbox writes down a request to a route ETNA does not have; this one was on purpose.
		expect(takeContractViolations()).toEqual([
			expect.objectContaining({ url: '/api/v2.0/accounts/1001', endpoint: undefined }),
		]);
	});

	it('refuses a bad Account ID before any request', async () => {
		const result = await runOperation(etna, get, mapped, [
			{ accountId: 1001 },
			{ accountId: '1/../2' },
		]);

		expect(result.nodeError?.message).toMatch(/^Item 2: Account ID "1\/..\/2" is not valid/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it("says a regular user's token cannot read accounts", async () => {
		const result = await runOperation(etna, get, mapped, [{ accountId: 1001 }], {
			credentials: etna.credentials({ token: etna.sandbox.model.issueToken('trader') }),
		});

		expect(result.nodeError?.message).toMatch(
			/^ETNA refused the token \(HTTP 401\): reading account 1001 needs an ETNA administrator's token/,
		);
	});

	it('never calls a failed read an unknown outcome: a timeout is simply run again', async () => {
		etna.sandbox.addFault({ fault: { kind: 'hang' } });

		const result = await runOperation(etna, get, mapped, [{ accountId: 1001 }], {
			onError: 'continueErrorOutput',
			options: { timeout: 200 },
		});

		expect(result.errorOutput[0].json.error).toBe(
			'ETNA did not answer within 0.2 seconds: reading account 1001 failed.',
		);
		expect(result.errorOutput[0].json.details).toMatchObject({ outcome: 'rejected' });
	});
});

describe('Get Balance', () => {
	it("outputs ETNA's balance fields as given, plus accountId", async () => {
		const result = await runOperation(etna, getBalance, mapped, [{ accountId: 1003 }]);

		expect(etna.sandbox.apiRequests().map((request) => request.url)).toEqual([
			'/api/v1.0/accounts/1003/info',
		]);
		expect(result.main[0].json).toMatchObject({
			cash: 50000,
			excess: 30000,
			pendingCash: 0,
			accountId: 1003,
		});
		expect(Object.keys(result.main[0].json)).toEqual(
			expect.arrayContaining(['netCash', 'equityTotal', 'netLiquidity', 'stockBuyingPower']),
		);
	});

	it('sees a withdrawal made before it', async () => {
		etna.sandbox.model.setCash(1002, 1000);

		const result = await runOperation(etna, getBalance, mapped, [{ accountId: 1002 }]);

		expect(result.main[0].json).toMatchObject({ cash: 1000, excess: 1000 });
	});
});
