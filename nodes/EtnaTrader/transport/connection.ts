// The credential as the node and the credential type read it: one tolerant reader (spaces,
// trailing slashes, "Bearer ", "v1.0"), so both send exactly the same thing.
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

/** How the credential proves it is an administrator. */
export type EtnaAuth =
	| { method: 'token'; token: string }
	| {
			method: 'login';
			username: string;
			password: string;
			/** The security PIN ETNA asks some logins for in a second step; empty when none. */
			pinCode: string;
			/** The token n8n keeps for this login; empty until the first login. */
			sessionToken: string;
	  };

/** The credential's values after tolerant reading. */
export interface EtnaConnection {
	/** The API root without a trailing slash, e.g. https://priv-api-acme.etnasoft.us/api */
	apiRoot: string;
	apiVersion: string;
	appKey: string;
	auth: EtnaAuth;
	/**
	 * The decrypted credential as n8n gave it, handed back to n8n's request helper with every
	 * request so it is not read and decrypted again each time (a login's renewed token is
	 * written into it by n8n).
	 */
	decrypted?: ICredentialsDecrypted;
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

/** A header value cannot carry line breaks or non-ASCII; tokens and keys cannot carry spaces either. */
function checkHeaderValue(label: string, value: string, spacesAllowed: boolean): void {
	const allowed = spacesAllowed ? /^[\x20-\x7e]+$/ : /^[\x21-\x7e]+$/;
	if (!allowed.test(value)) {
		const what = spacesAllowed
			? 'line breaks or characters other than plain ASCII'
			: 'spaces, line breaks or other characters a header cannot carry';
		throw new EtnaCredentialError(
			`The ${label} in the ETNA Trader API credential contains ${what}: type it again`,
		);
	}
}

function readAuth(credentials: ICredentialDataDecryptedObject): EtnaAuth {
	const method = credentialText(credentials, 'authMethod') || 'token';
	if (method === 'login') {
		const username = credentialText(credentials, 'username');
		// A password is used as typed: spaces at its ends may be part of it.
		const password = typeof credentials.password === 'string' ? credentials.password : '';
		if (!username) {
			throw new EtnaCredentialError(
				'The ETNA Trader API credential uses Administrator Login but has no Username',
			);
		}
		if (!password) {
			throw new EtnaCredentialError(
				'The ETNA Trader API credential uses Administrator Login but has no Password',
			);
		}
		checkHeaderValue('Username', username, true);
		checkHeaderValue('Password', password, true);
		const pinCode = credentialText(credentials, 'pinCode');
		if (pinCode) checkHeaderValue('Security PIN', pinCode, false);
		const sessionToken = credentialText(credentials, 'sessionToken');
		return { method, username, password, pinCode, sessionToken };
	}
	if (method !== 'token') {
		throw new EtnaCredentialError(
			`The ETNA Trader API credential has an unknown Authentication "${method}": choose Administrator Token or Administrator Login`,
		);
	}
	const token = credentialText(credentials, 'token').replace(/^Bearer(\s+|$)/i, '');
	if (!token) {
		throw new EtnaCredentialError("The ETNA Trader API credential has no administrator's token");
	}
	checkHeaderValue('Token', token, false);
	return { method, token };
}

/** The Base URL without what users add around it: spaces, trailing slashes. */
function cleanBaseUrl(text: string): string {
	return text.replace(/\/+$/, '');
}

/** The API Version without what users add: a leading v ("v1.0"). */
function cleanApiVersion(text: string): string {
	return (text || '1.0').replace(/^v/i, '');
}

/**
 * The same clean-up in n8n's expression language, for the credential's Test, whose request n8n
 * builds from expressions before any of this code runs (credentialTest.ts). Kept beside the
 * functions above, which the credential tests hold to the same results.
 */
export const CLEAN_BASE_URL_EXPRESSION = '$credentials.baseUrl.trim().replace(/\\/+$/, "")';
export const CLEAN_API_VERSION_EXPRESSION =
	'String($credentials.apiVersion || "1.0").trim().replace(/^v/i, "")';

export function readConnection(credentials: ICredentialDataDecryptedObject): EtnaConnection {
	const apiRoot = cleanBaseUrl(credentialText(credentials, 'baseUrl'));
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
	const apiVersion = cleanApiVersion(credentialText(credentials, 'apiVersion'));
	if (!/^\d{1,3}(\.\d{1,3})?$/.test(apiVersion)) {
		throw new EtnaCredentialError(
			'The API Version in the ETNA Trader API credential must look like 1.0 (leave it at 1.0 unless your deployment has several)',
		);
	}
	const appKey = credentialText(credentials, 'appKey');
	if (!appKey) {
		throw new EtnaCredentialError('The ETNA Trader API credential has no App Key (Et-App-Key)');
	}
	checkHeaderValue('App Key', appKey, false);
	return { apiRoot, apiVersion, appKey, auth: readAuth(credentials) };
}

/** The token the requests carry now: the pasted one, or the one n8n keeps for the login. */
export function bearerTokenOf(connection: EtnaConnection): string {
	const { auth } = connection;
	if (auth.method === 'token') return auth.token;
	if (!auth.sessionToken) {
		// n8n runs the credential's preAuthentication before this; an empty token here is a bug.
		throw new EtnaCredentialError(
			'The ETNA Trader API credential has not logged in yet: run the workflow again',
		);
	}
	return auth.sessionToken;
}

/** The headers ETNA wants on every call; the credential's authenticate applies them. */
export function authenticationHeaders(connection: EtnaConnection): Record<string, string> {
	return {
		'Et-App-Key': connection.appKey,
		Authorization: `Bearer ${bearerTokenOf(connection)}`,
	};
}

/** The credential's own secrets (the tokens a login was issued are added by request.ts). */
export function credentialSecretsOf(connection: EtnaConnection): string[] {
	const { auth } = connection;
	const secrets = [connection.appKey];
	if (auth.method === 'token') secrets.push(auth.token);
	else secrets.push(auth.password, auth.pinCode, auth.sessionToken);
	return secrets.filter((secret) => secret !== '');
}

/** Who the credential logs in as, for messages: a username, never a secret. */
export function loginNameOf(connection: EtnaConnection): string | undefined {
	return connection.auth.method === 'login' ? connection.auth.username : undefined;
}
