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

import {
	classifyReply,
	type EtnaReply,
	type LoginFailure,
	type LoginFailureKind,
	type ReplyClass,
} from '../transport';
import type { ReviewRefusal } from './agentTool';
import type { ErrorItemShape } from './engine';
import { LOCK_GIVE_UP_MS, type StoreProblem } from './idempotency';
import {
	describeGiven,
	formatFigure,
	inputProblemMessage,
	itemNumber,
	type InputProblem,
} from './validation';

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
	/** n8n's own classification (a refused credential, a rate limit), for n8n's error display. */
	n8nFailure?: Failure;
	/** A write of a record (a user, an account, an access), not of money: worded as a change. */
	recordWrite?: true;
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
			userId?: number;
			orderId?: number;
	  }
	| {
			/** A change of a record that moves no money: a user, an account, an access. */
			kind: 'write';
			/** What was asked, e.g. "creating user robert.techie". */
			what: string;
			accountId?: number;
			userId?: number;
			/** What to do after an unknown outcome, e.g. that running it again is safe. */
			retryAdvice?: string;
	  };

export interface RequestContext {
	timeoutMs: number;
	/** The username of an Administrator Login credential; absent for a pasted token. */
	loginName?: string;
}

const CHECK_BEFORE_RETRY =
	"Check the account's cash and transaction history in ETNA before you run this item again: running it again blindly could move the money twice.";

function withApiMessage(sentence: string, apiMessage: string | undefined): string {
	return apiMessage ? `${sentence} ETNA said: "${apiMessage}"` : sentence;
}

/** "the withdrawal of 25 from account 1001" / "reading the balance of account 1001". */
function subjectPhrase(subject: Subject): string {
	if (subject.kind === 'movement') {
		return `the ${subject.noun} of ${formatFigure(Number(subject.amount))} ${subject.preposition} account ${subject.accountId}`;
	}
	return subject.kind === 'read' ? `reading ${subject.what}` : subject.what;
}

/** A duration as people say it: "30 seconds", "1.5 seconds", "2 minutes". */
export function formatDuration(ms: number): string {
	const seconds = ms / 1000;
	if (seconds >= 60 && seconds % 60 === 0) {
		return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
	}
	const shown = Number(seconds.toFixed(seconds < 10 ? 1 : 0));
	return `${shown} second${shown === 1 ? '' : 's'}`;
}

/** What an administrator's token is needed for: "withdrawals need", "reading ... needs". */
function needsAdministrator(subject: Subject): string {
	return subject.kind === 'movement' ? `${subject.noun}s need` : `${subjectPhrase(subject)} needs`;
}

const NO_ANSWER: Record<string, string> = {
	timeout: 'ETNA did not answer within {timeout}',
	connectionLost: 'The connection to ETNA broke before an answer came',
	cancelled: 'The execution was cancelled while waiting for ETNA',
	other: 'The request to ETNA failed without an answer',
};

const FIX_LOGIN = 'in the ETNA Trader API credential';

/** Each reason a login gave no token, worded: the sentence ETNA's Reason follows, and what to do. */
const LOGIN_WORDINGS: Record<
	LoginFailureKind,
	(user: string, login: LoginFailure) => { sentence: string; description: string }
