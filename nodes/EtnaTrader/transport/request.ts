// One request to ETNA: the URL, the credential's headers (through n8n's request helper) and what
// happened, handed back as a reply, never as a raw error.
import type {
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { classifyReply } from '../helpers/errors';

import {
	readConnection,
	secretsOf as credentialSecretsOf,
	type EtnaConnection,
} from './connection';
import { issuedTokensOf, loginFailureIn, type LoginFailure } from './login';

export const ETNA_CREDENTIAL_TYPE = 'etnaTraderApi';

/** The connection of the node's credential; a credential that cannot work fails here, before any request. */
export async function loadConnection(this: IExecuteFunctions): Promise<EtnaConnection> {
	const data = await this.getCredentials(ETNA_CREDENTIAL_TYPE);
	const connection = readConnection(data);
	const stored = this.getNode().credentials?.[ETNA_CREDENTIAL_TYPE];
	if (stored?.id) {
		connection.decrypted = {
			id: stored.id,
			name: stored.name,
			type: ETNA_CREDENTIAL_TYPE,
			data,
		};
	}
	return connection;
}

/** The strings no output, error or log may contain: the credential's and every token it was issued. */
export function secretsOf(connection: EtnaConnection): string[] {
	return [...credentialSecretsOf(connection), ...issuedTokensOf(connection)];
}

export interface EtnaCall {
	method: IHttpRequestMethods;
	/** Segments after /v{version}/, each escaped on its own: ['accounts', 1001, 'withdrawal']. */
	path: ReadonlyArray<string | number>;
	query?: Record<string, string>;
	timeoutMs: number;
}

export type EtnaReply =
	| {
			answered: true;
			status: number;
			body: unknown;
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

export function urlOf(connection: EtnaConnection, path: EtnaCall['path']): string {
	const segments = path.map((segment) => encodeURIComponent(String(segment)));
	return `${connection.apiRoot}/v${connection.apiVersion}/${segments.join('/')}`;
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

function headerOf(headers: unknown, name: string): string | undefined {
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

/**
 * Sends one request to ETNA with the credential's headers, exactly once. Redirects are never
 * followed: n8n would re-send the Authorization header to wherever the redirect points.
 */
export async function callEtna(
	this: IExecuteFunctions,
	connection: EtnaConnection,
	call: EtnaCall,
): Promise<EtnaReply> {
	const options: IHttpRequestOptions = {
		method: call.method,
		url: urlOf(connection, call.path),
		qs: call.query,
		json: true,
		timeout: call.timeoutMs,
		disableFollowRedirect: true,
		returnFullResponse: true,
		// With a pasted token every status comes back as a reply: n8n would otherwise re-send the
		// request after a 401, which a fixed token cannot fix. A login lets n8n see the 401, log in
		// again and re-send once: a 401 means ETNA did not process the request.
		ignoreHttpStatusErrors: connection.auth.method === 'token',
	};
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			ETNA_CREDENTIAL_TYPE,
			options,
			connection.decrypted ? { credentialsDecrypted: connection.decrypted } : undefined,
		)) as IN8nHttpFullResponse;
		return {
			answered: true,
			status: response.statusCode,
			body: response.body,
			retryAfter: headerOf(response.headers, 'retry-after'),
		};
	} catch (error) {
		return replyFromError(error);
	}
}

/** How long the node waits for a rate limit to lift before giving the item up. */
export const LONGEST_RATE_LIMIT_WAIT_MS = 60_000;
const BACKOFF_FIRST_MS = 500;

export interface Patience {
	/** How many times a request refused for the rate may be sent again. */
	maxResends: number;
	/** The execution's cancel signal: a cancelled execution stops waiting and sends nothing more. */
	signal?: AbortSignal;
}

/** Waits in short slices (n8n's lint forbids timers), returning early once cancelled. */
async function waitUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<void> {
	const until = Date.now() + ms;
	while (!signal?.aborted && Date.now() < until) {
		await sleep(Math.min(250, until - Date.now()));
	}
}

/**
 * Sends once, and again only after an answer that says ETNA did not take the request: a 429,
 * or a 503 with Retry-After. It waits as long as Retry-After says (else a growing pause with
 * jitter), a bounded number of times; any other answer, or none, is never followed by a re-send.
 */
export async function callEtnaPatiently(
	this: IExecuteFunctions,
	connection: EtnaConnection,
	call: EtnaCall,
	patience: Patience,
): Promise<{ reply: EtnaReply; sends: number }> {
	let sends = 0;
	for (;;) {
		const reply = await callEtna.call(this, connection, call);
		sends += 1;
		const replyClass = classifyReply(reply);
		if (replyClass.kind !== 'rateLimited' || sends > patience.maxResends) return { reply, sends };
		const backoff = BACKOFF_FIRST_MS * 2 ** (sends - 1) * (0.5 + Math.random());
		const waitMs = replyClass.retryAfterMs ?? backoff;
		if (waitMs > LONGEST_RATE_LIMIT_WAIT_MS || patience.signal?.aborted) return { reply, sends };
		await waitUnlessCancelled(waitMs, patience.signal);
		if (patience.signal?.aborted) return { reply, sends };
	}
}
