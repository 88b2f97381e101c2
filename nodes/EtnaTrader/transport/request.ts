// One call to ETNA: the URL, the credential's headers (through n8n's request helper) and what
// happened, handed back as a reply, never as a raw error. A call refused for the rate (a 429, or
// a 503 with Retry-After: ETNA did not process it) is waited out and sent again, for every call;
// nothing else is ever sent twice.
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { clock } from './clock';
import { credentialSecretsOf, readConnection, type EtnaConnection } from './connection';
import { etnaMessageOf } from './etnaWords';
import { issuedTokensOf } from './login';
import { classifyReply, headerOf, replyFromError, type EtnaReply } from './replies';
import { routeCall, urlOf, type EtnaCall, type RouteName, type RouteRequest } from './routes';

export { callUrlOf, urlOf } from './routes';

export const ETNA_CREDENTIAL_TYPE = 'etnaTraderApi';

/** Where a call is made from: a node's execution, or a trigger's poll. */
export type EtnaContext = IExecuteFunctions | IPollFunctions;

/** The connection of the node's credential; a credential that cannot work fails here, before any request. */
export async function loadConnection(this: EtnaContext): Promise<EtnaConnection> {
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
function secretsOf(connection: EtnaConnection): string[] {
	return [...credentialSecretsOf(connection), ...issuedTokensOf(connection)];
}

/** A reply, and how many times the request went out to get it (more than 1 only after rate limits). */
export type SentReply = EtnaReply & { sends: number };

/** How many times a call refused for the rate is sent again before it is given up. */
export const RATE_LIMIT_RESENDS = 3;
/** How long a call waits for a rate limit to lift; a longer Retry-After gives the call up. */
export const LONGEST_RATE_LIMIT_WAIT_MS = 60_000;
const BACKOFF_FIRST_MS = 500;

/**
 * Sends one request with the credential's headers. Redirects are never followed: n8n would
 * re-send the Authorization header to wherever the redirect points.
 */
async function sendOnce(
	context: EtnaContext,
	connection: EtnaConnection,
	call: EtnaCall,
): Promise<EtnaReply> {
	const options: IHttpRequestOptions = {
		method: call.method,
		url: urlOf(connection, call.path, call.versioned),
		qs: call.query,
		...(call.body ? { body: call.body } : {}),
		json: true,
		timeout: call.timeoutMs,
		disableFollowRedirect: true,
		returnFullResponse: true,
		// With a pasted token every status comes back as a reply: n8n would otherwise re-send the
		// request after a 401, which a fixed token cannot fix. A login lets n8n see the 401, log in
		// again and re-send once: a 401 means ETNA did not process the request.
		ignoreHttpStatusErrors: connection.auth.method === 'token',
	};
	let reply: EtnaReply;
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			ETNA_CREDENTIAL_TYPE,
			options,
			connection.decrypted ? { credentialsDecrypted: connection.decrypted } : undefined,
		)) as IN8nHttpFullResponse;
		reply = {
			answered: true,
			route: call.route,
			status: response.statusCode,
			body: response.body,
			retryAfter: headerOf(response.headers, 'retry-after'),
		};
	} catch (error) {
		reply = replyFromError(error);
		if (reply.answered) reply.route = call.route;
	}
	// ETNA's words, read once here with every secret of the connection taken out: an answer may
	// quote what it was sent.
	if (reply.answered && reply.status >= 300) {
		reply.said = etnaMessageOf(reply.body, secretsOf(connection));
	}
	return reply;
}

/** Waits in short slices, returning early once the execution is cancelled. */
async function waitUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<void> {
	const until = clock().now() + ms;
	while (!signal?.aborted && clock().now() < until) {
		await clock().sleep(Math.min(250, until - clock().now()));
	}
}

/**
 * Sends a call to ETNA, and again only after an answer that says ETNA did not take it: a 429, or
 * a 503 with Retry-After. It waits as long as Retry-After says (else a growing pause with
 * jitter), at most RATE_LIMIT_RESENDS times and never past LONGEST_RATE_LIMIT_WAIT_MS, and stops
 * once the execution is cancelled. Any other answer, or none, is never followed by a re-send.
 */
export async function callEtna(
	this: EtnaContext,
	connection: EtnaConnection,
	call: EtnaCall,
): Promise<SentReply> {
	// An execution can be cancelled; a poll has no such signal.
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal?.() : undefined;
	for (let sends = 1; ; sends++) {
		const reply = await sendOnce(this, connection, call);
		const replyClass = classifyReply(reply, clock().now());
		if (replyClass.kind !== 'rateLimited' || sends > RATE_LIMIT_RESENDS) return { ...reply, sends };
		const backoff = BACKOFF_FIRST_MS * 2 ** (sends - 1) * (0.5 + Math.random());
		const waitMs = replyClass.retryAfterMs ?? backoff;
		if (waitMs > LONGEST_RATE_LIMIT_WAIT_MS || signal?.aborted) return { ...reply, sends };
		await waitUnlessCancelled(waitMs, signal);
		if (signal?.aborted) return { ...reply, sends };
	}
}

/** Builds the route's request from the table (routes.ts) and sends it: how every operation calls ETNA. */
export async function callRoute(
	this: EtnaContext,
	connection: EtnaConnection,
	name: RouteName,
	request: RouteRequest,
): Promise<SentReply> {
	return await callEtna.call(this, connection, routeCall(name, request));
}