> = {
	invalidCredentials: (user) => ({
		sentence: `ETNA refused the login of ${user} (HTTP 401): the username or the password is wrong.`,
		description: `Correct the Username and Password ${FIX_LOGIN}. If the password was changed in ETNA, type the new one there too.`,
	}),
	invalidPin: (user) => ({
		sentence: `ETNA refused the security PIN of ${user} (HTTP 401): the Security PIN is wrong. The username and password were accepted.`,
		description: `Correct the Security PIN ${FIX_LOGIN}. The login is not tried again with the same PIN for a minute, so a wrong PIN cannot lock the user out.`,
	}),
	pinMissing: (user) => ({
		sentence: `ETNA asks ${user} for a security PIN, and the credential has none: this login asks for a security PIN: add it to the credential.`,
		description: `Type the administrator's security PIN in the Security PIN field ${FIX_LOGIN}.`,
	}),
	twoFactor: (user) => ({
		sentence: `ETNA asks ${user} for a two-factor verification code, which an unattended workflow cannot type.`,
		description: `Use an ETNA administrator without a one-time verification code ${FIX_LOGIN} (a security PIN works: fill Security PIN), or switch it to Administrator Token.`,
	}),
	appKey: (user) => ({
		sentence: `ETNA refused the app key (HTTP 403) when logging in as ${user}: the Et-App-Key is wrong or missing.`,
		description:
			"Copy the key from ETNA's BO Companies widget (company settings, WebApi tab) into the credential's App Key field.",
	}),
	notFound: (user) => ({
		sentence: `ETNA answered HTTP 404 to the login of ${user}: there is no /token at the Base URL.`,
		description:
			'Check the Base URL in the credential: it is the API root, usually ending in /api, without /v1.0.',
	}),
	noAnswer: (user, login) => ({
		sentence: `Could not log in to ETNA as ${user}: no answer${login.code ? ` (${login.code})` : ''}.`,
		description:
			'Check the Base URL in the credential and that ETNA can be reached from n8n, then run the workflow again.',
	}),
	unexpected: (user, login) => ({
		sentence: `ETNA answered the login of ${user} with HTTP ${login.httpCode ?? '?'} and no token.`,
		description: 'Check the credential and try its Test button, then run the workflow again.',
	}),
};

/** The message and what to do about a login that gave no token (no request was sent with it). */
export function describeLoginFailure(login: LoginFailure): {
	message: string;
	description: string;
} {
	const { sentence, description } = LOGIN_WORDINGS[login.kind](`"${login.username}"`, login);
	return { message: withApiMessage(sentence, login.reason), description };
}

/** What a failed request did, as far as its reply can tell. */
type Effect =
	/** It never reached ETNA. */
	| 'notSent'
	/** ETNA answered that it did not do it. */
	| 'notProcessed'
	/** It may have been done: no answer, a server error, an answer without the data. */
	| 'mayHaveActed';

/** How one class of reply is worded: what happened, and what to do. */
interface Wording {
	effect: Effect;
	message: string;
	advice: string;
	httpCode?: number | null;
	n8nFailure?: Failure;
}

/** What every wording may use. */
interface Facts<Kind extends ReplyClass['kind']> {
	replyClass: Extract<ReplyClass, { kind: Kind }>;
	subject: Subject;
	/** "the withdrawal of 25 from account 1001" / "reading the balance of account 1001". */
	what: string;
	/** "the outcome of ... is unknown" / "reading ... failed". */
	outcome: string;
	httpCode: number | null;
	/** ETNA's own words, secrets already taken out by transport. */
	said?: string;
	sends: number;
	context: RequestContext;
}

type WordingTable = { [Kind in ReplyClass['kind']]: (facts: Facts<Kind>) => Wording };

/**
 * The outcome a workflow sees. A read acts on nothing, so whatever happened to it, it was not
 * done and is simply run again: a read is never `unknown`.
 */
function outcomeOf(effect: Effect, subject: Subject): Outcome {
	if (effect === 'notSent') return 'notSent';
	if (effect === 'notProcessed' || subject.kind === 'read') return 'rejected';
	return 'unknown';
}

/** The closing sentence: nothing moved, or check before running again. */
/** What to do last: before running again a money request that may have acted, check the account. */
function closing(effect: Effect, subject: Subject): string {
	if (effect !== 'mayHaveActed') return '';
	if (subject.kind === 'movement') return ` ${CHECK_BEFORE_RETRY}`;
	if (subject.kind === 'write') {
		return ` ${subject.retryAdvice ?? 'Check in ETNA whether it was done before you run the item again.'}`;
	}
	return '';
}

