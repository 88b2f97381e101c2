// The Administrator Login: the credential logs in by itself, n8n keeps the token, and a refused
// token is renewed once. Run through n8n's engine against the sandbox's /token.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { forgetLogins } from '../../../../nodes/EtnaTrader/transport/login';
import { capturedLogs } from '../../../support/captureLogs';
import { useSandbox, withdraw } from '../../../support/etna';
import { CredentialStore, runCredentialTest } from '../../../support/n8nEngine';

const etna = useSandbox();

function loginCredential(
	username = 'admin',
	password = `${username}-password`,
	changes: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		baseUrl: etna.sandbox.apiUrl,
		apiVersion: '1.0',
		appKey: etna.appKey,
		authMethod: 'login',
		username,
		password,
		...changes,
	};
}

// Every case starts as a fresh n8n process would: no login made yet.
beforeEach(() => forgetLogins());

describe('a credential that logs in as an administrator', () => {
	it('logs in once with the app key, username and password, then withdraws with the token it got', async () => {
		const store = new CredentialStore(loginCredential());

		const result = await withdraw(etna, [{ accountId: 1001, amount: 25 }], { credentials: store });

		expect(result.nodeError).toBeUndefined();
		expect(result.main.map((item) => item.json.Amount)).toEqual([-25]);
		const [login, payment, ...others] = etna.sandbox.apiRequests();
		expect(others).toEqual([]);
		expect(login.method).toBe('POST');
		expect(login.headers).toMatchObject({
			'et-app-key': etna.appKey,
			username: 'admin',
			password: 'admin-password',
		});
		expect(login.headers.authorization).toBeUndefined();
		const token = store.read().sessionToken as string;
		expect(token).toMatch(/^\S{20,}$/);
		expect(payment.url).toBe('/api/v1.0/accounts/1001/withdrawal?withdrowalValue=25');
		expect(payment.headers.authorization).toBe(`Bearer ${token}`);
		// n8n wrote the token back once, for every later execution and process.
		expect(store.writes).toBe(1);
	});

	it('logs in once for a batch of many items, each withdrawn once', async () => {
		const items = Array.from({ length: 12 }, (_, index) => ({
			accountId: 1001 + (index % 3),
			amount: index + 1,
		}));

		const result = await withdraw(etna, items, { credentials: loginCredential() });

		expect(result.main).toHaveLength(12);
		expect(etna.tokenRequests()).toHaveLength(1);
		expect(etna.withdrawals()).toHaveLength(12);
	});

	it('reuses the stored token in a later execution, also in a new n8n process', async () => {
		const store = new CredentialStore(loginCredential());
		await withdraw(etna, [{ accountId: 1001, amount: 1 }], { credentials: store });
		forgetLogins();

		await withdraw(etna, [{ accountId: 1002, amount: 2 }], { credentials: store });

		expect(etna.tokenRequests()).toHaveLength(1);
		expect(etna.withdrawals()).toHaveLength(2);
	});

	it('shares one login between executions that start together on a credential with no token', async () => {
		const store = new CredentialStore(loginCredential());

		const runs = await Promise.all(
			[1001, 1002, 1003, 1004, 1001, 1002].map((accountId, index) =>
				withdraw(etna, [{ accountId, amount: index + 1 }], { credentials: store }),
			),
		);

		expect(runs.map((run) => run.main.length)).toEqual([1, 1, 1, 1, 1, 1]);
		expect(etna.tokenRequests()).toHaveLength(1);
		expect(etna.withdrawals()).toHaveLength(6);
	});

	it('renews an expired token by itself: the refused withdrawal is sent again once and paid once', async () => {
		const store = new CredentialStore(loginCredential());
		await withdraw(etna, [{ accountId: 1001, amount: 1 }], { credentials: store });
		const firstToken = store.read().sessionToken;
		etna.sandbox.model.expireAllTokens();
		etna.sandbox.clearRequests();

		const result = await withdraw(etna, [{ accountId: 1001, amount: 10 }], { credentials: store });

		expect(result.main.map((item) => item.json.Amount)).toEqual([-10]);
		expect(
			etna.sandbox.apiRequests().map((request) => [request.path, request.headers.authorization]),
		).toEqual([
			['/api/v1.0/accounts/1001/withdrawal', `Bearer ${firstToken}`],
			['/api/token', undefined],
			['/api/v1.0/accounts/1001/withdrawal', `Bearer ${store.read().sessionToken}`],
		]);
		expect(store.read().sessionToken).not.toBe(firstToken);
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000 - 1 - 10);
	});

	it('keeps a batch going across expiries: every item is paid exactly once', async () => {
		// Each token stops working after 3 requests, as one past its 24 hours would.
		etna.sandbox.model.tokenPolicy = { maxUses: 3 };
		const items = Array.from({ length: 7 }, (_, index) => ({ accountId: 1001, amount: index + 1 }));

		const result = await withdraw(etna, items, { credentials: loginCredential() });

		expect(result.nodeError).toBeUndefined();
		expect(result.main.map((item) => item.json.Amount)).toEqual([-1, -2, -3, -4, -5, -6, -7]);
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000 - 28);
		// Tokens 1 and 2 each paid 3 items and were refused once; token 3 paid the last.
		expect(etna.tokenRequests()).toHaveLength(3);
		expect(etna.withdrawals()).toHaveLength(9);
	});
});

