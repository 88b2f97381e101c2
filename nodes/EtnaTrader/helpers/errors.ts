// Turns what ETNA (or the network) answered into a message that says what happened and what
// to do, and into the error n8n shows or the item the error output carries. One classification
// of replies serves every operation; reads and money movements only word it differently.
import {
	NodeApiError,
	NodeOperationError,
	type Failure,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { EtnaReply, LoginFailure } from '../transport';
import { etnaMessageOf, saysNoSuchEndpoint } from '../transport/etnaWords';
import type { ErrorItemShape } from './engine';
import { inputProblemMessage, type InputProblem } from './validation';

/**
 * What a workflow may do next with a failed item:
 * - notSent: nothing reached ETNA; fix the input or the credential and run again;
 * - rejected: ETNA did not do it, no money moved; safe to run again once the cause is fixed;
 * - unknown: it may or may not have moved money; check the account before any retry.
 * A read never moves money, so its failures are only ever notSent or rejected.
 */
export type Outcome = 'notSent' | 'rejected' | 'unknown';

export interface EtnaFailure {
	message: string;
	description: string;
	outcome: Outcome;
	httpCode: number | null;
	failure?: Failure;
}

/** What the failed request was for, as a message names it. */
export type Subject =
	| {
			kind: 'movement';
			/** "withdrawal" or "deposit". */
			noun: 'withdrawal' | 'deposit';
			/** How the account is named after the amount: "from" (withdrawal) or "to" (deposit). */
			preposition: 'from' | 'to';
			accountId: number;
			/** The amount as sent, e.g. "25.5". */
			amount: string;
	  }
	| {
			kind: 'read';
			/** What was read, e.g. "the balance of account 1001". */
			what: string;
			accountId?: number;
	  };

export interface RequestContext {
	timeoutMs: number;
	/** Token, app key, password: never repeated in a message, even if the API echoes them. */
	secrets: string[];
	/** The username of an Administrator Login credential; absent for a pasted token. */
	loginName?: string;
	/** How many times the request was sent (more than once only after rate limits). */
	sends?: number;
}

/** What a reply means, whatever was asked. */
export type ReplyClass =
	| { kind: 'success' }
	| { kind: 'redirect' }
	| { kind: 'tokenRefused' }
	| { kind: 'appKeyRefused' }
	| { kind: 'accountNotFound' }
	| { kind: 'noSuchEndpoint' }
	| { kind: 'invalid' }
	| { kind: 'rateLimited'; retryAfterMs?: number }
	| { kind: 'serverError' }
	| { kind: 'notConnected'; code?: string }
	| { kind: 'noAnswer'; reason: string; code?: string }
	| { kind: 'loginFailed'; login: LoginFailure };

const CHECK_BEFORE_RETRY =
	"Check the account's cash and transaction history in ETNA before you run this item again: running it again blindly could move the money twice.";

function withApiMessage(sentence: string, apiMessage: string | undefined): string {
	return apiMessage ? `${sentence} ETNA said: "${apiMessage}"` : sentence;
}

/** Retry-After in milliseconds: seconds or an HTTP date. */
export function retryAfterMs(retryAfter: string | undefined): number | undefined {
	if (!retryAfter) return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The one reading of a reply that reads and money movements share. */
export function classifyReply(reply: EtnaReply): ReplyClass {
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
	if (status === 404) {
		return saysNoSuchEndpoint(reply.body)
			? { kind: 'noSuchEndpoint' }
			: { kind: 'accountNotFound' };
	}
	// A 503 that names a time to come back is an overloaded server that did not take the request.
	if (status === 429 || (status === 503 && reply.retryAfter !== undefined)) {
		return { kind: 'rateLimited', retryAfterMs: retryAfterMs(reply.retryAfter) };
	}
	if (status >= 500) return { kind: 'serverError' };
	return { kind: 'invalid' };
}

/** "the withdrawal of 25 from account 1001" / "reading the balance of account 1001". */
function subjectPhrase(subject: Subject): string {
	return subject.kind === 'movement'
		? `the ${subject.noun} of ${subject.amount} ${subject.preposition} account ${subject.accountId}`
		: `reading ${subject.what}`;
}

/** What an administrator's token is needed for: "withdrawals need", "reading ... needs". */
function needsAdministrator(subject: Subject): string {
	return subject.kind === 'movement' ? `${subject.noun}s need` : `reading ${subject.what} needs`;
}

const NO_ANSWER: Record<string, string> = {
	timeout: 'ETNA did not answer within {timeout} ms',
	connectionLost: 'The connection to ETNA broke before an answer came',
	cancelled: 'The execution was cancelled while waiting for ETNA',
	other: 'The request to ETNA failed without an answer',
};

/** The message and what to do about a login that gave no token (no request was sent with it). */
export function describeLoginFailure(login: LoginFailure): {
	message: string;
	description: string;
} {
	const user = `"${login.username}"`;
	const said = (sentence: string) => withApiMessage(sentence, login.reason);
	const fixLogin = 'in the ETNA Trader API credential';
	switch (login.kind) {
		case 'invalidCredentials':
			return {
				message: said(
					`ETNA refused the login of ${user} (HTTP 401): the username or the password is wrong.`,
				),
				description: `Correct the Username and Password ${fixLogin}. If the password was changed in ETNA, type the new one there too.`,
			};
		case 'invalidPin':
			return {
				message: said(
					`ETNA refused the security PIN of ${user} (HTTP 401): the Security PIN is wrong. The username and password were accepted.`,
				),
				description: `Correct the Security PIN ${fixLogin}. The login is not tried again with the same PIN for a minute, so a wrong PIN cannot lock the user out.`,
			};
		case 'pinMissing':
			return {
				message: said(
					`ETNA asks ${user} for a security PIN, and the credential has none: this login asks for a security PIN: add it to the credential.`,
				),
				description: `Type the administrator's security PIN in the Security PIN field ${fixLogin}.`,
			};
		case 'twoFactor':
			return {
				message: said(
					`ETNA asks ${user} for a two-factor verification code, which an unattended workflow cannot type.`,
				),
				description: `Use an ETNA administrator without a one-time verification code ${fixLogin} (a security PIN works: fill Security PIN), or switch it to Administrator Token.`,
			};
		case 'appKey':
			return {
				message: said(
					`ETNA refused the app key (HTTP 403) when logging in as ${user}: the Et-App-Key is wrong or missing.`,
				),
				description:
					"Copy the key from ETNA's BO Companies widget (company settings, WebApi tab) into the credential's App Key field.",
			};
		case 'notFound':
			return {
				message: said(
					`ETNA answered HTTP 404 to the login of ${user}: there is no /token at the Base URL.`,
				),
				description:
					'Check the Base URL in the credential: it is the API root, usually ending in /api, without /v1.0.',
			};
		case 'noAnswer':
			return {
				message: `Could not log in to ETNA as ${user}: no answer${login.code ? ` (${login.code})` : ''}.`,
				description:
					'Check the Base URL in the credential and that ETNA can be reached from n8n, then run the workflow again.',
			};
		default:
			return {
				message: said(
					`ETNA answered the login of ${user} with HTTP ${login.httpCode ?? '?'} and no token.`,
				),
				description: 'Check the credential and try its Test button, then run the workflow again.',
			};
	}
}

/** Describes a reply that was not a confirmed success, for the request's subject. */
export function describeFailedReply(
	reply: EtnaReply,
	subject: Subject,
	context: RequestContext,
): EtnaFailure {
	const reading = subject.kind === 'read';
	const what = subjectPhrase(subject);
	const httpCode = reply.answered ? reply.status : null;
	const apiMessage = reply.answered ? etnaMessageOf(reply.body, context.secrets) : undefined;
	const nothingMoved = reading ? 'Reading moves no money.' : 'Nothing was moved.';
	const rejected = (message: string, description: string, failure?: Failure): EtnaFailure => ({
		message,
		description: `${description} ${nothingMoved}`,
		outcome: 'rejected',
		httpCode,
		failure,
	});
	// A read that got no clear answer moved nothing: it is simply run again.
	const unknown = (message: string, description: string): EtnaFailure =>
		reading
			? rejected(message, 'Run it again.')
			: {
					message,
					description: `${description} ${CHECK_BEFORE_RETRY}`,
					outcome: 'unknown',
					httpCode,
				};
	const outcomeOf = reading ? `${what} failed` : `the outcome of ${what} is unknown`;

	const replyClass = classifyReply(reply);
	switch (replyClass.kind) {
		case 'loginFailed': {
			const login = describeLoginFailure(replyClass.login);
			const answered = replyClass.login.kind !== 'noAnswer';
			return {
				message: login.message,
				description: `${login.description} ${nothingMoved}`,
				outcome: answered ? 'rejected' : 'notSent',
				httpCode: replyClass.login.httpCode,
				failure: { cause: 'credential-invalid' },
			};
		}
		case 'notConnected':
			return {
				message: `Could not connect to ETNA: ${what} was not sent.`,
				description: `The connection failed before the request went out${replyClass.code ? ` (${replyClass.code})` : ''}. Check the Base URL in the credential and that ETNA can be reached from n8n, then run the item again.`,
				outcome: 'notSent',
				httpCode: null,
			};
		case 'noAnswer': {
			const happened = (NO_ANSWER[replyClass.reason] ?? NO_ANSWER.other).replace(
				'{timeout}',
				String(context.timeoutMs),
			);
			return unknown(
				`${happened}: ${outcomeOf}.`,
				`The request may have reached ETNA${replyClass.code ? ` (${replyClass.code})` : ''}.`,
			);
		}
		case 'success':
			return unknown(
				`ETNA answered HTTP ${httpCode} without the expected ${reading ? 'data' : 'confirmation'}: ${outcomeOf}.`,
				'The answer had no Amount, so the node cannot tell whether the money moved.',
			);
		case 'redirect':
			return unknown(
				`ETNA answered with a redirect (HTTP ${httpCode}), which was not followed: ${outcomeOf}.`,
				'Redirects are not followed, so the token is never sent to another address. Check the Base URL in the credential (http or https, host, path).',
			);
		case 'tokenRefused':
			if (context.loginName !== undefined) {
				return rejected(
					withApiMessage(
						`ETNA refused the token of the login "${context.loginName}" (HTTP 401), also after logging in again: this login is not an ETNA administrator, and ${needsAdministrator(subject)} one.`,
						apiMessage,
					),
					'Put the username and password of an ETNA administrator in the credential.',
					{ cause: 'credential-invalid' },
				);
			}
			return rejected(
				withApiMessage(
					`ETNA refused the token (HTTP 401): ${needsAdministrator(subject)} an ETNA administrator's token, and this one is not, or it has expired.`,
					apiMessage,
				),
				"Put a fresh token of an ETNA administrator in the credential's Token field (tokens live 24 hours), or use Administrator Login so n8n renews it.",
				{ cause: 'credential-invalid' },
			);
		case 'appKeyRefused':
			return rejected(
				withApiMessage(
					'ETNA refused the app key (HTTP 403): the Et-App-Key is wrong or missing.',
					apiMessage,
				),
				"Copy the key from ETNA's BO Companies widget (company settings, WebApi tab) into the credential's App Key field.",
				{ cause: 'credential-invalid' },
			);
		case 'accountNotFound':
			return rejected(
				withApiMessage(
					subject.accountId === undefined
						? `ETNA answered HTTP 404 for ${what}.`
						: `ETNA found no trading account ${subject.accountId} (HTTP 404).`,
					apiMessage,
				),
				"Check the Account ID: it is ETNA's internal trading-account ID. If every item fails like this, check the credential's Base URL and API Version.",
			);
		case 'noSuchEndpoint':
			return rejected(
				withApiMessage(
					`ETNA has no such endpoint at this Base URL and API version (HTTP 404): ${what} was not processed.`,
					apiMessage,
				),
				"Check the credential's Base URL (the API root, usually ending in /api, without /v1.0) and API Version (1.0 unless your deployment has several).",
			);
		case 'rateLimited': {
			const waitMs = replyClass.retryAfterMs;
			const wait = waitMs === undefined ? 'a while' : `${Math.ceil(waitMs / 1000)} s`;
			const sent =
				(context.sends ?? 1) > 1
					? `It was sent ${context.sends} times, each refused for the rate. `
					: '';
			return rejected(
				`ETNA is limiting the rate of requests (HTTP ${httpCode}): ${what} was not processed.`,
				`${sent}Wait ${wait} and run the item again, or send fewer items at a time (Concurrency).`,
				{ cause: 'rate-limited', retryAfterMs: waitMs },
			);
		}
		case 'serverError':
			return unknown(
				withApiMessage(
					`ETNA answered with a server error (HTTP ${httpCode}): ${outcomeOf}.`,
					apiMessage,
				),
				'A server error can come after the money moved.',
			);
		case 'invalid':
		default:
			return rejected(
				withApiMessage(`ETNA rejected ${what} (HTTP ${httpCode}).`, apiMessage),
				reading
					? 'Check the item and the options (filter, sort), then run it again.'
					: httpCode === 422
						? 'Correct the account or the amount and run the item again.'
						: 'Check the item and the credential, then run it again.',
			);
	}
}

export function describeInputProblem(problem: InputProblem, itemIndex: number): EtnaFailure {
	return {
		message: inputProblemMessage(problem, itemIndex),
		description:
			'Nothing was sent to ETNA. Correct the value (or the expression that gives it) and run the item again.',
		outcome: 'notSent',
		httpCode: null,
	};
}

/** The error n8n shows when the node stops the workflow, or attaches to a failed item. */
export function nodeErrorOf(
	node: INode,
	failure: EtnaFailure,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (failure.httpCode !== null) {
		// A plain object, not the request's error: that one carries the request headers.
		const response: JsonObject = { message: failure.message, httpCode: String(failure.httpCode) };
		return new NodeApiError(node, response, {
			message: failure.message,
			description: failure.description,
			httpCode: String(failure.httpCode),
			itemIndex,
			failure: failure.failure,
		});
	}
	return new NodeOperationError(node, failure.message, {
		description: failure.description,
		itemIndex,
		failure: failure.failure,
	});
}

/** How `message` opens, so a workflow can route on it on any n8n: "Outcome: unknown ...". */
const OUTCOME_SENTENCES: Record<Outcome, string> = {
	notSent: 'Outcome: not sent (nothing reached ETNA).',
	rejected: 'Outcome: rejected (ETNA did not do it; no money moved).',
	unknown: 'Outcome: unknown (the money may have moved).',
};

/**
 * The json of a failed item: `error` (what happened) and `message` (the outcome and what to do)
 * on every n8n; `details` (the outcome and the request, as fields) where n8n keeps them on the
 * error output (see engine.ts: on others an extra key would send the item to the success output).
 */
export function errorItemJson(
	failure: EtnaFailure,
	request: Record<string, unknown>,
	shape: ErrorItemShape,
): IDataObject {
	const json: IDataObject = {
		error: failure.message,
		message: `${OUTCOME_SENTENCES[failure.outcome]} ${failure.description}`,
	};
	if (shape === 'withDetails') {
		json.details = {
			description: failure.description,
			outcome: failure.outcome,
			httpCode: failure.httpCode,
			...Object.fromEntries(Object.entries(request).map(([key, value]) => [key, jsonSafe(value)])),
		};
	}
	return json;
}

function jsonSafe(value: unknown): IDataObject[string] {
	if (value === undefined) return null;
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	return value as IDataObject[string];
}
