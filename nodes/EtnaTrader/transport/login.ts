// The Administrator Login: POST {Base URL}/token for a token n8n keeps in the credential.
// n8n calls the credential's preAuthentication when that token is empty or was refused (401),
// once per execution that needs it; this module makes those calls share one login per process.
import type { IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { describeLoginFailure } from '../helpers/errors';
import type { EtnaConnection } from './connection';

/** Why a login gave no token; each is raised before any money request. */
export type LoginFailureKind =
	| 'invalidCredentials'
	| 'twoFactor'
	| 'appKey'
	| 'notFound'
	| 'noAnswer'
	| 'unexpected';

export interface LoginFailure {
	kind: LoginFailureKind;
	username: string;
	httpCode: number | null;
	/** ETNA's own explanation (its `Reason`), where it gave one. */
	reason?: string;
	/** The system error code of a connection that failed, e.g. ECONNREFUSED. */
	code?: string;
}

/**
 * A login that gave no token. Its message is what n8n shows (the credential's Test button shows
 * it as it is); its facts ride on a plain field, read back after n8n wraps the error.
 */
export class EtnaLoginError extends Error {
	readonly etnaLoginFailure: LoginFailure;

	constructor(failure: LoginFailure) {
		super(describeLoginFailure(failure).message);
		this.name = 'EtnaLoginError';
		this.etnaLoginFailure = failure;
		rememberFailure(this.message, failure);
	}
}

/**
 * The messages of this process's recent login failures. n8n 1.x wraps a preAuthentication error
 * in a NodeApiError that drops the original (its `cause` field is reset) but keeps the message,
 * which only this module writes: it is how the failure is recognised there.
 */
const recentFailures = new Map<string, LoginFailure>();
const RECENT_FAILURES_KEPT = 50;

function rememberFailure(message: string, failure: LoginFailure): void {
	recentFailures.delete(message);
	recentFailures.set(message, failure);
	if (recentFailures.size > RECENT_FAILURES_KEPT) {
		recentFailures.delete(recentFailures.keys().next().value as string);
	}
}

/** Finds the login failure inside an error n8n may have wrapped once or twice. */
export function loginFailureIn(error: unknown): LoginFailure | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
		const failure = (current as { etnaLoginFailure?: LoginFailure }).etnaLoginFailure;
		if (failure) return failure;
		const remembered = recentFailures.get(current.message);
		if (remembered) return remembered;
		current = current.cause;
	}
	return undefined;
}

const LOGIN_TIMEOUT_MS = 30_000;
/** ETNA tokens live 24 hours; a token older than this is not handed out again without a login. */
const TOKEN_REUSE_MS = 23 * 60 * 60 * 1000;
/** A refused login is not tried again with the same values for this long (ETNA may lock the user). */
const REFUSAL_MEMORY_MS = 60_000;

export type LoginResult = { ok: true; token: string } | { ok: false; failure: LoginFailure };

interface LoginState {
	pending?: Promise<LoginResult>;
	token?: string;
	issuedAt?: number;
	refused?: { failure: LoginFailure; at: number };
}

/** One entry per Base URL, app key, username and password: in this process's memory only. */
const logins = new Map<string, LoginState>();

function loginKey(connection: EtnaConnection): string {
	const { auth } = connection;
	if (auth.method !== 'login') throw new Error('loginKey needs a login credential');
	return JSON.stringify([connection.apiRoot, connection.appKey, auth.username, auth.password]);
}

function reasonOf(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const fields = body as Record<string, unknown>;
	for (const key of ['Reason', 'Message', 'error']) {
		const value = fields[key];
		if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 300);
	}
	return undefined;
}

function connectionCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string') return code;
		current = current.cause;
	}
	return undefined;
}

async function requestToken(
	helper: IHttpRequestHelper,
	connection: EtnaConnection,
	username: string,
	password: string,
): Promise<LoginResult> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await helper.helpers.httpRequest({
			method: 'POST',
			url: `${connection.apiRoot}/token`,
			headers: { 'Et-App-Key': connection.appKey, Username: username, Password: password },
			json: true,
			timeout: LOGIN_TIMEOUT_MS,
			// Never send the password to wherever a redirect points.
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		const code = connectionCode(error);
		return { ok: false, failure: { kind: 'noAnswer', username, httpCode: null, code } };
	}
	const status = response.statusCode;
	const body = response.body as Record<string, unknown> | undefined;
	const failed = (kind: LoginFailureKind): LoginResult => ({
		ok: false,
		failure: { kind, username, httpCode: status, reason: reasonOf(body) },
	});
	if (status === 200 && body?.State === 'Succeeded' && typeof body.Token === 'string') {
		const token = body.Token.trim();
		return /^[\x21-\x7e]+$/.test(token) ? { ok: true, token } : failed('unexpected');
	}
	if (status === 202 || body?.Step === 'VerificationCode') return failed('twoFactor');
	if (status === 401) return failed('invalidCredentials');
	if (status === 403) return failed('appKey');
	if (status === 404) return failed('notFound');
	return failed('unexpected');
}

/**
 * The token for a login credential. `connection.auth.sessionToken` is the token the caller holds:
 * empty before the first login, or one ETNA has just refused. Calls that come together share one
 * login; a token another call got since then is handed out instead of logging in again.
 */
export async function sessionTokenFor(
	helper: IHttpRequestHelper,
	connection: EtnaConnection,
): Promise<LoginResult> {
	const { auth } = connection;
	if (auth.method !== 'login') throw new Error('sessionTokenFor needs a login credential');
	const key = loginKey(connection);
	const state = logins.get(key) ?? {};
	logins.set(key, state);
	if (state.pending) return await state.pending;
	const now = Date.now();
	if (
		state.token &&
		state.token !== auth.sessionToken &&
		state.issuedAt !== undefined &&
		now - state.issuedAt < TOKEN_REUSE_MS
	) {
		return { ok: true, token: state.token };
	}
	if (state.refused && now - state.refused.at < REFUSAL_MEMORY_MS) {
		return { ok: false, failure: state.refused.failure };
	}
	state.pending = requestToken(helper, connection, auth.username, auth.password);
	const result = await state.pending;
	state.pending = undefined;
	if (result.ok) {
		state.token = result.token;
		state.issuedAt = Date.now();
		state.refused = undefined;
	} else if (result.failure.kind !== 'noAnswer' && result.failure.kind !== 'unexpected') {
		// A refusal by ETNA is remembered; a network failure may pass, so it is tried again.
		state.refused = { failure: result.failure, at: Date.now() };
	}
	return result;
}

/** Tokens this process got for the credential's login: secrets, like the password. */
export function issuedTokensOf(connection: EtnaConnection): string[] {
	if (connection.auth.method !== 'login') return [];
	const token = logins.get(loginKey(connection))?.token;
	return token ? [token] : [];
}

/** Forgets every login of this process (tests start each case from nothing). */
export function forgetLogins(): void {
	logins.clear();
	recentFailures.clear();
}
