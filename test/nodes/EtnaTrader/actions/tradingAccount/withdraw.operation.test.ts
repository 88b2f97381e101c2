// Trading Account > Withdraw, run through n8n's execution engine against the ETNA sandbox.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { capturedLogs } from '../../../../support/captureLogs';
import { useSandbox, withdraw } from '../../../../support/etna';
import { waitFor } from '../../../../realN8n/waitFor';

const etna = useSandbox();

function details(item: INodeExecutionData): IDataObject {
	return item.json.details as IDataObject;
}

describe('a withdrawal that ETNA accepts', () => {
	it('sends exactly one POST to /v1.0/accounts/{id}/withdrawal with the amount and nothing else', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 25.5 }]);

		const [request, ...others] = etna.sandbox.apiRequests();
		expect(others).toHaveLength(0);
		expect(request.method).toBe('POST');
		expect(request.url).toBe('/api/v1.0/accounts/1001/withdrawal?withdrowalValue=25.5');
		expect(request.body).toBe('');
		expect(request.headers['et-app-key']).toBe(etna.appKey);
		expect(request.headers.authorization).toBe(`Bearer ${etna.adminToken}`);
		expect(result.nodeError).toBeUndefined();
	});

	it("outputs the API's answer as it came, plus the account ID as a number", async () => {
		const result = await withdraw(etna, [{ accountId: '1001', amount: 25 }]);

		expect(result.main).toHaveLength(1);
		const { json, pairedItem } = result.main[0];
		expect(Object.keys(json).sort()).toEqual([
			'Amount',
			'CreateDate',
			'Description',
			'accountId',
			'status',
		]);
		expect(json).toMatchObject({ Amount: -25, Description: '', accountId: 1001, status: 'moved' });
		expect(json.CreateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
		expect(pairedItem).toEqual({ item: 0 });
	});

	it("takes the amount from the account's cash", async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 1234.56 }]);

		expect(etna.sandbox.model.cashOf(1001)).toBe(100000 - 1234.56);
	});

	it('sends float noise from an expression as the intended cents: 0.1 + 0.2 goes as 0.3', async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 0.1 + 0.2 }]);

		expect(etna.withdrawals()[0].query).toEqual({ withdrowalValue: ['0.3'] });
	});

	it.each([
		[0.01, '0.01'],
		[100, '100'],
		['100.10', '100.1'],
		[' 42 ', '42'],
		[999999.99, '999999.99'],
	])('sends amount %p in plain decimal notation as %s', async (amount, sent) => {
		etna.sandbox.model.setCash(1001, 1_000_000);
		await withdraw(etna, [{ accountId: 1001, amount }]);

		expect(etna.withdrawals()[0].query.withdrowalValue).toEqual([sent]);
	});

	it('withdraws every item once, in order, each output paired with its input', async () => {
		const items = Array.from({ length: 20 }, (_, index) => ({
			accountId: 1001 + (index % 4),
			amount: index + 1,
		}));

		const result = await withdraw(etna, items);

		expect(result.main.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(result.main.map((item) => [item.json.accountId, item.json.Amount])).toEqual(
			items.map(({ accountId, amount }) => [accountId, -amount]),
		);
		expect(etna.withdrawals().map((request) => request.url)).toEqual(
			items.map(
				({ accountId, amount }) =>
					`/api/v1.0/accounts/${accountId}/withdrawal?withdrowalValue=${amount}`,
			),
		);
	});
});

