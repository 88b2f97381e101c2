// What goes on the wire for the credential as people fill it in.
import { EtnaCredentialError, readConnection, urlOf } from '../../../../nodes/EtnaTrader/transport';
import { useSandbox, withdraw } from '../../../support/etna';

const etna = useSandbox();

describe('the request built from the credential', () => {
	it.each([
		['a trailing slash on the Base URL', { baseUrl: 'BASE/' }],
		['several trailing slashes', { baseUrl: 'BASE//' }],
		[
			'spaces around every field',
			{ baseUrl: '  BASE  ', appKey: ' KEY ', token: ' TOKEN ', apiVersion: ' 1.0 ' },
		],
		['the token pasted with its Bearer prefix', { token: 'Bearer TOKEN' }],
		['the token pasted with a lower-case bearer prefix', { token: 'bearer TOKEN' }],
		['the version written as v1.0', { apiVersion: 'v1.0' }],
		['no API version at all', { apiVersion: '' }],
	])('with %s sends the same request', async (_, pasted) => {
		const fill = (value: string) =>
			value
				.replace('BASE', etna.sandbox.apiUrl)
				.replace('KEY', etna.appKey)
				.replace('TOKEN', etna.adminToken);
		const credentials = etna.credentials(
			Object.fromEntries(Object.entries(pasted).map(([field, value]) => [field, fill(value)])),
		);

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], { credentials });

		expect(result.nodeError).toBeUndefined();
		const [request] = etna.withdrawals();
		expect(request.url).toBe('/api/v1.0/accounts/1001/withdrawal?withdrowalValue=5');
		expect(request.headers.authorization).toBe(`Bearer ${etna.adminToken}`);
		expect(request.headers['et-app-key']).toBe(etna.appKey);
	});

	it('uses the API version of the credential in the path', async () => {
		await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			credentials: etna.credentials({ apiVersion: '1' }),
		});

		expect(etna.withdrawals()[0].path).toBe('/api/v1/accounts/1001/withdrawal');
	});
});

describe('readConnection', () => {
	const valid = {
		baseUrl: 'https://priv-api-acme.etnasoft.us/api',
		apiVersion: '1.0',
		appKey: 'k',
		token: 't',
	};

	it.each([
		['no Base URL', { baseUrl: '' }, /Base URL .* is not a valid http\(s\) address/],
		[
			'a Base URL without a scheme',
			{ baseUrl: 'priv-api-acme.etnasoft.us/api' },
			/not a valid http\(s\) address/,
		],
		[
			'a Base URL with a query',
			{ baseUrl: 'https://x.example/api?a=1' },
			/not a valid http\(s\) address/,
		],
		[
			'a Base URL with a password in it',
			{ baseUrl: 'https://u:p@x.example/api' },
			/must not contain a user name or password/,
		],
		['an ftp Base URL', { baseUrl: 'ftp://x.example/api' }, /not a valid http\(s\) address/],
		[
			'a plain-http Base URL to another host',
			{ baseUrl: 'http://priv-api-acme.etnasoft.us/api' },
			/must use https/,
		],
		[
			'a token pasted with a line break',
			{ token: 'abc\ndef' },
			/Token .* contains spaces, line breaks/,
		],
		['an app key with a space inside', { appKey: 'my key' }, /App Key .* contains spaces/],
		[
			'an API version with a slash',
			{ apiVersion: '1.0/../x' },
			/API Version .* must look like 1\.0/,
		],
		['no app key', { appKey: ' ' }, /has no App Key/],
		['no token', { token: 'Bearer ' }, /has no administrator's token/],
	])('refuses a credential with %s', (_, change, message) => {
		expect(() => readConnection({ ...valid, ...change })).toThrow(EtnaCredentialError);
		expect(() => readConnection({ ...valid, ...change })).toThrow(message);
	});

	it.each(['http://localhost:8787/api', 'http://127.0.0.1:8787/api', 'http://[::1]:8787/api'])(
		'accepts plain http for a local sandbox at %s',
		(baseUrl) => {
			expect(readConnection({ ...valid, baseUrl }).apiRoot).toBe(baseUrl);
		},
	);

	it('escapes each path segment on its own', () => {
		const connection = readConnection(valid);

		expect(urlOf(connection, ['accounts', 'a/b?c', 'withdrawal'])).toBe(
			'https://priv-api-acme.etnasoft.us/api/v1.0/accounts/a%2Fb%3Fc/withdrawal',
		);
	});
});