describe('a login that cannot move money, refused before any money moves', () => {
	async function withdrawAs(credentials: ICredentialDataDecryptedObject, items = 1) {
		return await withdraw(
			etna,
			Array.from({ length: items }, (_, index) => ({ accountId: 1001 + index, amount: 5 })),
			{ credentials, onError: 'continueErrorOutput' },
		);
	}

	it("says a wrong password is wrong, quoting ETNA's reason, and tries the login only once for the batch", async () => {
		const result = await withdrawAs(loginCredential('admin', 'not-the-password'), 3);

		expect(result.errorOutput).toHaveLength(3);
		expect(result.errorOutput[0].json.error).toBe(
			'ETNA refused the login of "admin" (HTTP 401): the username or the password is wrong. ETNA said: "Invalid credentials"',
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'rejected',
			httpCode: 401,
		});
		expect(etna.tokenRequests()).toHaveLength(1);
		expect(etna.withdrawals()).toEqual([]);
	});

	it('says a login that is not an administrator is not one, naming it', async () => {
		const result = await withdrawAs(loginCredential('trader'));

		expect(result.errorOutput[0].json.error).toBe(
			'ETNA refused the token of the login "trader" (HTTP 401), also after logging in again: this login is not an ETNA administrator, and withdrawals need one. ETNA said: "Authorization has been denied for this request."',
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'rejected',
			httpCode: 401,
		});
		// Refused twice (before and after a fresh login): ETNA processed neither.
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('says an unattended workflow cannot answer a two-factor code', async () => {
		const result = await withdrawAs(loginCredential('admin2fa'));

		expect(result.errorOutput[0].json.error).toBe(
			'ETNA asks "admin2fa" for a two-factor verification code, which an unattended workflow cannot type. ETNA said: "Expecting confirmation code"',
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			description: expect.stringMatching(
				/without a one-time verification code .* or switch it to Administrator Token/,
			),
		});
		expect(etna.withdrawals()).toEqual([]);
	});

	it('says a wrong app key is the problem (403)', async () => {
		const result = await withdrawAs(
			loginCredential('admin', 'admin-password', { appKey: 'wrong' }),
		);

		expect(result.errorOutput[0].json.error).toMatch(
			/^ETNA refused the app key \(HTTP 403\) when logging in as "admin": the Et-App-Key is wrong or missing\./,
		);
		expect(etna.withdrawals()).toEqual([]);
	});

	it('with Stop Workflow, fails the execution with the login message and sends nothing', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			credentials: loginCredential('admin', 'wrong'),
		});

		expect(result.nodeError?.message).toMatch(/^ETNA refused the login of "admin"/);
		expect(etna.withdrawals()).toEqual([]);
	});

	it('refuses a login credential without a password before any request', async () => {
		const result = await withdrawAs(loginCredential('admin', ''));

		expect(result.errorOutput[0].json.error).toBe(
			'The ETNA Trader API credential uses Administrator Login but has no Password',
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});

describe("a login with a security PIN (ETNA's second step)", () => {
	const pinLogin = (pinCode: string | undefined) =>
		loginCredential('adminpin', 'adminpin-password', pinCode === undefined ? {} : { pinCode });

	/** The step tokens the node sent back to /token: secrets, like the PIN. */
	function stepTokens(): string[] {
		return etna
			.tokenRequests()
			.map((request) => String(request.headers.authorization ?? ''))
			.filter((header) => header !== '')
			.map((header) => header.replace(/^Bearer /, ''));
	}

	it('sends the PIN with the step token in a second /token call, then withdraws with the token it got', async () => {
		const store = new CredentialStore(pinLogin('2468'));

		const result = await withdraw(etna, [{ accountId: 1001, amount: 25 }], { credentials: store });

		expect(result.nodeError).toBeUndefined();
		expect(result.main.map((item) => item.json.Amount)).toEqual([-25]);
		const [first, second, payment, ...others] = etna.sandbox.apiRequests();
		expect(others).toEqual([]);
		expect(first.headers).toMatchObject({ username: 'adminpin', password: 'adminpin-password' });
		expect(first.headers.authorization).toBeUndefined();
		expect(first.headers.pincode).toBeUndefined();
		expect(second.path).toBe('/api/token');
		expect(second.headers).toMatchObject({
			'et-app-key': etna.appKey,
			username: 'adminpin',
			password: 'adminpin-password',
			pincode: '2468',
		});
		const [stepToken] = stepTokens();
		expect(etna.sandbox.model.lookupToken(stepToken)?.interim).toBe(true);
		const token = store.read().sessionToken as string;
		expect(token).not.toBe(stepToken);
		expect(payment.headers.authorization).toBe(`Bearer ${token}`);
		expect(etna.sandbox.logins()).toBe(1);
	});

	it('renews an expired token by itself, PIN step included, and pays once', async () => {
		const store = new CredentialStore(pinLogin('2468'));
		await withdraw(etna, [{ accountId: 1001, amount: 1 }], { credentials: store });
		etna.sandbox.model.expireAllTokens();

		const result = await withdraw(etna, [{ accountId: 1002, amount: 2 }], { credentials: store });

		expect(result.main.map((item) => item.json.Amount)).toEqual([-2]);
		expect(etna.tokenRequests()).toHaveLength(4);
		expect(etna.withdrawals().map((request) => request.url)).toEqual([
			'/api/v1.0/accounts/1001/withdrawal?withdrowalValue=1',
			'/api/v1.0/accounts/1002/withdrawal?withdrowalValue=2',
			'/api/v1.0/accounts/1002/withdrawal?withdrowalValue=2',
		]);
		expect(etna.sandbox.model.cashOf(1002)).toBe(2498);
	});

	it('says a wrong PIN is the PIN, not the password, and does not try it again within a minute', async () => {
		const first = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			credentials: pinLogin('0000'),
			onError: 'continueErrorOutput',
		});
		const second = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			credentials: pinLogin('0000'),
			onError: 'continueErrorOutput',
		});

		expect(first.errorOutput[0].json.error).toBe(
			'ETNA refused the security PIN of "adminpin" (HTTP 401): the Security PIN is wrong. The username and password were accepted. ETNA said: "Invalid pin"',
		);
		expect(first.errorOutput[0].json.details).toMatchObject({ outcome: 'rejected', httpCode: 401 });
		expect(second.errorOutput[0].json.error).toBe(first.errorOutput[0].json.error);
		// Two /token calls for the first run (password, then PIN), none for the second.
		expect(etna.tokenRequests()).toHaveLength(2);
		expect(etna.withdrawals()).toEqual([]);
	});

	it('says the login asks for a PIN when the credential has none, and sends no second step', async () => {
		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			credentials: pinLogin(undefined),
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.error).toMatch(
			/this login asks for a security PIN: add it to the credential\./,
		);
		expect(result.errorOutput[0].json.details).toMatchObject({
			outcome: 'rejected',
			description: expect.stringMatching(/Security PIN field/),
		});
		expect(etna.tokenRequests()).toHaveLength(1);
		expect(etna.withdrawals()).toEqual([]);
	});

	it('no output, error, stored run or log line contains the PIN, the step token or the token', async () => {
		const store = new CredentialStore(pinLogin('2468'));
		const runs = [
			await withdraw(etna, [{ accountId: 1001, amount: 1 }], { credentials: store }),
			await withdraw(etna, [{ accountId: 1001, amount: 1 }], {
				credentials: pinLogin('9753'),
				onError: 'continueErrorOutput',
			}),
		];
		const secrets = [...stepTokens(), store.read().sessionToken as string, '2468', '9753'];

		// Two step tokens (one per login), the issued token and both PINs.
		expect(secrets).toHaveLength(5);
		const serialized = JSON.stringify(runs.map(({ run }) => run));
		expect(serialized).toContain('Invalid pin');
		const logs = await capturedLogs();
		for (const secret of [...secrets, 'adminpin-password', etna.appKey]) {
			expect(serialized).not.toContain(secret);
			expect(logs).not.toContain(secret);
		}
	});
});