describe('input that is refused before any request', () => {
	it.each([
		['letters', 'abc'],
		['a negative number', -5],
		['zero', 0],
		['a decimal', 1001.5],
		['a decimal string', '1001.0'],
		['a sign', '+1001'],
		['a path', '1001/../1002'],
		['a query', '1001?withdrowalValue=999'],
		['an empty value', ''],
		['nothing', null],
		['a number beyond int32', 2147483648],
		['an exponent', '1e3'],
	])('refuses an Account ID that is %s and sends nothing', async (_, accountId) => {
		const result = await withdraw(etna, [{ accountId, amount: 10 }]);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(result.main).toHaveLength(0);
		expect(result.nodeError?.message).toMatch(
			/^Item 1: Account ID (.* is not valid|is empty): it must be a whole number from 1 to 2,147,483,647/,
		);
	});

	it.each([
		['zero', 0],
		['negative', -10],
		['three decimals', 1.005],
		['three decimals as text', '12.345'],
		['not a number', 'ten'],
		['exponent notation', '1e3'],
		['a thousands separator', '1,000'],
		['NaN', Number.NaN],
		['Infinity', Number.POSITIVE_INFINITY],
		['too large to send exactly', 1e12],
		['an empty value', ''],
		['a boolean', true],
	])('refuses an amount that is %s and sends nothing', async (_, amount) => {
		const result = await withdraw(etna, [{ accountId: 1001, amount }]);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(result.nodeError?.message).toMatch(
			/^Item 1: Amount (.* is not valid|is empty): it must be a number above 0/,
		);
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('names the item, the field and the value in the message', async () => {
		const result = await withdraw(etna, [
			{ accountId: 1001, amount: 5 },
			{ accountId: 1002, amount: 5 },
			{ accountId: 1003, amount: '12.345' },
		]);

		expect(result.nodeError?.message).toBe(
			'Item 3: Amount "12.345" is not valid: it must be a number above 0 and at most 999,999,999,999.99, with at most 2 decimal places (cents), e.g. 25 or 1234.56',
		);
		expect(result.nodeError?.description).toMatch(/^Outcome: not sent \(nothing reached ETNA\)\. /);
	});

	it('checks every item before the first request: one bad item stops the batch with nothing sent', async () => {
		const result = await withdraw(etna, [
			{ accountId: 1001, amount: 5 },
			{ accountId: 1002, amount: 5 },
			{ accountId: 'x', amount: 5 },
		]);

		expect(result.nodeError).toBeDefined();
		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('refuses a timeout option that is not a whole number of milliseconds', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			options: { timeout: 0 },
		});

		expect(result.nodeError?.message).toMatch(/^Item 1: Timeout 0 is not valid/);
		expect(etna.sandbox.apiRequests()).toHaveLength(0);
	});

	it('refuses to run at all while Retry On Fail is on, as a retry would withdraw twice', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], { retryOnFail: true });

		expect(result.nodeError?.message).toMatch(
			/Retry On Fail is on for this node.*Nothing was sent/,
		);
		expect(etna.sandbox.apiRequests()).toHaveLength(0);
	});
});

