// The sandbox must behave like the ETNA API of etna-api.md, or the node's tests prove nothing.
import { takeContractViolations } from '../../sandbox/contract';
import { startEtnaSandbox, type EtnaSandbox } from '../../sandbox/server';

let sandbox: EtnaSandbox;
const appKey = 'sandbox-test-key';

beforeAll(async () => {
	sandbox = await startEtnaSandbox({ appKeys: [appKey] });
});
beforeEach(() => sandbox.reset());
afterAll(async () => sandbox.close());

async function call(method: string, path: string, headers: Record<string, string> = {}) {
	const response = await fetch(`${sandbox.apiUrl}${path}`, {
		method,
		headers: { 'Et-App-Key': appKey, ...headers },
	});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// kept as text
	}
	return { status: response.status, body, contentType: response.headers.get('content-type') };
}

function admin(): Record<string, string> {
	return { Authorization: `Bearer ${sandbox.model.issueToken('admin')}` };
}

describe('POST /token', () => {
	it('gives an administrator a token that then works on the API', async () => {
		const login = await call('POST', '/token', { Username: 'admin', Password: 'admin-password' });

		expect(login).toMatchObject({
			status: 200,
			body: { State: 'Succeeded', Token: expect.any(String) },
		});
		const token = (login.body as { Token: string }).Token;
		const account = await call('GET', '/v1.0/accounts/1001', { Authorization: `Bearer ${token}` });
		expect(account.status).toBe(200);
	});

	it('answers 401 with the documented body for a wrong password', async () => {
		const login = await call('POST', '/token', { Username: 'admin', Password: 'nope' });

		expect(login).toEqual({
			status: 401,
			body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' },
			contentType: 'application/json; charset=utf-8',
		});
	});

	it('asks a two-factor user for a code (202), then gives a token for the right one', async () => {
		const first = await call('POST', '/token', {
			Username: 'admin2fa',
			Password: 'admin2fa-password',
		});
		expect(first).toMatchObject({
			status: 202,
			body: { State: 'Expecting', Step: 'VerificationCode', Reason: 'Expecting confirmation code' },
		});
		const interim = (first.body as { Token: string }).Token;

		// The interim token is no good on the API itself.
		expect(
			(await call('GET', '/v1.0/accounts/1001', { Authorization: `Bearer ${interim}` })).status,
		).toBe(401);
		const wrong = await call('POST', '/token', {
			Username: 'admin2fa',
			Password: 'admin2fa-password',
			Authorization: `Bearer ${interim}`,
			VerificationCode: '000000',
		});
		expect(wrong).toMatchObject({
			status: 401,
			body: { State: 'Failed', Step: 'VerificationCode', Reason: 'Invalid code' },
		});
		const second = await call('POST', '/token', {
			Username: 'admin2fa',
			Password: 'admin2fa-password',
			Authorization: `Bearer ${interim}`,
			VerificationCode: '123456',
		});
		expect(second).toMatchObject({ status: 200, body: { State: 'Succeeded' } });
	});

	describe('a user with a security PIN', () => {
		const credentials = { Username: 'adminpin', Password: 'adminpin-password' };

		async function stepToken(): Promise<string> {
			const first = await call('POST', '/token', credentials);
			expect(first.status).toBe(202);
			return (first.body as { Token: string }).Token;
		}

		/** The second step with a fresh step token and this PIN. */
		async function pinStep(pin: string) {
			const interim = await stepToken();
			const answer = await call('POST', '/token', {
				...credentials,
				Authorization: `Bearer ${interim}`,
				PinCode: pin,
			});
			return { interim, answer };
		}

		it('is asked for the PIN (202) with a step token on the first call', async () => {
			const first = await call('POST', '/token', credentials);

			expect(first).toEqual({
				status: 202,
				body: {
					State: 'Expecting',
					Step: 'SecutityPin',
					Reason: 'Expecting security pin',
					Token: expect.any(String),
				},
				contentType: 'application/json; charset=utf-8',
			});
		});

		it('gets a token that works on the API for the right PIN with the step token', async () => {
			const { interim, answer: second } = await pinStep('2468');

			expect(second).toMatchObject({
				status: 200,
				body: { State: 'Succeeded', Token: expect.any(String) },
			});
			const token = (second.body as { Token: string }).Token;
			expect(token).not.toBe(interim);
			const account = await call('GET', '/v1.0/accounts/1001', {
				Authorization: `Bearer ${token}`,
			});
			expect(account).toMatchObject({ status: 200, body: { Id: 1001 } });
		});

		it('answers 401 "Invalid pin" for a wrong PIN', async () => {
			const { answer: wrong } = await pinStep('1357');

			expect(wrong).toEqual({
				status: 401,
				body: { State: 'Failed', Step: 'SecutityPin', Reason: 'Invalid pin' },
				contentType: 'application/json; charset=utf-8',
			});
		});

		it('answers 401 "Corrupted ticket" when the second step lacks the step token', async () => {
			await stepToken();

			const second = await call('POST', '/token', { ...credentials, PinCode: '2468' });

			expect(second).toEqual({
				status: 401,
				body: { State: 'Failed', Step: 'SecutityPin', Reason: 'Corrupted ticket' },
				contentType: 'application/json; charset=utf-8',
			});
			expect(sandbox.logins()).toBe(0);
		});
	});

	it('wants the app key first (403)', async () => {
		const response = await fetch(`${sandbox.apiUrl}/token`, {
			method: 'POST',
			headers: { Username: 'admin', Password: 'admin-password' },
		});

		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({
			error: 'Application key is not defined or does not exist',
		});
	});

	it('lets tokens expire', async () => {
		const headers = admin();
		sandbox.model.expireAllTokens();

		expect((await call('GET', '/v1.0/accounts/1001', headers)).status).toBe(401);
	});
});

