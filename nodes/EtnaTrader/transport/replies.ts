// What came back from ETNA, or that nothing did, read as the protocol defines it: the reply
// every call returns (never a raw error, which holds the request's headers), and the one
// classification of replies that reads, money movements and their re-sends all go by.
import { loginFailureIn, type LoginFailure } from './login';
import { ETNA_ROUTES, missingRecordOf, type RouteName } from './routes';

export type EtnaReply =
	| {
			answered: true;
			/** The route asked (routes.ts): a 404 or 409 reads by it. Absent: read as an account's. */
			route?: RouteName;
			status: number;
			body: unknown;
			/** ETNA's own words in the body, every secret of the connection taken out. */
			said?: string;
			/** Retry-After, for 429. */
			retryAfter?: string;
	  }
	| {
			answered: false;
			/** Whether the request may have reached ETNA: false only when no connection was made. */
			maybeDelivered: boolean;
			reason: 'timeout' | 'connectionLost' | 'connectionFailed' | 'cancelled' | 'other';
			/** The system error code, e.g. ECONNRESET, for the description. */
			code?: string;
	  }
	/** The credential's login gave no token, so the request itself was not sent (again). */
	| { answered: false; maybeDelivered: false; reason: 'loginFailed'; login: LoginFailure };

/** What a reply means, whatever was asked. */
export type ReplyClass =
	| { kind: 'success' }
	| { kind: 'redirect' }
	| { kind: 'tokenRefused' }
	| { kind: 'appKeyRefused' }
	| { kind: 'accountNotFound' }
	/** ETNA's documented 409 "User with specified id was not found". */
	| { kind: 'userNotFound' }
	| { kind: 'orderNotFound' }
	/** A 409 that refuses a write, e.g. a Login another user has. */
	| { kind: 'conflict' }
	| { kind: 'noSuchEndpoint' }
	| { kind: 'invalid' }
	| { kind: 'rateLimited'; retryAfterMs?: number }
	| { kind: 'serverError' }
	| { kind: 'notConnected'; code?: string }
	| { kind: 'noAnswer'; reason: string; code?: string }
	| { kind: 'loginFailed'; login: LoginFailure };

/** Retry-After in milliseconds: seconds or an HTTP date. */
export function retryAfterMs(retryAfter: string | undefined, now: number): number | undefined {
	if (!retryAfter) return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Whether a 404's body says the route itself does not exist (a wrong Base URL or API Version, or
 * a request without a required parameter), rather than the account it names: ETNA's Web API
 * answers "No HTTP resource was found that matches the request URI ...", and the ledger answers
 * with a nested `UnsupportedApiVersion` error.
 */
export function saysNoSuchEndpoint(body: unknown): boolean {
	if (typeof body !== 'object' || body === null) return false;
	const fields = body as Record<string, unknown>;
	const nested =
		typeof fields.Error === 'object' && fields.Error !== null
			? (fields.Error as Record<string, unknown>)
			: {};
	if (nested.Code === 'UnsupportedApiVersion') return true;
	return [fields.Message, nested.Message].some(
		(text) =>
			typeof text === 'string' &&
			/No HTTP resource was found|does not support HTTP method/i.test(text),
	);
}