describe('what ETNA answers, as the user reads it', () => {
	it("says a 401 means the token is not an administrator's (or expired), and what to do", async () => {
		const traderToken = etna.sandbox.model.issueToken('trader');

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			credentials: etna.credentials({ token: traderToken }),
		});

		expect(result.nodeError?.message).toBe(
			'ETNA refused the token (HTTP 401): withdrawals need an ETNA administrator\'s token, and this one is not, or it has expired. ETNA said: "Authorization has been denied for this request."',
		);
		expect(result.nodeError?.description).toMatch(
			/^Outcome: rejected \(ETNA did not do it; no money moved\)\. Put a fresh token of an ETNA administrator/,
		);
		expect(etna.withdrawals()).toHaveLength(1);
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('says a 403 means the Et-App-Key is wrong, and where to find the right one', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			credentials: etna.credentials({ appKey: 'not-the-key' }),
		});

		expect(result.nodeError?.message).toMatch(
			/^ETNA refused the app key \(HTTP 403\): the Et-App-Key is wrong or missing\./,
		);
		expect(result.nodeError?.description).toMatch(
			/BO Companies widget \(company settings, WebApi tab\)/,
		);
	});

	it("passes on ETNA's own words for a 422 and says nothing moved", async () => {
		const result = await withdraw(etna, [{ accountId: 1002, amount: 2500.01 }]);

		expect(result.nodeError?.message).toMatch(
			/^ETNA rejected the withdrawal of 2,500\.01 from account 1002 \(HTTP 422\)\. ETNA said: "Insufficient funds/,
		);
		expect(result.nodeError?.description).toMatch(
			/^Outcome: rejected \(ETNA did not do it; no money moved\)\. /,
		);
		expect(etna.sandbox.model.cashOf(1002)).toBe(2500);
	});

	it("reads ETNA's nested error body, code included, and says nothing moved", async () => {
		etna.sandbox.addFault({
			endpoint: 'withdrawal',
			fault: {
				kind: 'status',
				status: 422,
				body: { Error: { Code: 'AccountLocked', Message: 'The account is locked.' } },
			},
		});

		const result = await withdraw(etna, [{ accountId: 1002, amount: 5 }]);

		expect(result.nodeError?.message).toBe(
			'ETNA rejected the withdrawal of 5 from account 1002 (HTTP 422). ETNA said: "The account is locked. (AccountLocked)"',
		);
		expect(result.nodeError?.description).toMatch(
			/^Outcome: rejected \(ETNA did not do it; no money moved\)\. /,
		);
	});

	it('never shows the token or the app key when ETNA quotes them back in a refusal', async () => {
		etna.sandbox.addFault({ endpoint: 'withdrawal', fault: { kind: 'echoSecrets', status: 422 } });

		const result = await withdraw(etna, [{ accountId: 1002, amount: 5 }], {
			onError: 'continueErrorOutput',
		});

		const error = String(result.errorOutput[0].json.error);
		expect(error).toContain(
			'ETNA said: "Request refused; it carried et-app-key=***, authorization=Bearer ***,',
		);
		const serialized = JSON.stringify(result.run);
		expect(serialized).not.toContain(etna.adminToken);
		expect(serialized).not.toContain(etna.appKey);
	});

	it('says an unknown account was not found (404)', async () => {
		const result = await withdraw(etna, [{ accountId: 424242, amount: 5 }]);

		expect(result.nodeError?.message).toMatch(/^ETNA found no trading account 424242 \(HTTP 404\)/);
	});

	it('says a 429 that asks for too long a wait was not processed, and when to try again', async () => {
		etna.sandbox.addFault({
			fault: { kind: 'status', status: 429, headers: { 'retry-after': '90' } },
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

		expect(result.nodeError?.message).toBe(
			'ETNA is limiting the rate of requests (HTTP 429): the withdrawal of 5 from account 1001 was not processed.',
		);
		expect(result.nodeError?.description).toMatch(
			/^Outcome: rejected \(ETNA did not do it; no money moved\)\. Wait 90 seconds and run the item again/,
		);
		// Longer than the node waits by itself: sent once, not again.
		expect(etna.withdrawals()).toHaveLength(1);
	});

	it.each([500, 502, 503])(
		'says a %i leaves the outcome unknown and the account must be checked before retrying',
		async (status) => {
			etna.sandbox.addFault({
				fault: { kind: 'status', status, body: { Message: 'An error has occurred.' } },
			});

			const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

			expect(result.nodeError?.message).toBe(
				`ETNA answered with a server error (HTTP ${status}): the outcome of the withdrawal of 5 from account 1001 is unknown. ETNA said: "An error has occurred."`,
			);
			expect(result.nodeError?.description).toMatch(
				/Check the account's cash and transaction history in ETNA before you run this item again/,
			);
		},
	);

	it('says a timeout leaves the outcome unknown, and does not send the withdrawal again', async () => {
		etna.sandbox.addFault({ fault: { kind: 'delay', ms: 1500 }, times: 1 });

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			options: { timeout: 300 },
		});

		expect(result.nodeError?.message).toBe(
			'ETNA did not answer within 0.3 seconds: the outcome of the withdrawal of 5 from account 1001 is unknown.',
		);
		// The slow server still takes the money after the node gave up: the outcome really was unknown.
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
		await waitFor(
			'the slow server to take the money',
			() => etna.sandbox.model.cashOf(1001) !== 100000,
			5_000,
			50,
		);
		expect(etna.sandbox.model.cashOf(1001)).toBe(99995);
		expect(etna.withdrawals()).toHaveLength(1);
	});

	it('says a connection reset after the money moved leaves the outcome unknown', async () => {
		etna.sandbox.addFault({ fault: { kind: 'reset', afterProcessing: true } });

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

		expect(result.nodeError?.message).toBe(
			'The connection to ETNA broke before an answer came: the outcome of the withdrawal of 5 from account 1001 is unknown.',
		);
		expect(etna.sandbox.model.cashOf(1001)).toBe(99995);
		expect(etna.withdrawals()).toHaveLength(1);
	});

	it('treats a 200 whose body is not JSON as an unknown outcome, not a success', async () => {
		etna.sandbox.addFault({ fault: { kind: 'malformedJson' } });

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

		expect(result.main).toHaveLength(0);
		expect(result.nodeError?.message).toBe(
			'ETNA answered HTTP 200 without the expected confirmation: the outcome of the withdrawal of 5 from account 1001 is unknown.',
		);
	});

	it('says a refused connection sent nothing', async () => {
		const { port } = etna.sandbox;
		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			// A port on loopback where nothing listens (the sandbox's own port plus one is not used here).
			credentials: etna.credentials({
				baseUrl: `http://127.0.0.1:${port === 65535 ? 1 : port + 1}/api`,
			}),
		});

		expect(result.nodeError?.message).toBe(
			'Could not connect to ETNA: the withdrawal of 5 from account 1001 was not sent.',
		);
		expect(result.nodeError?.description).toMatch(/\(ECONNREFUSED\)/);
	});

	it('does not follow a redirect, so the token never goes to another address', async () => {
		const catcher = await import('../../../../../sandbox/server').then(({ startEtnaSandbox }) =>
			startEtnaSandbox(),
		);
		try {
			etna.sandbox.addFault({
				fault: {
					kind: 'redirect',
					location: `${catcher.apiUrl}/v1.0/accounts/1001/withdrawal?withdrowalValue=5`,
				},
			});

			const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

			expect(catcher.requests).toHaveLength(0);
			expect(result.nodeError?.message).toMatch(
				/^ETNA answered with a redirect \(HTTP 307\), which was not followed: the outcome .* is unknown\.$/,
			);
		} finally {
			await catcher.close();
		}
	});

	it('names the items completed before a stop, since n8n drops their output', async () => {
		const result = await withdraw(etna, [
			{ accountId: 1001, amount: 1 },
			{ accountId: 1003, amount: 2 },
			{ accountId: 1002, amount: 9999 },
			{ accountId: 1001, amount: 3 },
		]);

		expect(result.nodeError?.description).toMatch(
			/Item\(s\) 1, 2 completed in ETNA before the node stopped: their results are not in the output\. Item\(s\) 4 moved no money/,
		);
		// The batch stops at the failure: the item after it is not sent.
		expect(etna.withdrawals()).toHaveLength(3);
	});
});

