// The Administrator Login: POST {Base URL}/token for a token n8n keeps in the credential.
// n8n calls the credential's preAuthentication when that token is empty or was refused (401),
// once per execution that needs it; this module makes those calls share one login per process.
import type { IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { clock } from './clock';
import type { EtnaConnection } from './connection';
import { etnaMessageOf } from './etnaWords';
import { routeCall, urlOf } from './routes';

/** Why a login gave no token; each is raised before any money request. */
export type LoginFailureKind =
	| 'invalidCredentials'
	| 'invalidPin'
	| 'pinMissing'
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
 * A login that gave no token. Its message (worded above transport, by the credential) is what
 * n8n shows, the Test button included; its facts ride on a plain field, read back after n8n
 * wraps the error.
 */
export class EtnaLoginError extends Error {
	readonly etnaLoginFailure: LoginFailure;

	constructor(failure: LoginFailure, message: string) {
		super(message);
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
	return JSON.stringify([
		connection.apiRoot,
		connection.appKey,
		auth.username,
		auth.password,
		auth.pinCode,
	]);
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

type TokenAnswer =
	| { answered: true; status: number; body: Record<string, unknown> }
	| { answered: false; code?: string };

/** One POST /token with these headers; statuses come back as answers, never as errors. */
async function postToken(
	helper: IHttpRequestHelper,
	connection: EtnaConnection,
	headers: Record<string, string>,
): Promise<TokenAnswer> {
	try {
		const call = routeCall('token', { timeoutMs: LOGIN_TIMEOUT_MS });
		const response = (await helper.helpers.httpRequest({
			method: call.method,
			url: urlOf(connection, call.path, call.versioned),
			headers,
			json: true,
			timeout: call.timeoutMs,
			// Never send the password to wherever a redirect points.
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
		const body = response.body;
		const fields =
			typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
		return { answered: true, status: response.statusCode, body: fields };
	} catch (error) {
		return { answered: false, code: connectionCode(error) };
	}
}

/** ETNA's spelling of the security PIN step. */
const PIN_STEP = 'SecutityPin';

function stepTokenOf(body: Record<string, unknown>): string {
	return typeof body.Token === 'string' ? body.Token.trim() : '';
}

/**
 * Logs in: POST /token with the username and password, and when ETNA answers 202 asking for the
 * security PIN, the second step the docs describe (the same headers, the step token as a Bearer
 * and the PIN). A one-time verification code is refused: an unattended workflow cannot type it.
 */
async function requestToken(
	helper: IHttpRequestHelper,
	connection: EtnaConnection,
	username: string,
	password: string,
	pinCode: string,
): Promise<LoginResult> {
	const headers = { 'Et-App-Key': connection.appKey, Username: username, Password: password };
	const secrets = [connection.appKey, password, pinCode];
	const first = await postToken(helper, connection, headers);
	if (!first.answered) {
		return { ok: false, failure: { kind: 'noAnswer', username, httpCode: null, code: first.code } };
	}
	if (first.status !== 202 || first.body.Step !== PIN_STEP) {
		return loginResultOf(first, username, secrets, false);
	}
	const stepToken = stepTokenOf(first.body);
	const withStepToken = [...secrets, stepToken];
	if (!pinCode) return refusal('pinMissing', first, username, withStepToken);
	if (!/^[\x21-\x7e]+$/.test(stepToken)) {
		return refusal('unexpected', first, username, withStepToken);
	}
	const second = await postToken(helper, connection, {
		...headers,
		Authorization: `Bearer ${stepToken}`,
		PinCode: pinCode,
	});
	if (!second.answered) {
		return {
			ok: false,
			failure: { kind: 'noAnswer', username, httpCode: null, code: second.code },
		};
	}
	return loginResultOf(second, username, withStepToken, true);
}

type AnsweredToken = Extract<TokenAnswer, { answered: true }>;

/** A login that gave no token, with ETNA's own words (secrets taken out). */
function refusal(
	kind: LoginFailureKind,
	{ status, body }: AnsweredToken,
	username: string,
	secrets: readonly string[],
): LoginResult {
	return {
		ok: false,
		failure: { kind, username, httpCode: status, reason: etnaMessageOf(body, secrets) },
	};
}

/** What an answer of /token means: a token, or why there is none. */
function loginResultOf(
	answer: AnsweredToken,
	username: string,
	secrets: readonly string[],
	pinSent: boolean,
): LoginResult {
	const { status, body } = answer;
	const failed = (kind: LoginFailureKind) => refusal(kind, answer, username, secrets);
	if (status === 200 && body.State === 'Succeeded') {
		const token = stepTokenOf(body);
		return /^[\x21-\x7e]+$/.test(token) ? { ok: true, token } : failed('unexpected');
	}
	if (status === 202 && body.Step === PIN_STEP)
		return failed(pinSent ? 'unexpected' : 'pinMissing');
	if (status === 202 || body.Step === 'VerificationCode') return failed('twoFactor');
	if (status === 401) {
		if (body.Step !== PIN_STEP) return failed('invalidCredentials');
		// ETNA's "Corrupted ticket" refuses the step token, not the PIN.
		const pinRefused = pinSent && !/corrupted ticket/i.test(String(body.Reason));
		return failed(pinRefused ? 'invalidPin' : 'unexpected');
	}
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
	const now = clock().now();
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
	state.pending = requestToken(helper, connection, auth.username, auth.password, auth.pinCode);
	const result = await state.pending;
	state.pending = undefined;
	if (result.ok) {
		state.token = result.token;
		state.issuedAt = clock().now();
		state.refused = undefined;
	} else if (result.failure.kind !== 'noAnswer' && result.failure.kind !== 'unexpected') {
		// A refusal by ETNA is remembered; a network failure may pass, so it is tried again.
		state.refused = { failure: result.failure, at: clock().now() };
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
