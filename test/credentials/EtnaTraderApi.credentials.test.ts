import { EtnaTraderApi } from '../../credentials/EtnaTraderApi.credentials';
import { runCredentialTest } from '../support/n8nEngine';
import { readConnection, urlOf } from '../../nodes/EtnaTrader/transport';
import { useSandbox } from '../support/etna';

const etna = useSandbox();

describe('the ETNA Trader API credential', () => {
	it('keeps the public field names and defaults that stored credentials rely on', () => {
		const type = new EtnaTraderApi();

		expect(type.name).toBe('etnaTraderApi');
		expect(type.displayName).toBe('ETNA Trader API');
		expect(type.properties.map((property) => [property.name, property.default])).toEqual([
			['baseUrl', ''],
			['apiVersion', '1.0'],
			['appKey', ''],
			['authMethod', 'token'],
			['token', ''],
			['username', ''],
			['password', ''],
			['pinCode', ''],
			['sessionToken', ''],
		]);
		const masked = type.properties
			.filter((property) => property.typeOptions?.password)
			.map((property) => property.name);
		expect(masked).toEqual(['appKey', 'token', 'password', 'pinCode', 'sessionToken']);
	});

	it('offers the token method, unchanged for existing credentials, and the login method', () => {
		const type = new EtnaTraderApi();
		const field = (name: string) => type.properties.find((property) => property.name === name);

		expect(
			field('authMethod')?.options?.map((option) => 'value' in option && option.value),
		).toEqual(['token', 'login']);
		expect(field('token')?.displayOptions).toEqual({ show: { authMethod: ['token'] } });
		expect(field('username')?.displayOptions).toEqual({ show: { authMethod: ['login'] } });
		expect(field('password')?.displayOptions).toEqual({ show: { authMethod: ['login'] } });
		expect(field('pinCode')?.displayOptions).toEqual({ show: { authMethod: ['login'] } });
		expect(field('pinCode')?.required).toBeFalsy();
		// n8n keeps the login's token in this field and renews it when it is empty or refused.
		expect(field('sessionToken')).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true },
		});
	});

	it('a token credential needs no login: preAuthentication gives n8n nothing to store', async () => {
		const type = new EtnaTraderApi();

		const stored = await type.preAuthentication.call(
			{
				helpers: {
					httpRequest: async () => {
						throw new Error('a token credential must not log in');
					},
				},
			},
			{ baseUrl: 'https://x.example/api', appKey: 'k', authMethod: 'token', token: 't' },
		);

		expect(stored).toEqual({});
	});

	it('authenticates a request with Et-App-Key and a Bearer token, keeping its other headers', async () => {
		const type = new EtnaTraderApi();
		if (typeof type.authenticate !== 'function')
			throw new Error('authenticate should be a function');

		const options = await type.authenticate(
			{
				baseUrl: 'https://x.example/api',
				appKey: ' the-key ',
				token: 'Bearer the-token',
				authMethod: 'token',
			},
			{ url: 'https://x.example/api/v1.0/accounts', headers: { Accept: 'application/json' } },
		);

		expect(options.headers).toEqual({
			Accept: 'application/json',
			'Et-App-Key': 'the-key',
			Authorization: 'Bearer the-token',
		});
	});

	it('authenticates a login credential with the token n8n keeps for it, never the password', async () => {
		const type = new EtnaTraderApi();
		if (typeof type.authenticate !== 'function')
			throw new Error('authenticate should be a function');

		const options = await type.authenticate(
			{
				baseUrl: 'https://x.example/api',
				appKey: 'the-key',
				authMethod: 'login',
				username: 'payouts',
				password: 'pw',
				sessionToken: 'kept-token',
			},
			{ url: 'https://x.example/api/v1.0/accounts' },
		);

		expect(options.headers).toEqual({
			'Et-App-Key': 'the-key',
			Authorization: 'Bearer kept-token',
		});
	});
});

describe("the credential's Test button", () => {
	it("succeeds with an administrator's token, reading one account page and moving no money", async () => {
		const result = await runCredentialTest(
			etna.credentials({ baseUrl: `${etna.sandbox.apiUrl}/` }),
		);

		expect(result).toEqual({ ok: true });
		const [request, ...others] = etna.sandbox.apiRequests();
		expect(others).toHaveLength(0);
		expect(request.method).toBe('GET');
		// Every parameter ETNA's docs require on the account list, or a real ETNA answers 404.
		expect(request.url).toBe(
			'/api/v1.0/accounts?pageNumber=0&pageSize=1&propertyName=Id&isAscending=true',
		);
		expect(request.headers.authorization).toBe(`Bearer ${etna.adminToken}`);
	});

	it('cleans the Base URL and API Version as the node does (transport), so the Test reads where the node will', async () => {
		const credentials = etna.credentials({
			baseUrl: `  ${etna.sandbox.apiUrl}//  `,
			apiVersion: ' v1.0 ',
		});

		const result = await runCredentialTest(credentials);

		expect(result).toEqual({ ok: true });
		const connection = readConnection(credentials);
		expect(`${etna.sandbox.origin}${etna.sandbox.apiRequests()[0].path}`).toBe(
			urlOf(connection, ['accounts']),
		);
	});

	it("fails with a 401 message naming the administrator's token for a regular user's token", async () => {
		const result = await runCredentialTest(
			etna.credentials({ token: etna.sandbox.model.issueToken('trader') }),
		);

		expect(result).toEqual({
			ok: false,
			status: 401,
			message:
				"ETNA refused the token (HTTP 401): it is not an ETNA administrator's token, or it has expired",
		});
	});

	it('fails with a 403 message naming the Et-App-Key for a wrong key', async () => {
		const result = await runCredentialTest(etna.credentials({ appKey: 'wrong' }));

		expect(result).toMatchObject({
			ok: false,
			status: 403,
			message: expect.stringMatching(/Et-App-Key is wrong/),
		});
	});

	it('fails with a 404 message about the Base URL when the API root is wrong', async () => {
		const result = await runCredentialTest(
			etna.credentials({ baseUrl: `${etna.sandbox.origin}/not-api` }),
		);

		expect(result).toMatchObject({
			ok: false,
			status: 404,
			message: expect.stringMatching(/check the Base URL/),
		});
	});
});
