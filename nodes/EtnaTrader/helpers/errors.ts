// Turns what ETNA (or the network) answered into a message that says what happened and what
// to do, and into the error n8n shows or the item the error output carries.
import {
	NodeApiError,
	NodeOperationError,
	type Failure,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { EtnaReply } from '../transport';
import { inputProblemMessage, type InputProblem } from './validation';

/**
 * What a workflow may do next with a failed item:
 * - notSent: nothing reached ETNA; fix the input or the credential and run again;
 * - rejected: ETNA refused it, no money moved; safe to run again once the cause is fixed;
 * - unknown: it may or may not have moved money; check the account before any retry.
 */
export type Outcome = 'notSent' | 'rejected' | 'unknown';

export interface EtnaFailure {
	message: string;
	description: string;
	outcome: Outcome;
	httpCode: number | null;
	failure?: Failure;
}

/** The money movement a message speaks of. */
export interface MovementContext {
	/** "withdrawal" or "deposit". */
	noun: string;
	/** How the account is named after the amount: "from" (withdrawal) or "to" (deposit). */
	preposition: 'from' | 'to';
	accountId: number;
	/** The amount as sent, e.g. "25.5". */
	amount: string;
	timeoutMs: number;
	/** Token and app key: never repeated in a message, even if the API echoes them. */
	secrets: string[];
}

const CHECK_BEFORE_RETRY =
	"Check the account's cash and transaction history in ETNA before you run this item again: running it again blindly could move the money twice.";

/** Replaces every secret in a text; the API's own words pass through here before a user sees them. */
export function redactSecrets(text: string, secrets: string[]): string {
	let redacted = text;
	for (const secret of secrets) {
		if (secret.length >= 4) redacted = redacted.split(secret).join('***');
	}
	return redacted;
}

/** The API's own explanation, where its body has one ({"Message"}, {"error"}, {"Reason"}). */
export function apiMessageOf(body: unknown, secrets: string[]): string | undefined {
	let text: string | undefined;
	if (typeof body === 'string') {
		const trimmed = body.trim();
		// An HTML error page says nothing a user can act on.
		text = trimmed && !trimmed.startsWith('<') ? trimmed : undefined;
	} else if (typeof body === 'object' && body !== null) {
		const fields = body as Record<string, unknown>;
		const found = ['Message', 'message', 'error', 'Reason', 'ExceptionMessage'].find(
			(key) => typeof fields[key] === 'string' && (fields[key] as string).trim() !== '',
		);
		text = found ? (fields[found] as string).trim() : undefined;
	}
	if (!text) return undefined;
	const short = text.length > 300 ? `${text.slice(0, 300)}…` : text;
	return redactSecrets(short, secrets);
}

function withApiMessage(sentence: string, apiMessage: string | undefined): string {
	return apiMessage ? `${sentence} ETNA said: "${apiMessage}"` : sentence;
}

function retryAfterMs(retryAfter: string | undefined): number | undefined {
	if (!retryAfter) return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Describes a reply that was not a confirmed success. */
export function describeFailedReply(reply: EtnaReply, context: MovementContext): EtnaFailure {
	const what = `the ${context.noun} of ${context.amount} ${context.preposition} account ${context.accountId}`;
	if (!reply.answered) return describeNoAnswer(reply, context, what);

	const { status } = reply;
	const apiMessage = apiMessageOf(reply.body, context.secrets);
	const rejected = (message: string, description: string, failure?: Failure): EtnaFailure => ({
		message,
		description: `${description} Nothing was moved.`,
		outcome: 'rejected',
		httpCode: status,
		failure,
	});
	const unknown = (message: string, description: string): EtnaFailure => ({
		message,
		description: `${description} ${CHECK_BEFORE_RETRY}`,
		outcome: 'unknown',
		httpCode: status,
	});

	if (status >= 200 && status < 300) {
		return unknown(
			`ETNA answered HTTP ${status} without the expected confirmation: the outcome of ${what} is unknown.`,
			'The answer had no Amount, so the node cannot tell whether the money moved.',
		);
	}
	if (status >= 300 && status < 400) {
		return unknown(
			`ETNA answered with a redirect (HTTP ${status}), which was not followed: the outcome of ${what} is unknown.`,
			'Redirects are not followed, so the token is never sent to another address. Check the Base URL in the credential (http or https, host, path).',
		);
	}
	switch (status) {
		case 401:
			return rejected(
				withApiMessage(
					`ETNA refused the token (HTTP 401): ${context.noun}s need an ETNA administrator's token, and this one is not, or it has expired.`,
					apiMessage,
				),
				"Put a fresh token of an ETNA administrator in the credential's Token field (tokens live 24 hours).",
				{ cause: 'credential-invalid' },
			);
		case 403:
			return rejected(
				withApiMessage(
					'ETNA refused the app key (HTTP 403): the Et-App-Key is wrong or missing.',
					apiMessage,
				),
				"Copy the key from ETNA's BO Companies widget (company settings, WebApi tab) into the credential's App Key field.",
				{ cause: 'credential-invalid' },
			);
		case 404:
			return rejected(
				withApiMessage(
					`ETNA found no trading account ${context.accountId} (HTTP 404).`,
					apiMessage,
				),
				"Check the Account ID: it is ETNA's internal trading-account ID. If every item fails like this, check the credential's Base URL and API Version.",
			);
		case 422:
			return rejected(
				withApiMessage(`ETNA rejected ${what} (HTTP 422).`, apiMessage),
				'Correct the account or the amount and run the item again.',
			);
		case 429: {
			const waitMs = retryAfterMs(reply.retryAfter);
			const wait = waitMs === undefined ? 'a while' : `${Math.ceil(waitMs / 1000)} s`;
			return rejected(
				`ETNA is limiting the rate of requests (HTTP 429): ${what} was not processed.`,
				`Wait ${wait} and run the item again, or send fewer items at a time.`,
				{ cause: 'rate-limited', retryAfterMs: waitMs },
			);
		}
		default:
			break;
	}
	if (status >= 500) {
		return unknown(
			withApiMessage(
				`ETNA answered with a server error (HTTP ${status}): the outcome of ${what} is unknown.`,
				apiMessage,
			),
			'A server error can come after the money moved.',
		);
	}
	return rejected(
		withApiMessage(`ETNA rejected ${what} (HTTP ${status}).`, apiMessage),
		'Check the item and the credential, then run it again.',
	);
}

function describeNoAnswer(
	reply: Extract<EtnaReply, { answered: false }>,
	context: MovementContext,
	what: string,
): EtnaFailure {
	const code = reply.code ? ` (${reply.code})` : '';
	if (!reply.maybeDelivered) {
		return {
			message: `Could not connect to ETNA: ${what} was not sent.`,
			description: `The connection failed before the request went out${code}. Check the Base URL in the credential and that ETNA can be reached from n8n, then run the item again.`,
			outcome: 'notSent',
			httpCode: null,
		};
	}
	const happened: Record<typeof reply.reason, string> = {
		timeout: `ETNA did not answer within ${context.timeoutMs} ms`,
		connectionLost: 'The connection to ETNA broke before an answer came',
		cancelled: 'The execution was cancelled while waiting for ETNA',
		connectionFailed: 'The connection to ETNA failed',
		other: 'The request to ETNA failed without an answer',
	};
	return {
		message: `${happened[reply.reason]}: the outcome of ${what} is unknown.`,
		description: `The request may have reached ETNA${code}. ${CHECK_BEFORE_RETRY}`,
		outcome: 'unknown',
		httpCode: null,
	};
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

/**
 * The json of a failed item. n8n routes an item to the error output when its json has `error`
 * and no keys but `error`, `message` and `details`, so everything else goes under `details`.
 * (An item with its own `error` field would also be routed, but n8n then keeps only the message.)
 */
export function errorItemJson(
	failure: EtnaFailure,
	request: { accountId: unknown; amount: unknown; itemIndex: number },
): IDataObject {
	return {
		error: failure.message,
		details: {
			description: failure.description,
			outcome: failure.outcome,
			httpCode: failure.httpCode,
			accountId: jsonSafe(request.accountId),
			amount: jsonSafe(request.amount),
			itemIndex: request.itemIndex,
		},
	};
}

function jsonSafe(value: unknown): IDataObject[string] {
	if (value === undefined) return null;
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	return value as IDataObject[string];
}
