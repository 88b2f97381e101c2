// What a reply means: the one reading of replies that re-sends, reads and money movements go by,
// and what a failed request's error says about itself (never keeping the error: it holds headers).
import { EtnaLoginError } from '../../../../nodes/EtnaTrader/transport/login';
import {
	classifyReply,
	replyFromError,
	retryAfterMs,
	saysNoSuchEndpoint,
} from '../../../../nodes/EtnaTrader/transport/replies';

const LEDGER_NO_ROUTE = {
	Error: {
		Code: 'UnsupportedApiVersion',
		Message: "The requested resource with API version '1.0' does not support HTTP method 'GET'.",
	},
};

describe('classifyReply', () => {
	const answered = (status: number, extra: object = {}) => ({
		answered: true as const,
		status,
		body: {},
		...extra,
	});

	it.each([
		[answered(200), 'success'],
		[answered(307), 'redirect'],
		[answered(401), 'tokenRefused'],
		[answered(403), 'appKeyRefused'],
		[answered(404, { body: { Message: 'Trading account 9 was not found.' } }), 'accountNotFound'],
		[answered(404, { body: LEDGER_NO_ROUTE }), 'noSuchEndpoint'],
		[answered(422), 'invalid'],
		[answered(429), 'rateLimited'],
		[answered(503, { retryAfter: '2' }), 'rateLimited'],
		[answered(503), 'serverError'],
		[answered(500), 'serverError'],
	])('reads %p as %s', (reply, kind) => {
		expect(classifyReply(reply).kind).toBe(kind);
	});

	it('reads Retry-After in seconds or as an HTTP date', () => {
		const now = Date.parse('2026-11-30T12:00:00Z');
		expect(retryAfterMs('3', now)).toBe(3000);
		expect(retryAfterMs('Mon, 30 Nov 2026 12:00:05 GMT', now)).toBe(5000);
		expect(retryAfterMs('soon', now)).toBeUndefined();
		expect(classifyReply(answered(429, { retryAfter: '1' }), now)).toEqual({
			kind: 'rateLimited',
			retryAfterMs: 1000,
		});
	});
});

describe('saysNoSuchEndpoint', () => {
	it.each([
		[LEDGER_NO_ROUTE],
		[
			{
				Message:
					"No HTTP resource was found that matches the request URI 'https://etna.example/api/v1.0/accounts?pageSize=1'.",
			},
		],
	])('knows the route-not-found answers ETNA gives: %p', (body) => {
		expect(saysNoSuchEndpoint(body)).toBe(true);
	});

	it.each([
		[{ Message: 'Trading account 999 was not found.' }],
		[{}],
		['No HTTP resource was found'],
		[null],
	])('does not take a missing resource for a missing route: %p', (body) => {
		expect(saysNoSuchEndpoint(body)).toBe(false);
	});
});

describe('replyFromError', () => {
	function wrapped(cause: object): Error {
		// n8n wraps the request's error in a NodeApiError whose cause is the original.
		return new Error('wrapper', { cause: Object.assign(new Error('inner'), cause) });
	}

	it('reads a status and body that came inside an error, and nothing else of it', () => {
		const error = wrapped({
			response: { status: 401, data: { Message: 'Denied' }, headers: { 'retry-after': '5' } },
			config: { headers: { Authorization: 'Bearer secret' } },
		});

		expect(replyFromError(error)).toEqual({
			answered: true,
			status: 401,
			body: { Message: 'Denied' },
			retryAfter: '5',
		});
	});

	it.each([
		[{ code: 'ECONNABORTED' }, { reason: 'timeout', maybeDelivered: true }],
		[{ code: 'ECONNREFUSED' }, { reason: 'connectionFailed', maybeDelivered: false }],
		[{ code: 'ENOTFOUND' }, { reason: 'connectionFailed', maybeDelivered: false }],
		[{ code: 'ECONNRESET' }, { reason: 'connectionLost', maybeDelivered: true }],
		[{ code: 'ERR_CANCELED' }, { reason: 'cancelled', maybeDelivered: true }],
		[{ code: 'SOMETHING_NEW' }, { reason: 'other', maybeDelivered: true }],
	])('classes %p without an answer', (cause, expected) => {
		expect(replyFromError(wrapped(cause))).toMatchObject({ answered: false, ...expected });
	});
});

describe('replyFromError on n8n 1.x, whose NodeApiError drops the request error it wraps', () => {
	// n8n-workflow 1.120.31: the wrapper keeps `httpCode` (a status, or the system error code found
	// under `code`) and the response body as `context.data`; its `cause` is reset to undefined.
	function n8nOneError(fields: object): Error {
		return Object.assign(new Error('Request failed'), fields);
	}

	it('reads the status and the body from httpCode and context.data', () => {
		expect(
			replyFromError(n8nOneError({ httpCode: '422', context: { data: { Message: 'No funds.' } } })),
		).toEqual({ answered: true, status: 422, body: { Message: 'No funds.' } });
	});

	it.each([
		['ECONNABORTED', { reason: 'timeout', maybeDelivered: true }],
		['ECONNRESET', { reason: 'connectionLost', maybeDelivered: true }],
		['ECONNREFUSED', { reason: 'connectionFailed', maybeDelivered: false }],
	])('reads a system error code %s left in httpCode', (httpCode, expected) => {
		expect(replyFromError(n8nOneError({ httpCode }))).toMatchObject({
			answered: false,
			...expected,
		});
	});

	it('recognises a login failure by its message, the one thing n8n 1.x keeps of it', () => {
		const failure = { kind: 'invalidCredentials' as const, username: 'ops', httpCode: 401 };
		const thrown = new EtnaLoginError(failure, 'ETNA refused the login of "ops" (HTTP 401).');

		expect(replyFromError(n8nOneError({ message: thrown.message, httpCode: null }))).toEqual({
			answered: false,
			maybeDelivered: false,
			reason: 'loginFailed',
			login: failure,
		});
	});
});