describe('On Error settings', () => {
	const mixedBatch = [
		{ accountId: 1001, amount: 10 },
		{ accountId: 'not-an-id', amount: 10 },
		{ accountId: 1002, amount: 999999 },
		{ accountId: 1003, amount: 20 },
	];

	it('"Continue (using error output)" sends good items on and failed ones, with details, to the error output', async () => {
		const result = await withdraw(etna, mixedBatch, { onError: 'continueErrorOutput' });

		expect(result.nodeError).toBeUndefined();
		expect(
			result.main.map((item) => [item.json.accountId, item.json.Amount, item.pairedItem]),
		).toEqual([
			[1001, -10, { item: 0 }],
			[1003, -20, { item: 3 }],
		]);
		expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);

		const [refused, rejected] = result.errorOutput;
		expect(refused.json.error).toMatch(/^Item 2: Account ID "not-an-id" is not valid/);
		expect(details(refused)).toEqual({
			description: expect.stringMatching(/and run the item again/),
			outcome: 'notSent',
			httpCode: null,
			accountId: 'not-an-id',
			amount: 10,
			itemIndex: 1,
		});
		expect(rejected.json.error).toMatch(/HTTP 422/);
		expect(details(rejected)).toMatchObject({
			outcome: 'rejected',
			httpCode: 422,
			accountId: 1002,
			amount: 999999,
			itemIndex: 2,
		});
		// The refused item was never sent; the others were, once each.
		expect(etna.withdrawals().map((request) => request.path)).toEqual([
			'/api/v1.0/accounts/1001/withdrawal',
			'/api/v1.0/accounts/1002/withdrawal',
			'/api/v1.0/accounts/1003/withdrawal',
		]);
	});

	it('puts every item of a non-admin token on the error output with the 401 message', async () => {
		const result = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 1 },
				{ accountId: 1002, amount: 2 },
			],
			{
				onError: 'continueErrorOutput',
				credentials: etna.credentials({ token: etna.sandbox.model.issueToken('trader') }),
			},
		);

		expect(result.main).toHaveLength(0);
		expect(
			result.errorOutput.map((item) => [
				item.json.error,
				details(item).httpCode,
				details(item).outcome,
			]),
		).toEqual([
			[expect.stringMatching(/^ETNA refused the token \(HTTP 401\)/), 401, 'rejected'],
			[expect.stringMatching(/^ETNA refused the token \(HTTP 401\)/), 401, 'rejected'],
		]);
	});

	it('marks an unknown outcome on the error output so a workflow can hold it for a person', async () => {
		etna.sandbox.addFault({
			accountId: 1003,
			fault: { kind: 'status', status: 500, afterProcessing: true },
		});

		const result = await withdraw(etna, [{ accountId: 1003, amount: 7 }], {
			onError: 'continueErrorOutput',
		});

		expect(details(result.errorOutput[0])).toMatchObject({ outcome: 'unknown', httpCode: 500 });
		expect(result.errorOutput[0].json.error).toMatch(
			/outcome of the withdrawal of 7 from account 1003 is unknown/,
		);
	});

	it('"Continue" keeps failed items on the main output, in order', async () => {
		const result = await withdraw(etna, mixedBatch, { onError: 'continueRegularOutput' });

		expect(result.errorOutput).toHaveLength(0);
		expect(result.main.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(result.main.map((item) => (item.json.error ? 'failed' : 'done'))).toEqual([
			'done',
			'failed',
			'failed',
			'done',
		]);
	});

	it('"Stop Workflow" fails the execution with the message of the first failed item', async () => {
		const result = await withdraw(etna, [
			{ accountId: 1001, amount: 10 },
			{ accountId: 1002, amount: 999999 },
		]);

		expect(result.run.status).toBe('error');
		expect(result.nodeError?.message).toMatch(
			/^ETNA rejected the withdrawal of 999,999 from account 1002 \(HTTP 422\)/,
		);
	});

	it('a broken credential fails every item with nothing sent', async () => {
		const result = await withdraw(
			etna,
			[
				{ accountId: 1001, amount: 1 },
				{ accountId: 1002, amount: 1 },
			],
			{
				onError: 'continueErrorOutput',
				credentials: etna.credentials({ baseUrl: 'priv-api.example/api' }),
			},
		);

		expect(result.errorOutput).toHaveLength(2);
		expect(result.errorOutput[0].json.error).toMatch(
			/Base URL in the ETNA Trader API credential is not a valid/,
		);
		expect(etna.sandbox.apiRequests()).toHaveLength(0);
	});
});