const WORDINGS: WordingTable = {
	loginFailed: ({ replyClass: { login } }) => {
		const words = describeLoginFailure(login);
		return {
			effect: login.kind === 'noAnswer' ? 'notSent' : 'notProcessed',
			message: words.message,
			advice: words.description,
			httpCode: login.httpCode,
			n8nFailure: { cause: 'credential-invalid' },
		};
	},
	notConnected: ({ replyClass, what }) => ({
		effect: 'notSent',
		message: `Could not connect to ETNA: ${what} was not sent.`,
		advice: `The connection failed before the request went out${replyClass.code ? ` (${replyClass.code})` : ''}. Check the Base URL in the credential and that ETNA can be reached from n8n, then run the item again.`,
		httpCode: null,
	}),
	noAnswer: ({ replyClass, outcome, context }) => ({
		effect: 'mayHaveActed',
		message: `${(NO_ANSWER[replyClass.reason] ?? NO_ANSWER.other).replace('{timeout}', formatDuration(context.timeoutMs))}: ${outcome}.`,
		advice: `The request may have reached ETNA${replyClass.code ? ` (${replyClass.code})` : ''}.`,
	}),
	success: ({ httpCode, subject, outcome }) => ({
		effect: 'mayHaveActed',
		message: `ETNA answered HTTP ${httpCode} without the expected ${subject.kind === 'read' ? 'data' : 'confirmation'}: ${outcome}.`,
		advice:
			subject.kind === 'write'
				? 'The answer did not carry the record, so the node cannot tell whether it was done.'
				: 'The answer had no Amount, so the node cannot tell whether the money moved.',
	}),
	redirect: ({ httpCode, outcome }) => ({
		effect: 'mayHaveActed',
		message: `ETNA answered with a redirect (HTTP ${httpCode}), which was not followed: ${outcome}.`,
		advice:
			'Redirects are not followed, so the token is never sent to another address. Check the Base URL in the credential (http or https, host, path).',
	}),
	tokenRefused: ({ subject, said, context }) =>
		context.loginName !== undefined
			? {
					effect: 'notProcessed',
					message: withApiMessage(
						`ETNA refused the token of the login "${context.loginName}" (HTTP 401), also after logging in again: this login is not an ETNA administrator, and ${needsAdministrator(subject)} one.`,
						said,
					),
					advice: 'Put the username and password of an ETNA administrator in the credential.',
					n8nFailure: { cause: 'credential-invalid' },
				}
			: {
					effect: 'notProcessed',
					message: withApiMessage(
						`ETNA refused the token (HTTP 401): ${needsAdministrator(subject)} an ETNA administrator's token, and this one is not, or it has expired.`,
						said,
					),
					advice:
						"Put a fresh token of an ETNA administrator in the credential's Token field (tokens live 24 hours), or use Administrator Login so n8n renews it.",
					n8nFailure: { cause: 'credential-invalid' },
				},
	appKeyRefused: ({ said }) => ({
		effect: 'notProcessed',
		message: withApiMessage(
			'ETNA refused the app key (HTTP 403): the Et-App-Key is wrong or missing.',
			said,
		),
		advice:
			"Copy the key from ETNA's BO Companies widget (company settings, WebApi tab) into the credential's App Key field.",
		n8nFailure: { cause: 'credential-invalid' },
	}),
	accountNotFound: ({ subject, what, said }) => ({
		effect: 'notProcessed',
		message: withApiMessage(
			subject.accountId === undefined
				? `ETNA answered HTTP 404 for ${what}.`
				: `ETNA found no trading account ${subject.accountId} (HTTP 404).`,
			said,
		),
		advice:
			"Check the Account ID: it is ETNA's internal trading-account ID. If every item fails like this, check the credential's Base URL and API Version.",
	}),
	userNotFound: ({ subject, said }) => ({
		effect: 'notProcessed',
		message: withApiMessage(
			`ETNA has no such user${subject.kind !== 'movement' && subject.userId !== undefined ? ` ${subject.userId}` : ''} (HTTP 409).`,
			said,
		),
		advice:
			"Check the User ID: it is ETNA's internal user ID (a whole number, the Id of Create User or Get Many users), not the Login.",
	}),
	orderNotFound: ({ subject, said }) => ({
		effect: 'notProcessed',
		message: withApiMessage(
			subject.kind === 'read' && subject.orderId !== undefined
				? `ETNA found no order ${subject.orderId} in trading account ${subject.accountId} (HTTP 404).`
				: 'ETNA found no such order (HTTP 404).',
			said,
		),
		advice:
			'Check the Order ID and the Account ID: an order is read through the account it belongs to.',
	}),
	conflict: ({ what, said }) => ({
		effect: 'notProcessed',
		message: withApiMessage(`ETNA refused ${what} for a conflict (HTTP 409).`, said),
		advice:
			'Usually the Login is taken by another user: choose another Login, or find that user with Get Many (filter Login = ...).',
	}),
	noSuchEndpoint: ({ what, said }) => ({
		effect: 'notProcessed',
		message: withApiMessage(
			`ETNA has no such endpoint at this Base URL and API version (HTTP 404): ${what} was not processed.`,
			said,
		),
		advice:
			"Check the credential's Base URL (the API root, usually ending in /api, without /v1.0) and API Version (1.0 unless your deployment has several).",
	}),
	rateLimited: ({ replyClass, httpCode, what, sends }) => {
		const waitMs = replyClass.retryAfterMs;
		const wait =
			waitMs === undefined
				? 'a while'
				: waitMs <= 0
					? 'a moment'
					: formatDuration(Math.ceil(waitMs / 1000) * 1000);
		const sent =
			sends > 1
				? `ETNA turned it away ${sends} times for the rate, each time before processing it. `
				: '';
		return {
			effect: 'notProcessed',
			message: `ETNA is limiting the rate of requests (HTTP ${httpCode}): ${what} was not processed.`,
			advice: `${sent}Wait ${wait} and run the item again, or send fewer items at a time (Concurrency).`,
			n8nFailure: { cause: 'rate-limited', retryAfterMs: waitMs },
		};
	},
	serverError: ({ httpCode, outcome, said }) => ({
		effect: 'mayHaveActed',
		message: withApiMessage(
			`ETNA answered with a server error (HTTP ${httpCode}): ${outcome}.`,
			said,
		),
		advice: 'A server error can come after the money moved.',
	}),
	invalid: ({ subject, httpCode, what, said }) => ({
		effect: 'notProcessed',
		message: withApiMessage(`ETNA rejected ${what} (HTTP ${httpCode}).`, said),
		advice:
			subject.kind === 'read'
				? 'Check the item and the options (filter, sort), then run it again.'
				: said
					? 'Correct what ETNA said, then run the item again.'
					: subject.kind === 'write'
						? "Check the item's fields (and the IDs it names), then run it again."
						: httpCode === 422
							? 'Correct the account or the amount and run the item again.'
							: 'Check the item and the credential, then run it again.',
	}),
};