/** The one reading of a reply that reads and money movements share. */
export function classifyReply(reply: EtnaReply, now: number = Date.now()): ReplyClass {
	if (!reply.answered) {
		if (reply.reason === 'loginFailed') return { kind: 'loginFailed', login: reply.login };
		if (!reply.maybeDelivered) return { kind: 'notConnected', code: reply.code };
		return { kind: 'noAnswer', reason: reply.reason, code: reply.code };
	}
	const { status } = reply;
	if (status >= 200 && status < 300) return { kind: 'success' };
	if (status >= 300 && status < 400) return { kind: 'redirect' };
	if (status === 401) return { kind: 'tokenRefused' };
	if (status === 403) return { kind: 'appKeyRefused' };
	if (status === 404 && saysNoSuchEndpoint(reply.body)) return { kind: 'noSuchEndpoint' };
	if (status === 404 || status === 409) {
		const missing = reply.route ? missingRecordOf(reply.route, status) : undefined;
		if (missing === 'user') return { kind: 'userNotFound' };
		if (missing === 'order') return { kind: 'orderNotFound' };
		if (status === 404) return { kind: 'accountNotFound' };
		if (reply.route && ETNA_ROUTES[reply.route].conflict) return { kind: 'conflict' };
	}
	// A 503 that names a time to come back is an overloaded server that did not take the request.
	if (status === 429 || (status === 503 && reply.retryAfter !== undefined)) {
		return { kind: 'rateLimited', retryAfterMs: retryAfterMs(reply.retryAfter, now) };
	}
	if (status >= 500) return { kind: 'serverError' };
	return { kind: 'invalid' };
}

/** Codes that mean no connection was made, so the request cannot have reached ETNA. */
const NOT_CONNECTED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'EADDRNOTAVAIL',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface ResponseLike {
	status?: unknown;
	data?: unknown;
	headers?: unknown;
}

export function headerOf(headers: unknown, name: string): string | undefined {
	if (typeof headers !== 'object' || headers === null) return undefined;
	const value = (headers as Record<string, unknown>)[name];
	return typeof value === 'string' ? value : undefined;
}

/** A status, or the system error code n8n 1.x leaves in its place (`httpCode`). */
function codeOfFailure(error: unknown): { status?: number; code?: string } {
	const httpCode = (error as { httpCode?: unknown } | undefined)?.httpCode;
	if (typeof httpCode !== 'string') return {};
	if (/^\d{3}$/.test(httpCode)) return { status: Number(httpCode) };
	return /^E[A-Z_]+$/.test(httpCode) ? { code: httpCode } : {};
}

/** Classes a failure that got no answer by its system error code and message. */
function noAnswer(code: string | undefined, message: string): EtnaReply {
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
		return { answered: false, maybeDelivered: true, reason: 'timeout', code };
	}
	if (code === 'ERR_CANCELED') {
		return { answered: false, maybeDelivered: true, reason: 'cancelled', code };
	}
	if (code && NOT_CONNECTED_CODES.has(code)) {
		return { answered: false, maybeDelivered: false, reason: 'connectionFailed', code };
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) {
		return { answered: false, maybeDelivered: true, reason: 'connectionLost', code };
	}
	return { answered: false, maybeDelivered: true, reason: 'other', code };
}

/**
 * What a failed request says about itself, read without keeping the error (it holds the headers).
 * Statuses normally come back as replies (ignoreHttpStatusErrors); a status inside an error is
 * still read, for requests that let n8n handle a 401 (a token that renews itself). n8n 2.x keeps
 * the request's own error as the `cause` of the one it throws; n8n 1.x drops it, keeping only
 * `httpCode` and the response body (`context.data`), so those are read when there is no cause.
 */
export function replyFromError(error: unknown): EtnaReply {
	const login = loginFailureIn(error);
	if (login) return { answered: false, maybeDelivered: false, reason: 'loginFailed', login };
	const cause =
		error instanceof Error && error.cause instanceof Error
			? error.cause
			: (error as Error | undefined);
	const response = (cause as { response?: ResponseLike } | undefined)?.response;
	if (response && typeof response.status === 'number') {
		return {
			answered: true,
			status: response.status,
			body: response.data,
			retryAfter: headerOf(response.headers, 'retry-after'),
		};
	}
	const code = (cause as { code?: unknown } | undefined)?.code;
	const message = cause instanceof Error ? cause.message : '';
	if (typeof code === 'string') return noAnswer(code, message);
	const kept = codeOfFailure(error);
	if (kept.status !== undefined) {
		const context = (error as { context?: { data?: unknown } }).context;
		return { answered: true, status: kept.status, body: context?.data };
	}
	return noAnswer(kept.code, message);
}