describe('secrets', () => {
	it('no output, error, execution data or log line contains the token or the app key, whatever happened', async () => {
		etna.sandbox.addFault({
			accountId: 1003,
			fault: { kind: 'status', status: 500, body: { Message: 'boom' } },
		});
		// An API that echoes the key in its error must not get it into a message either.
		etna.sandbox.addFault({
			accountId: 1004,
			fault: {
				kind: 'status',
				status: 422,
				body: { Message: `Key ${etna.appKey} is not allowed` },
			},
		});
		const traderToken = etna.sandbox.model.issueToken('trader');
		const batch = [
			{ accountId: 1001, amount: 1 },
			{ accountId: 'bad', amount: 1 },
			{ accountId: 1002, amount: 999999 },
			{ accountId: 1003, amount: 1 },
			{ accountId: 1004, amount: 1 },
		];

		const runs = [
			await withdraw(etna, batch, { onError: 'continueErrorOutput' }),
			await withdraw(etna, batch, { onError: 'continueRegularOutput' }),
			await withdraw(etna, [{ accountId: 1003, amount: 1 }]),
			await withdraw(etna, batch, {
				onError: 'continueErrorOutput',
				credentials: etna.credentials({ token: `Bearer ${traderToken}` }),
			}),
		];

		const serialized = JSON.stringify(runs.map(({ run }) => run));
		expect(serialized).toContain('HTTP 422');
		expect(serialized).toContain('Key *** is not allowed');
		const logs = await capturedLogs();

		expect(logs).toContain('finished with error');
		for (const secret of [etna.adminToken, traderToken, etna.appKey]) {
			expect(serialized).not.toContain(secret);
			expect(logs).not.toContain(secret);
		}
	});
});
