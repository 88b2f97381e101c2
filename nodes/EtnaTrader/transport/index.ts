// The only place that speaks HTTP to ETNA: it reads the credential, builds the URL and the
// headers, sends through n8n's request helper and hands back what happened, never a raw error.
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

export const ETNA_CREDENTIAL_TYPE = 'etnaTraderApi';

/** The credential's values after tolerant reading (spaces, trailing slashes, "Bearer "). */
export interface EtnaConnection {
	/** The API root without a trailing slash, e.g. https://priv-api-acme.etnasoft.us/api */
	apiRoot: string;
	apiVersion: string;
	appKey: string;
	token: string;
}

/** A credential that cannot be used as it is; raised before any request. */
export class EtnaCredentialError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EtnaCredentialError';
	}
}

function isLoopbackHost(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function credentialText(credentials: ICredentialDataDecryptedObject, field: string): string {
	const value = credentials[field];
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

export function readConnection(credentials: ICredentialDataDecryptedObject): EtnaConnection {
	const apiRoot = credentialText(credentials, 'baseUrl').replace(/\/+$/, '');
	let parsed: URL | undefined;
	try {
		parsed = new URL(apiRoot);
	} catch {
		parsed = undefined;
	}
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
		throw new EtnaCredentialError(
			'The Base URL in the ETNA Trader API credential is not a valid http(s) address, e.g. https://priv-api-yourcompany.etnasoft.us/api',
		);
	}
	// An administrator's token must not cross a network in clear text; plain http is for a local sandbox.
	if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
		throw new EtnaCredentialError(
			'The Base URL in the ETNA Trader API credential must use https: plain http would send the token in clear text (http is accepted only for localhost)',
		);
	}
	if (parsed.username || parsed.password) {
		throw new EtnaCredentialError(
			'The Base URL in the ETNA Trader API credential must not contain a user name or password',
		);
	}
	const apiVersion = (credentialText(credentials, 'apiVersion') || '1.0').replace(/^v/i, '');
	if (!/^\d{1,3}(\.\d{1,3})?$/.test(apiVersion)) {
		throw new EtnaCredentialError(
			'The API Version in the ETNA Trader API credential must look like 1.0 (leave it at 1.0 unless your deployment has several)',
		);
	}
	const appKey = credentialText(credentials, 'appKey');
	if (!appKey) {
		throw new EtnaCredentialError('The ETNA Trader API credential has no App Key (Et-App-Key)');
	}
	const token = credentialText(credentials, 'token').replace(/^Bearer(\s+|$)/i, '');
	if (!token) {
		throw new EtnaCredentialError("The ETNA Trader API credential has no administrator's token");
	}
	// A header cannot carry spaces, line breaks or non-ASCII: a paste that broke them is caught here.
	for (const [label, value] of [
		['App Key', appKey],
		['Token', token],
	]) {
		if (!/^[\x21-\x7e]+$/.test(value)) {
			throw new EtnaCredentialError(
				`The ${label} in the ETNA Trader API credential contains spaces, line breaks or other characters a header cannot carry: paste it again`,
			);
		}
	}
	return { apiRoot, apiVersion, appKey, token };
}

/** The connection of the node's credential; a credential that cannot work fails here, before any request. */
export async function loadConnection(this: IExecuteFunctions): Promise<EtnaConnection> {
	return readConnection(await this.getCredentials(ETNA_CREDENTIAL_TYPE));
}

/** The headers ETNA wants on every call; the credential's authenticate applies them. */
export function authenticationHeaders(connection: EtnaConnection): Record<string, string> {
	return {
		'Et-App-Key': connection.appKey,
		Authorization: `Bearer ${connection.token}`,
	};
}

/** The strings no output, error or log may contain. */
export function secretsOf(connection: EtnaConnection): string[] {
	return [connection.token, connection.appKey];
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
	  };

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

/**
 * What a failed request says about itself, read without keeping the error (it holds the headers).
 * Statuses normally come back as replies (ignoreHttpStatusErrors); a status inside an error is
 * still read, for requests that let n8n handle a 401 (a token that renews itself).
 */
export function replyFromError(error: unknown): EtnaReply {
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
	const codeText = typeof code === 'string' ? code : undefined;
	const message = cause instanceof Error ? cause.message : '';
	if (codeText === 'ECONNABORTED' || codeText === 'ETIMEDOUT' || /timeout/i.test(message)) {
		return { answered: false, maybeDelivered: true, reason: 'timeout', code: codeText };
	}
	if (codeText === 'ERR_CANCELED') {
		return { answered: false, maybeDelivered: true, reason: 'cancelled', code: codeText };
	}
	if (codeText && NOT_CONNECTED_CODES.has(codeText)) {
		return { answered: false, maybeDelivered: false, reason: 'connectionFailed', code: codeText };
	}
	if (codeText === 'ECONNRESET' || codeText === 'EPIPE' || /socket hang up/i.test(message)) {
		return { answered: false, maybeDelivered: true, reason: 'connectionLost', code: codeText };
	}
	return { answered: false, maybeDelivered: true, reason: 'other', code: codeText };
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
		// Every status comes back as a reply: n8n would otherwise re-send a request after a 401,
		// which a fixed token cannot fix.
		ignoreHttpStatusErrors: true,
	};
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			ETNA_CREDENTIAL_TYPE,
			options,
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