function wordingOf<Kind extends ReplyClass['kind']>(
	replyClass: Extract<ReplyClass, { kind: Kind }>,
	facts: Omit<Facts<Kind>, 'replyClass'>,
): Wording {
	return (WORDINGS[replyClass.kind] as (facts: Facts<Kind>) => Wording)({ ...facts, replyClass });
}

/** Describes a reply that was not a confirmed success, for the request's subject. */
export function describeFailedReply(
	reply: EtnaReply & { sends?: number },
	subject: Subject,
	context: RequestContext,
): EtnaFailure {
	const what = subjectPhrase(subject);
	const httpCode = reply.answered ? reply.status : null;
	const wording = wordingOf(classifyReply(reply), {
		subject,
		what,
		outcome: subject.kind === 'read' ? `${what} failed` : `the outcome of ${what} is unknown`,
		httpCode,
		said: reply.answered ? reply.said : undefined,
		sends: reply.sends ?? 1,
		context,
	});
	// A read that may have reached ETNA acted on nothing: it is simply run again.
	const advice =
		wording.effect === 'mayHaveActed' && subject.kind === 'read' ? 'Run it again.' : wording.advice;
	return {
		message: wording.message,
		description: `${advice}${closing(wording.effect, subject)}`,
		outcome: outcomeOf(wording.effect, subject),
		httpCode: wording.httpCode === undefined ? httpCode : wording.httpCode,
		n8nFailure: wording.n8nFailure,
		...(subject.kind === 'write' ? { recordWrite: true as const } : {}),
	};
}

