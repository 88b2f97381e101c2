// Expiring tokens: a token policy (uses and lifetime) and the count of logins.
import { startEtnaSandbox } from '../../sandbox/server';
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();
const DENIED = { Message: 'Authorization has been denied for this request.' };
const DAY_MS = 24 * 60 * 60 * 1000;

async function login(): Promise<string> {
	const reply = await etna.call<{ Token: string }>('POST', '/token', {
		Username: 'admin',
		Password: 'admin-password',
	});
	expect(reply.status).toBe(200);
	return reply.body.Token;
}

async function statusWith(token: string): Promise<number> {
	return (await etna.call('GET', '/v1.0/accounts/1001', { Authorization: `Bearer ${token}` }))
		.status;
}

describe('token policy', () => {
	it('lets tokens live 24 hours with unlimited uses by default', async () => {
		expect(etna.sandbox.model.tokenPolicy).toEqual({ lifetimeMs: DAY_MS });
		const token = await login();

		for (let use = 0; use < 5; use += 1) expect(await statusWith(token)).toBe(200);
		expect(etna.sandbox.model.lookupToken(token)).toMatchObject({ uses: 5 });
	});

	it('stops a token from POST /token after maxUses API requests, with the usual 401 body', async () => {
		etna.sandbox.model.tokenPolicy = { maxUses: 2 };
		const token = await login();

		expect(await statusWith(token)).toBe(200);
		expect(await statusWith(token)).toBe(200);
		const third = await etna.call('GET', '/v1.0/accounts/1001', {
			Authorization: `Bearer ${token}`,
		});

		expect(third).toMatchObject({ status: 401, body: DENIED });
		expect(await statusWith(await login())).toBe(200);
	});

	it('stops a token minted by issueToken once it is lifetimeMs old', async () => {
		etna.sandbox.model.tokenPolicy = { lifetimeMs: 150 };
		const token = etna.sandbox.model.issueToken('admin');

		expect(await statusWith(token)).toBe(200);
		etna.sandbox.model.clock.advance(200);
		const late = await etna.call('POST', '/v1.0/accounts/1001/withdrawal?withdrowalValue=5', {
			Authorization: `Bearer ${token}`,
		});

		expect(late).toMatchObject({ status: 401, body: DENIED });
		expect(etna.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('applies a policy switched on mid-test to tokens already issued, counting their past uses', async () => {
		const token = etna.sandbox.model.issueToken('admin');
		expect(await statusWith(token)).toBe(200);

		etna.sandbox.model.tokenPolicy = { maxUses: 2 };

		expect(await statusWith(token)).toBe(200);
		expect(await statusWith(token)).toBe(401);
	});

	it('counts uses per token: one used up leaves the others working', async () => {
		etna.sandbox.model.tokenPolicy = { maxUses: 1 };
		const first = await login();
		const second = await login();

		expect(await statusWith(first)).toBe(200);
		expect(await statusWith(first)).toBe(401);
		expect(await statusWith(second)).toBe(200);
	});

	it('does not count a request refused for its app key as a use', async () => {
		etna.sandbox.model.tokenPolicy = { maxUses: 1 };
		const token = etna.sandbox.model.issueToken('admin');

		const wrongKey = await fetch(`${etna.sandbox.apiUrl}/v1.0/accounts/1001`, {
			headers: { 'Et-App-Key': 'wrong', Authorization: `Bearer ${token}` },
		});

		expect(wrongKey.status).toBe(403);
		expect(await statusWith(token)).toBe(200);
	});

	it('refuses a policy that is not whole numbers of at least 0', () => {
		expect(() => {
			etna.sandbox.model.tokenPolicy = { maxUses: -1 };
		}).toThrow(RangeError);
		expect(() => {
			etna.sandbox.model.tokenPolicy = { lifetimeMs: 1.5 };
		}).toThrow(RangeError);
		expect(etna.sandbox.model.tokenPolicy).toEqual({ lifetimeMs: DAY_MS });
	});

	it('goes back to the default policy on reset', () => {
		etna.sandbox.model.tokenPolicy = { maxUses: 1, lifetimeMs: 10 };

		etna.sandbox.reset();

		expect(etna.sandbox.model.tokenPolicy).toEqual({ lifetimeMs: DAY_MS });
	});

	it('takes the policy from the options at start, and reset comes back to that one', async () => {
		const sandbox = await startEtnaSandbox({ tokenPolicy: { maxUses: 1 } });
		try {
			const token = sandbox.model.issueToken('admin');
			const get = () =>
				fetch(`${sandbox.apiUrl}/v1.0/accounts/1001`, {
					headers: { 'Et-App-Key': 'sandbox-app-key', Authorization: `Bearer ${token}` },
				});
			expect((await get()).status).toBe(200);
			expect((await get()).status).toBe(401);

			sandbox.model.tokenPolicy = { maxUses: 50 };
			sandbox.reset();

			expect(sandbox.model.tokenPolicy).toEqual({ maxUses: 1, lifetimeMs: DAY_MS });
		} finally {
			await sandbox.close();
		}
	});

	it('still takes the older tokenLifetimeMs option and field', async () => {
		const sandbox = await startEtnaSandbox({ tokenLifetimeMs: 60_000 });
		try {
			expect(sandbox.model.tokenPolicy).toEqual({ lifetimeMs: 60_000 });
			sandbox.model.tokenLifetimeMs = 1000;
			expect(sandbox.model.tokenPolicy).toEqual({ lifetimeMs: 1000 });
			expect(sandbox.model.tokenLifetimeMs).toBe(1000);
		} finally {
			await sandbox.close();
		}
	});
});

describe('logins', () => {
	it('counts each POST /token that issued a full token, and nothing else', async () => {
		await login();
		await login();
		await etna.call('POST', '/token', { Username: 'admin', Password: 'wrong' });
		etna.sandbox.model.issueToken('admin');
		const first = await etna.call<{ Token: string }>('POST', '/token', {
			Username: 'admin2fa',
			Password: 'admin2fa-password',
		});
		expect(etna.sandbox.logins()).toBe(2);

		await etna.call('POST', '/token', {
			Username: 'admin2fa',
			Password: 'admin2fa-password',
			Authorization: `Bearer ${first.body.Token}`,
			VerificationCode: '123456',
		});

		expect(etna.sandbox.logins()).toBe(3);
	});

	it('starts counting again on reset', async () => {
		await login();

		etna.sandbox.reset();

		expect(etna.sandbox.logins()).toBe(0);
	});
});
