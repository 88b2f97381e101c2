import { etnaMessageOf, redactSecrets } from '../../../../nodes/EtnaTrader/transport/etnaWords';

const secrets = ['secret-token-value', 'secret-app-key'];

/** The ledger's answer to a read without a required parameter, as ETNA's docs quote it. */
const LEDGER_NO_ROUTE = {
	Error: {
		Code: 'UnsupportedApiVersion',
		Message: "The requested resource with API version '1.0' does not support HTTP method 'GET'.",
	},
};

describe("ETNA's own words", () => {
	it.each([
		[{ Message: 'Denied.' }, 'Denied.'],
		[
			{ error: 'Application key is not defined or does not exist' },
			'Application key is not defined or does not exist',
		],
		[{ State: 'Failed', Reason: 'Invalid credentials' }, 'Invalid credentials'],
		['plain text', 'plain text'],
		[
			LEDGER_NO_ROUTE,
			"The requested resource with API version '1.0' does not support HTTP method 'GET'. (UnsupportedApiVersion)",
		],
		[{ Error: { Code: 'AccountLocked' } }, 'AccountLocked'],
		[{ Message: 'Top level wins.', Error: { Message: 'nested' } }, 'Top level wins.'],
	])('are read from %p', (body, expected) => {
		expect(etnaMessageOf(body, [])).toBe(expected);
	});

	it.each([
		['<html><body>502 Bad Gateway</body></html>'],
		[''],
		[{}],
		[null],
		[{ Message: 42 }],
		[{ Error: 'not an object' }],
	])('are absent from %p', (body) => {
		expect(etnaMessageOf(body, [])).toBeUndefined();
	});

	it('are cut at 300 characters and never repeat a secret, nested or not', () => {
		expect(etnaMessageOf({ Message: 'x'.repeat(400) }, [])).toBe(`${'x'.repeat(300)}…`);
		expect(etnaMessageOf({ Message: 'bad key secret-app-key here' }, secrets)).toBe(
			'bad key *** here',
		);
		expect(
			etnaMessageOf({ Error: { Code: 'X', Message: 'token secret-token-value' } }, secrets),
		).toBe('token *** (X)');
		expect(etnaMessageOf({ Reason: 'pin secret-token-value refused' }, secrets)).toBe(
			'pin *** refused',
		);
	});
});

describe('redactSecrets', () => {
	it('masks every occurrence and leaves short strings alone', () => {
		expect(redactSecrets('a secret-token-value b secret-token-value', secrets)).toBe('a *** b ***');
		expect(redactSecrets('abc', ['ab'])).toBe('abc');
	});
});