export function describeInputProblem(problem: InputProblem, itemIndex: number): EtnaFailure {
	return {
		message: inputProblemMessage(problem, itemIndex),
		description: 'Correct the value (or the expression that gives it) and run the item again.',
		outcome: 'notSent',
		httpCode: null,
	};
}

/** The review tools that count, as the editor names them. */
const REVIEW_TOOLS =
	"a human review tool ('Send and Wait' of Email, Gmail, Slack, Telegram, Discord, Google Chat, Microsoft Teams, Microsoft Outlook or WhatsApp, added as a tool)";

/** Each reason a money call as a tool was refused: what happened, and what to change. */
const REVIEW_WORDINGS: {
	[Kind in ReviewRefusal['kind']]: (refusal: Extract<ReviewRefusal, { kind: Kind }>) => {
		reason: string;
		change: string;
	};
} = {
	optionIsExpression: ({ option }) => {
		const name =
			option === 'allowWithoutHumanReview'
				? 'Allow Without Human Review'
				: 'Trust Approval in Chat';
		return {
			reason: `${name} is an expression, and counts only when switched on as a fixed value, so neither the model nor an input can switch it`,
			change: `Set ${name} to a fixed on or off in the node's Options.`,
		};
	},
	noReviewOnThisN8n: () => ({
		reason: 'this n8n has no human review tools (they came with n8n 2.x)',
		change:
			'Run it on n8n 2.x behind a human review tool, or turn on Allow Without Human Review if your own process approves each call.',
	}),
	inAnotherCall: ({ asker }) => ({
		reason: `the call came from inside ${asker ? `"${asker}"` : 'another node'}'s own run (an AI Agent before version 3, the OpenAI node, the MCP Server Trigger or a step run by hand), where no review step can stand`,
		change: `Use an AI Agent of version 3 or later, with ${REVIEW_TOOLS} between this tool and the agent.`,
	}),
	noAsker: () => ({
		reason:
			"n8n gave no record of who asked for the call (n8n's Agents with Require Approval run a tool this way, and their approval cannot be seen by it)",
		change: `Use an AI Agent with ${REVIEW_TOOLS} between this tool and the agent.`,
	}),
	notAReviewTool: ({ asker, type }) => ({
		reason: type
			? `the call came from "${asker}" (${type}), which is not one of n8n's human review tools`
			: `the call came straight from "${asker}", with no human review tool between it and this tool`,
		change: `Put ${REVIEW_TOOLS} between this tool and the agent, or turn on Allow Without Human Review if your own process approves each call.`,
	}),
	reviewDisabled: ({ asker }) => ({
		reason: `the review tool "${asker}" is deactivated`,
		change: 'Activate it.',
	}),
	reviewPinned: ({ asker }) => ({
		reason: `the review tool "${asker}" has pinned data, so its answer was not a person's`,
		change: 'Unpin its data.',
	}),
	reviewFilledByModel: ({ asker }) => ({
		reason: `the review tool "${asker}" lets the model fill its fields ($fromAI), so the model could choose who approves or what they read`,
		change: 'Fill its fields yourself (recipient, subject, message), without $fromAI.',
	}),
	reviewHidesTheCall: ({ asker }) => ({
		reason: `the review tool "${asker}" does not show the person the call as this tool will run it`,
		change:
			"Write the review's message from {{ JSON.stringify($json.toolParameters) }} (what the tool runs with), never from $tool.parameters, which a model can make show another call; n8n's default message shows it as [object Object].",
	}),
	chatReview: ({ asker }) => ({
		reason: `the review tool "${asker}" asks the chat's user, who may be the one asking for the money`,
		change:
			'Use an email, Slack or other review tool that reaches your back office, or turn on Trust Approval in Chat if everyone in your chat may approve payments.',
	}),
	notAnsweredByPerson: ({ asker }) => ({
		reason: `"${asker}" passed the call on without a person's yes through its buttons (its wait limit ran out, or an approval was written into the call)`,
		change:
			"A person must approve the call with the review's Approve button; ask the agent again if it is still wanted.",
	}),
	disguisedArguments: () => ({
		reason:
			"the model's arguments carry a field named query, which would make the tool run with other values than the reviewer read",
		change: 'Ask the agent again; if it keeps sending it, check its prompt and model.',
	}),
};