describe('a login refusal that quotes back what it was sent', () => {
	it.each([
		['the first step', 'admin', {}, 0],
		['the PIN step', 'adminpin', { pinCode: '2468' }, 1],
	] as const)(
		'at %s, never shows the password, the app key, the PIN or the step token',
		async (_, username, changes, skip) => {
			etna.sandbox.addFault({
				endpoint: 'token',
				skip,
				fault: { kind: 'echoSecrets', status: 401 },
			});

			const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
				credentials: loginCredential(username, `${username}-password`, changes),
				onError: 'continueErrorOutput',
			});

			const error = String(result.errorOutput[0].json.error);
			// ETNA's words are still quoted, with every secret the login sent masked.
			expect(error).toMatch(/ETNA said: "Request refused; it carried et-app-key=\*\*\*, /);
			expect(error).toContain(`username=${username}`);
			const sent = etna
				.tokenRequests()
				.flatMap((request) => [
					String(request.headers.password),
					String(request.headers.authorization ?? '').replace(/^Bearer /, ''),
					String(request.headers.pincode ?? ''),
				]);
			const secrets = [etna.appKey, ...sent].filter((secret) => secret.length >= 4);
			expect(secrets).toContain(`${username}-password`);
			if (skip) expect(secrets).toContain('2468');
			const serialized = JSON.stringify(result.run);
			const logs = await capturedLogs();
			for (const secret of secrets) {
				expect(serialized).not.toContain(secret);
				expect(logs).not.toContain(secret);
			}
			expect(etna.withdrawals()).toEqual([]);
		},
	);
});