describe('accounts', () => {
	it('refuses a regular user with the documented 401 body', async () => {
		const token = sandbox.model.issueToken('trader');

		const response = await call('POST', '/v1.0/accounts/1001/withdrawal?withdrowalValue=1', {
			Authorization: `Bearer ${token}`,
		});

		expect(response).toMatchObject({
			status: 401,
			body: { Message: 'Authorization has been denied for this request.' },
		});
		expect(sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('shows account 1001 with 100000 USD', async () => {
		const response = await call('GET', '/v1.0/accounts/1001', admin());

		expect(response.body).toMatchObject({
			Id: 1001,
			Cash: 100000,
			Currency: 'USD',
			Status: 'Approved',
			Enabled: true,
		});
	});

	it('pages the account list from page 0, with links to the next and previous pages', async () => {
		const first = await call(
			'GET',
			'/v1.0/accounts?pageSize=2&pageNumber=0&propertyName=Id&isAscending=true',
			admin(),
		);
		const second = await call(
			'GET',
			'/v1.0/accounts?pageSize=2&pageNumber=1&propertyName=Id&isAscending=true',
			admin(),
		);

		expect(first.body).toMatchObject({
			TotalCount: 5,
			PreviousPageLink: null,
			NextPageLink: expect.stringContaining('pageNumber=1'),
		});
		expect(
			(first.body as { Result: Array<{ Id: number }> }).Result.map((account) => account.Id),
		).toEqual([1001, 1002]);
		expect(
			(second.body as { Result: Array<{ Id: number }> }).Result.map((account) => account.Id),
		).toEqual([1003, 1004]);
		expect(second.body).toMatchObject({
			PreviousPageLink: expect.stringContaining('pageNumber=0'),
		});
	});

	it.each([
		['Id = 1002', [1002]],
		['Id in (1001, 1003)', [1001, 1003]],
		['Cash between 0 and 2500', [1002, 1004, 1005]],
		["Currency = 'USD'", [1001, 1002, 1003, 1004, 1005]],
	])('filters the list with %s', async (filter, ids) => {
		const response = await call(
			'GET',
			`/v1.0/accounts?pageSize=10&pageNumber=0&propertyName=Id&isAscending=true&filter=${encodeURIComponent(filter)}`,
			admin(),
		);

		expect(
			(response.body as { Result: Array<{ Id: number }> }).Result.map((account) => account.Id),
		).toEqual(ids);
	});

	it.each([
		['Enabled = false', [1005]],
		["ClearingAccount startsWith 'sbx00100'", [1001, 1002, 1003, 1004, 1005]],
		["Cash > 1000 and MarginType = 'cash'", [1001, 1002]],
		['CreatedDate < #2025-01-01T00:00:00Z# and Id >= 1004', [1004, 1005]],
	])("filters the list with the ledger's syntax too: %s", async (filter, ids) => {
		const response = await call(
			'GET',
			`/v1.0/accounts?pageSize=10&pageNumber=0&propertyName=Id&isAscending=true&filter=${encodeURIComponent(filter)}`,
			admin(),
		);

		expect(
			(response.body as { Result: Array<{ Id: number }> }).Result.map((account) => account.Id),
		).toEqual(ids);
	});

	it.each([
		['an unreadable filter', "propertyName=Id&isAscending=true&filter=Colour = 'red'"],
		['an unknown propertyName', 'propertyName=Colour&isAscending=true'],
		['an isAscending that is not true or false', 'propertyName=Id&isAscending=yes'],
	])('refuses %s on the list with 422', async (_, query) => {
		const response = await call('GET', `/v1.0/accounts?pageNumber=0&pageSize=10&${query}`, admin());

		expect(response).toMatchObject({ status: 422, body: { Message: expect.any(String) } });
	});

	it('sorts the list as asked: Cash descending with isAscending=false', async () => {
		const response = await call(
			'GET',
			'/v1.0/accounts?pageNumber=0&pageSize=10&propertyName=Cash&isAscending=false',
			admin(),
		);

		expect(
			(response.body as { Result: Array<{ Id: number }> }).Result.map((account) => account.Id),
		).toEqual([1001, 1003, 1002, 1004, 1005]);
	});

	it.each([
		['pageNumber', 'pageSize=10&propertyName=Id&isAscending=true', ['pageNumber']],
		['pageSize', 'pageNumber=0&propertyName=Id&isAscending=true', ['pageSize']],
		['propertyName', 'pageNumber=0&pageSize=10&isAscending=true', ['propertyName']],
		['isAscending', 'pageNumber=0&pageSize=10&propertyName=Id', ['isAscending']],
	])('answers the list 404 without %s, defaulting nothing', async (_, query, missing) => {
		const response = await call('GET', `/v1.0/accounts?${query}`, admin());

		expect(response).toMatchObject({
			status: 404,
			body: {
				Message: `No HTTP resource was found that matches the request URI '${sandbox.apiUrl}/v1.0/accounts?${query}'.`,
			},
		});
		expect(takeContractViolations()).toEqual([
			{ method: 'GET', url: `/api/v1.0/accounts?${query}`, endpoint: 'list', missing },
		]);
	});

	it('withdraws and deposits, changing the balance by exactly the amount', async () => {
		const headers = admin();
		const withdrawal = await call(
			'POST',
			'/v1.0/accounts/1001/withdrawal?withdrowalValue=1000.01',
			headers,
		);
		const deposit = await call('POST', '/v1/accounts/1001/deposit?depositValue=0.02', headers);

		expect(withdrawal).toMatchObject({ status: 200, body: { Amount: -1000.01, Description: '' } });
		expect(deposit).toMatchObject({ status: 200, body: { Amount: 0.02 } });
		expect(sandbox.model.cashOf(1001)).toBe(99000.01);
	});

	// The last column: what the request lacked when ETNA would not even route it (`[]`: no such
	// route), or null when it is a proper request the API refuses.
	it.each([
		['no value', '/v1.0/accounts/1001/withdrawal', 404, ['withdrowalValue']],
		['an empty value', '/v1.0/accounts/1001/withdrawal?withdrowalValue=', 404, ['withdrowalValue']],
		['a negative value', '/v1.0/accounts/1001/withdrawal?withdrowalValue=-5', 422, null],
		['more than the cash', '/v1.0/accounts/1002/withdrawal?withdrowalValue=2500.01', 422, null],
		['a disabled account', '/v1.0/accounts/1005/deposit?depositValue=5', 422, null],
		['an unknown account', '/v1.0/accounts/9999/withdrawal?withdrowalValue=5', 404, null],
		['an unknown version', '/v2.0/accounts/1001/withdrawal?withdrowalValue=5', 404, []],
	])('refuses a withdrawal with %s, moving nothing', async (_, path, status, missing) => {
		const response = await call('POST', path, admin());

		expect(response.status).toBe(status);
		expect(response.body).toEqual({ Message: expect.any(String) });
		expect(sandbox.model.cashOf(1001)).toBe(100000);
		expect(sandbox.model.cashOf(1002)).toBe(2500);
		expect(takeContractViolations()).toEqual(
			missing === null
				? []
				: [expect.objectContaining({ method: 'POST', url: `/api${path}`, missing })],
		);
	});

	it('refuses a deposit with no value as ETNA does (404), moving nothing', async () => {
		const response = await call('POST', '/v1.0/accounts/1001/deposit', admin());

		expect(response).toMatchObject({ status: 404, body: { Message: expect.any(String) } });
		expect(sandbox.model.cashOf(1001)).toBe(100000);
		expect(takeContractViolations()).toEqual([
			{
				method: 'POST',
				url: '/api/v1.0/accounts/1001/deposit',
				endpoint: 'deposit',
				missing: ['depositValue'],
			},
		]);
	});
});

describe('faults and recording', () => {
	it('records every request with its headers and query', async () => {
		await call('POST', '/v1.0/accounts/1001/withdrawal?withdrowalValue=5', {
			...admin(),
			'X-Extra': 'yes',
		});

		const [recorded] = sandbox.apiRequests();
		expect(recorded).toMatchObject({
			method: 'POST',
			url: '/api/v1.0/accounts/1001/withdrawal?withdrowalValue=5',
			query: { withdrowalValue: ['5'] },
			body: '',
		});
		expect(recorded.headers['x-extra']).toBe('yes');
	});

	it('answers a status for one account a set number of times', async () => {
		sandbox.addFault({
			accountId: 1001,
			times: 1,
			fault: { kind: 'status', status: 503, body: { Message: 'busy' } },
		});
		const headers = admin();

		expect((await call('GET', '/v1.0/accounts/1002', headers)).status).toBe(200);
		expect((await call('GET', '/v1.0/accounts/1001', headers)).status).toBe(503);
		expect((await call('GET', '/v1.0/accounts/1001', headers)).status).toBe(200);
	});

	it('can hang, and reset connections before or after doing the work', async () => {
		const headers = admin();
		sandbox.addFault({ times: 1, fault: { kind: 'hang' } });
		await expect(
			fetch(`${sandbox.apiUrl}/v1.0/accounts/1001`, {
				headers: { 'Et-App-Key': appKey, ...headers },
				signal: AbortSignal.timeout(200),
			}),
		).rejects.toThrow();

		sandbox.addFault({ times: 1, fault: { kind: 'reset' } });
		await expect(
			call('POST', '/v1.0/accounts/1001/withdrawal?withdrowalValue=5', headers),
		).rejects.toThrow();
		expect(sandbox.model.cashOf(1001)).toBe(100000);

		sandbox.addFault({ times: 1, fault: { kind: 'reset', afterProcessing: true } });
		await expect(
			call('POST', '/v1.0/accounts/1001/withdrawal?withdrowalValue=5', headers),
		).rejects.toThrow();
		expect(sandbox.model.cashOf(1001)).toBe(99995);
	});

	it('can answer 200 with a body that is not JSON, after moving the money', async () => {
		sandbox.addFault({ times: 1, fault: { kind: 'malformedJson' } });

		const response = await call(
			'POST',
			'/v1.0/accounts/1001/withdrawal?withdrowalValue=5',
			admin(),
		);

		expect(response.status).toBe(200);
		expect(typeof response.body).toBe('string');
		expect(sandbox.model.cashOf(1001)).toBe(99995);
	});

	it('can be steered over HTTP, and masks secrets when it lists requests', async () => {
		await fetch(`${sandbox.origin}/__sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ times: 1, fault: { kind: 'status', status: 500 } }),
		});
		const headers = admin();
		expect((await call('GET', '/v1.0/accounts/1001', headers)).status).toBe(500);

		const listed = (await (await fetch(`${sandbox.origin}/__sandbox/requests`)).json()) as Array<{
			headers: Record<string, string>;
		}>;
		expect(listed[0].headers.authorization).toBe('***');
		expect(listed[0].headers['et-app-key']).toBe('***');
		const accounts = (await (await fetch(`${sandbox.origin}/__sandbox/accounts`)).json()) as Array<{
			Id: number;
		}>;
		expect(accounts.map((account) => account.Id)).toEqual([1001, 1002, 1003, 1004, 1005]);
	});
});