/**
 * A write (money, or a user, an account, an access) run as an agent's tool that was refused:
 * nothing is sent. `operation` as the editor names it ("Withdraw", "Create User"); `effect` what
 * it does: "moves money", "changes ETNA's users".
 */
export function humanReviewRequired(
	operation: string,
	refusal: ReviewRefusal,
	effect = 'moves money',
): EtnaFailure {
	const { reason, change } = (
		REVIEW_WORDINGS[refusal.kind] as (refusal: ReviewRefusal) => { reason: string; change: string }
	)(refusal);
	return {
		message: `${operation} ${effect} and runs as an AI Agent's tool only after a person approves the call in a human review step: refused, because ${reason}.`,
		description: change,
		outcome: 'notSent',
		httpCode: null,
	};
}

/** Require Withdrawable Funds: ETNA's balance has no excess figure to check the withdrawal against. */
export function noExcessFigure(itemIndex: number, accountId: number, amount: number): EtnaFailure {
	return {
		message: `Item ${itemNumber(itemIndex)}: ETNA's balance of account ${accountId} has no excess figure, so Require Withdrawable Funds cannot check the withdrawal of ${formatFigure(amount)}.`,
		description:
			"Check the account's balance in ETNA (Get Balance), or turn Require Withdrawable Funds off for it, then run the item again.",
		outcome: 'notSent',
		httpCode: null,
	};
}

/** Require Withdrawable Funds: what may be withdrawn now is less than the amount. */
export function insufficientFunds(
	itemIndex: number,
	accountId: number,
	excess: number,
	amount: number,
): EtnaFailure {
	return {
		message: `Item ${itemNumber(itemIndex)}: account ${accountId} may withdraw only ${formatFigure(excess)} now (ETNA's excess), less than the amount ${formatFigure(amount)}: the withdrawal was not sent.`,
		description:
			'Withdraw less, or wait until ETNA frees the funds (excess is cash less what open positions hold), then run the item again.',
		outcome: 'notSent',
		httpCode: null,
	};
}

/**
 * Reconcile Unknown Outcomes read the account's ledger after an unknown outcome and found no
 * payment that settles it (or could not read it): the item stays unknown, and says what to do.
 */
export function describeUnreconciled(
	failure: EtnaFailure,
	ledger: { read: boolean; checkedAt: string; accountId: number; signedAmount: number },
	noun: 'withdrawal' | 'deposit',
): EtnaFailure {
	const found = ledger.read
		? `The account's ledger showed no such payment when read at ${ledger.checkedAt}.`
		: `The account's ledger could not be read at ${ledger.checkedAt} to settle it.`;
	return {
		...failure,
		message: `${failure.message} ${found}`,
		description: `Look in ETNA for a transaction of ${formatFigure(ledger.signedAmount)} on account ${ledger.accountId} after ${ledger.checkedAt}: if there is one, the ${noun} went through. Send it again only once you are sure there is none; ETNA may still be processing it, so look again after a few minutes.`,
	};
}

/** What became of each item of a batch that stopped, by item index. */
export interface StoppedBatch {
	/** Items whose money moved (or that a rail settled as paid). */
	completed: readonly number[];
	/** Items whose request may have moved money: their outcome is unknown. */
	unknown: readonly number[];
	/** Items that never reached ETNA, or that ETNA refused: nothing moved for them. */
	notSent: readonly number[];
}

/**
 * With Stop Workflow, the first failure stops the node and n8n drops the run's output: what the
 * error adds is which other items moved money, which may have, and which were not sent.
 */