describe("the credential's Test button with a login", () => {
	it('logs in and reads one account page, moving no money', async () => {
		const result = await runCredentialTest(new CredentialStore(loginCredential()));

		expect(result).toEqual({ ok: true });
		expect(
			etna.sandbox.apiRequests().map((request) => `${request.method} ${request.path}`),
		).toEqual(['POST /api/token', 'GET /api/v1.0/accounts']);
	});

	it.each([
		['a wrong password', 'admin', 'nope', /the username or the password is wrong/],
		['a two-factor user', 'admin2fa', 'admin2fa-password', /two-factor verification code/],
		[
			'a PIN user without a PIN',
			'adminpin',
			'adminpin-password',
			/this login asks for a security PIN: add it to the credential/,
		],
		[
			'a regular user',
			'trader',
			'trader-password',
			/^ETNA refused the token \(HTTP 401\): it is not an ETNA administrator's token/,
		],
	])('names the cause for %s', async (_, username, password, message) => {
		const result = await runCredentialTest(
			new CredentialStore(loginCredential(username, password)),
		);

		expect(result).toMatchObject({ ok: false, message: expect.stringMatching(message) });
	});
});

describe("the credential's Test button with a security PIN", () => {
	it('logs in with the PIN and reads one account page', async () => {
		const result = await runCredentialTest(
			new CredentialStore(loginCredential('adminpin', 'adminpin-password', { pinCode: '2468' })),
		);

		expect(result).toEqual({ ok: true });
		expect(
			etna.sandbox.apiRequests().map((request) => `${request.method} ${request.path}`),
		).toEqual(['POST /api/token', 'POST /api/token', 'GET /api/v1.0/accounts']);
	});

	it('names the PIN when it is wrong', async () => {
		const result = await runCredentialTest(
			new CredentialStore(loginCredential('adminpin', 'adminpin-password', { pinCode: '1' })),
		);

		expect(result).toMatchObject({
			ok: false,
			message: expect.stringMatching(/^ETNA refused the security PIN of "adminpin"/),
		});
	});
});

describe('secrets of a login', () => {
	it('no output, error, stored run or log line contains the password or any token it was issued', async () => {
		const store = new CredentialStore(loginCredential());
		const runs = [
			await withdraw(
				etna,
				[
					{ accountId: 1001, amount: 1 },
					{ accountId: 'x', amount: 1 },
				],
				{
					credentials: store,
					onError: 'continueErrorOutput',
				},
			),
		];
		const issued = [store.read().sessionToken as string];
		etna.sandbox.model.expireAllTokens();
		runs.push(await withdraw(etna, [{ accountId: 1002, amount: 999999 }], { credentials: store }));
		issued.push(store.read().sessionToken as string);
		runs.push(
			await withdraw(etna, [{ accountId: 1001, amount: 1 }], {
				credentials: loginCredential('trader'),
				onError: 'continueErrorOutput',
			}),
			await withdraw(etna, [{ accountId: 1001, amount: 1 }], {
				credentials: loginCredential('admin', 'a-wrong-password'),
			}),
		);

		expect(issued[0]).not.toBe(issued[1]);
		const serialized = JSON.stringify(runs.map(({ run }) => run));
		expect(serialized).toContain('Insufficient funds');
		expect(serialized).toContain('is not an ETNA administrator');
		const logs = await capturedLogs();
		for (const secret of [
			...issued,
			'admin-password',
			'trader-password',
			'a-wrong-password',
			etna.appKey,
		]) {
			expect(serialized).not.toContain(secret);
			expect(logs).not.toContain(secret);
		}
	});
});
