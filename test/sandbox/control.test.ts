// The /__sandbox endpoints a person drives the sandbox with by curl.
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

describe('/__sandbox', () => {
	it('shows and sets the token policy, refusing one it cannot use (422)', async () => {
		expect((await etna.control('GET', '/token-policy')).body).toEqual({ lifetimeMs: 86400000 });

		const set = await etna.control('POST', '/token-policy', { maxUses: 1 });
		const bad = await etna.control('POST', '/token-policy', { maxUses: 'three' });
		const typo = await etna.control('POST', '/token-policy', { maxuses: 3 });

		expect(set).toMatchObject({ status: 200, body: { maxUses: 1, lifetimeMs: 86400000 } });
		expect(bad).toMatchObject({ status: 422, body: { error: expect.stringContaining('maxUses') } });
		expect(typo).toMatchObject({
			status: 422,
			body: { error: expect.stringContaining('maxuses') },
		});
		const headers = etna.admin();
		expect((await etna.call('GET', '/v1.0/accounts/1001', headers)).status).toBe(200);
		expect((await etna.call('GET', '/v1.0/accounts/1001', headers)).status).toBe(401);
	});

	it('expires every token issued so far', async () => {
		const headers = etna.admin();

		await etna.control('POST', '/tokens/expire');

		expect((await etna.call('GET', '/v1.0/accounts/1001', headers)).status).toBe(401);
		expect((await etna.call('GET', '/v1.0/accounts/1001', etna.admin())).status).toBe(200);
	});

	it("shows an account's ledger and balance", async () => {
		await etna.call('POST', '/v1.0/accounts/1003/withdrawal?withdrowalValue=10', etna.admin());

		const ledger = await etna.control('GET', '/accounts/1003/transactions');
		const info = await etna.control('GET', '/accounts/1003/info');
		const unknown = await etna.control('GET', '/accounts/9999/transactions');

		expect(ledger.body).toEqual([
			expect.objectContaining({ Description: 'Initial deposit', Value: 50000 }),
			expect.objectContaining({ Description: 'Withdrawal', Value: -10 }),
		]);
		expect(info.body).toMatchObject({ cash: 49990, excess: 29990 });
		expect(unknown.status).toBe(404);
	});

	it('shows logins and requests in flight, and starts the in-flight maxima again on DELETE', async () => {
		await etna.call('POST', '/token', { Username: 'admin', Password: 'admin-password' });

		expect((await etna.control('GET', '/logins')).body).toEqual({ logins: 1 });
		expect((await etna.control('GET', '/in-flight')).body).toMatchObject({ now: 0, max: 1 });
		expect((await etna.control('DELETE', '/in-flight')).body).toMatchObject({ max: 0 });
	});

	it('shows and sets latency and page size, refusing values it cannot use (422)', async () => {
		const set = await etna.control('POST', '/settings', { latencyMs: 5, maxPageSize: 3 });
		const bad = await etna.control('POST', '/settings', { latencyMs: 1, maxPageSize: 0 });

		expect(set.body).toEqual({ latencyMs: 5, maxPageSize: 3 });
		expect(bad.status).toBe(422);
		expect((await etna.control('GET', '/settings')).body).toEqual({ latencyMs: 5, maxPageSize: 3 });
	});

	it('lists the fault rules in force, and refuses one with an unknown kind or endpoint (422)', async () => {
		const added = await etna.control('POST', '/faults', {
			accountId: 1001,
			endpoint: 'withdrawal',
			fault: { kind: 'hang', afterProcessing: true },
		});
		const unknownKind = await etna.control('POST', '/faults', { fault: { kind: 'explode' } });
		const unknownEndpoint = await etna.control('POST', '/faults', {
			endpoint: 'statements',
			fault: { kind: 'hang' },
		});
		const notJson = await fetch(`${etna.sandbox.origin}/__sandbox/faults`, {
			method: 'POST',
			body: '{',
		});

		expect(added.status).toBe(200);
		expect([unknownKind.status, unknownEndpoint.status, notJson.status]).toEqual([422, 422, 400]);
		expect((await etna.control('GET', '/faults')).body).toEqual([
			{ accountId: 1001, endpoint: 'withdrawal', fault: { kind: 'hang', afterProcessing: true } },
		]);
	});

	it('masks passwords and verification codes too when it lists requests', async () => {
		await etna.call('POST', '/token', {
			Username: 'admin2fa',
			Password: 'admin2fa-password',
			VerificationCode: '123456',
		});

		const listed = await etna.control<Array<{ headers: Record<string, string> }>>(
			'GET',
			'/requests',
		);

		expect(listed.body[0].headers).toMatchObject({
			username: 'admin2fa',
			password: '***',
			verificationcode: '***',
			'et-app-key': '***',
		});
		expect(JSON.stringify(listed.body)).not.toContain('admin2fa-password');
	});

	it('answers an unknown control with the list of known ones', async () => {
		const reply = await etna.control<{ known: string[] }>('GET', '/nothing-here');

		expect(reply.status).toBe(404);
		expect(reply.body.known).toContain('GET /accounts/{id}/transactions');
	});
});