export function describeStop(failure: EtnaFailure, batch: StoppedBatch): EtnaFailure {
	const list = (indexes: readonly number[]) => indexes.map(itemNumber).join(', ');
	const parts = [
		batch.completed.length
			? `Item(s) ${list(batch.completed)} completed in ETNA before the node stopped: their results are not in the output.`
			: '',
		batch.unknown.length
			? `Item(s) ${list(batch.unknown)} may have moved money (their outcome is unknown): check them in ETNA.`
			: '',
		batch.notSent.length
			? `Item(s) ${list(batch.notSent)} moved no money: run them again once this is fixed.`
			: '',
	].filter((part) => part !== '');
	return { ...failure, description: [failure.description, ...parts].join(' ') };
}

/** What an item's Idempotency Key met that stops it being sent. */
export type KeyProblem =
	/** The key was claimed before for another request. */
	| { kind: 'conflict' }
	/** n8n's store could not be used (its own words, or the lock). */
	| { kind: 'store'; problem: StoreProblem; reason: string };

const KEY_STORE_ADVICE: Record<StoreProblem, (reason: string) => string> = {
	unavailable: (reason) =>
		`n8n's database did not take the key (${reason}). Keys are kept per saved workflow: save the workflow, then run the item again.`,
	lockBusy: () =>
		`Another execution of this workflow held the key store for ${LOCK_GIVE_UP_MS / 60_000} minutes. Run the item again; if this keeps happening, look in n8n's log.`,
	sharedScope: () =>
		"Another node of this workflow keeps deduplication data for the whole workflow (Remove Duplicates with Scope: Workflow), which the key store needs for itself. Set that node's Scope to Node.",
};

/** An item not sent because of its Idempotency Key, named by its money request. */
export function describeKeyProblem(
	problem: KeyProblem,
	key: string,
	subject: Subject,
	itemIndex: number,
): EtnaFailure {
	const shown = describeGiven(key);
	const what = subjectPhrase(subject);
	if (problem.kind === 'conflict') {
		return {
			message: `Item ${itemNumber(itemIndex)}: Idempotency Key ${shown} was used before for another request (another account, amount or operation), so ${what} was not sent.`,
			description:
				"A key names one request: give each request its own key (the sender's ID of that request), and the same key only when the same request is sent again.",
			outcome: 'notSent',
			httpCode: null,
		};
	}
	return {
		message: `Item ${itemNumber(itemIndex)}: Idempotency Key ${shown} could not be claimed, so ${what} was not sent.`,
		description: KEY_STORE_ADVICE[problem.problem](problem.reason),
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
	// The outcome, once, then what to do: as the error item's message says it.
	const description = outcomeAndAdvice(failure);
	if (failure.httpCode !== null) {
		// A plain object, not the request's error: that one carries the request headers.
		const response: JsonObject = { message: failure.message, httpCode: String(failure.httpCode) };
		return new NodeApiError(node, response, {
			message: failure.message,
			description,
			httpCode: String(failure.httpCode),
			itemIndex,
			failure: failure.n8nFailure,
		});
	}
	return new NodeOperationError(node, failure.message, {
		description,
		itemIndex,
		failure: failure.n8nFailure,
	});
}

/** How `message` opens, so a workflow can route on it on any n8n: "Outcome: unknown ...". */
const OUTCOME_SENTENCES: Record<Outcome, string> = {
	notSent: 'Outcome: not sent (nothing reached ETNA).',
	rejected: 'Outcome: rejected (ETNA did not do it; no money moved).',
	unknown: 'Outcome: unknown (the money may have moved).',
};

/** The unknown outcome of a record's change moved no money: it says so. */
const RECORD_WRITE_UNKNOWN = 'Outcome: unknown (ETNA may have made the change; no money moved).';

/** "Outcome: ... (what became of the money). What to do next." */
function outcomeAndAdvice(failure: EtnaFailure): string {
	const outcome =
		failure.recordWrite && failure.outcome === 'unknown'
			? RECORD_WRITE_UNKNOWN
			: OUTCOME_SENTENCES[failure.outcome];
	return `${outcome} ${failure.description}`;
}

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
		message: outcomeAndAdvice(failure),
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
