// Every failure the node can report, read as a table the way an operations team reads it: each
// message says once what became of the money, then what to do next; figures are written one way;
// durations in seconds or minutes. `WORDINGS_OUT=file npx jest failureWordings` writes the table.
import { writeFileSync } from 'node:fs';

import type { ReviewRefusal } from '../../../../nodes/EtnaTrader/helpers/agentTool';
import {
	describeFailedReply,
	describeInputProblem,
	describeKeyProblem,
	describeStop,
	describeUnreconciled,
	errorItemJson,
	humanReviewRequired,
	insufficientFunds,
	noExcessFigure,
	type EtnaFailure,
	type Subject,
} from '../../../../nodes/EtnaTrader/helpers/errors';
import {
	checkAccountId,
	checkAmount,
	checkIdempotencyKey,
	checkMaxAmount,
	checkWithinLimit,
	type Checked,
} from '../../../../nodes/EtnaTrader/helpers/validation';
import type { EtnaReply, LoginFailureKind } from '../../../../nodes/EtnaTrader/transport';

const subjects: Array<[string, Subject]> = [
	[
		'withdrawal',
		{ kind: 'movement', noun: 'withdrawal', preposition: 'from', accountId: 1001, amount: '25000' },
	],
	[
		'deposit',
		{ kind: 'movement', noun: 'deposit', preposition: 'to', accountId: 1001, amount: '12.5' },
	],
	['read', { kind: 'read', what: 'the balance of account 1001', accountId: 1001 }],
	['record write', { kind: 'write', what: 'creating user robert.techie' }],
];

const LOGIN_KINDS: LoginFailureKind[] = [
	'invalidCredentials',
	'invalidPin',
	'pinMissing',
	'twoFactor',
	'appKey',
	'notFound',
	'noAnswer',
	'unexpected',
];

const replies: Array<[string, EtnaReply & { sends?: number }]> = [
	['200 without the data', { answered: true, status: 200, body: {} }],
	['302', { answered: true, status: 302, body: '' }],
	['401', { answered: true, status: 401, body: {}, said: 'Authorization has been denied.' }],
	['403', { answered: true, status: 403, body: {}, said: 'Application key is not defined' }],
	[
		'404 account',
		{ answered: true, status: 404, body: {}, said: 'Specified account was not found' },
	],
	['404 route', { answered: true, status: 404, body: { Message: 'No HTTP resource was found' } }],
	['422 with a reason', { answered: true, status: 422, body: {}, said: 'Insufficient funds' }],
	['422 without', { answered: true, status: 422, body: {} }],
	['429 four times', { answered: true, status: 429, body: {}, retryAfter: '90', sends: 4 }],
	['500', { answered: true, status: 500, body: {}, said: 'Unexpected server error' }],
	[
		'no connection',
		{ answered: false, maybeDelivered: false, reason: 'connectionFailed', code: 'ECONNREFUSED' },
	],
	['timeout', { answered: false, maybeDelivered: true, reason: 'timeout' }],
	[
		'connection lost',
		{ answered: false, maybeDelivered: true, reason: 'connectionLost', code: 'ECONNRESET' },
	],
	...LOGIN_KINDS.map((kind): [string, EtnaReply] => [
		`login: ${kind}`,
		{
			answered: false,
			maybeDelivered: false,
			reason: 'loginFailed',
			login: { kind, username: 'backoffice', httpCode: kind === 'noAnswer' ? null : 401 },
		},
	]),
];

const REVIEW_REFUSALS: ReviewRefusal[] = [
	{ kind: 'optionIsExpression', option: 'allowWithoutHumanReview' },
	{ kind: 'noReviewOnThisN8n' },
	{ kind: 'inAnotherCall', asker: 'Second model' },
	{ kind: 'noAsker' },
	{ kind: 'notAReviewTool', asker: 'AI Agent' },
	{ kind: 'reviewPinned', asker: 'Review' },
	{ kind: 'reviewFilledByModel', asker: 'Review' },
	{ kind: 'reviewHidesTheCall', asker: 'Review' },
	{ kind: 'chatReview', asker: 'Review' },
	{ kind: 'notAnsweredByPerson', asker: 'Review' },
	{ kind: 'disguisedArguments' },
];

function refused<T>(checked: Checked<T>, itemIndex = 1): EtnaFailure {
	if (checked.ok) throw new Error('The check passed');
	return describeInputProblem(checked.problem, itemIndex);
}

const unknownWithdrawal = describeFailedReply(
	{ answered: false, maybeDelivered: true, reason: 'timeout' },
	subjects[0][1],
	{ timeoutMs: 30_000 },
);

/** Every failure, by what caused it. */
function failures(): Array<[string, EtnaFailure]> {
	const rows: Array<[string, EtnaFailure]> = [];
	for (const [subjectName, subject] of subjects) {
		for (const [replyName, reply] of replies) {
			rows.push([
				`${subjectName}: ${replyName}`,
				describeFailedReply(reply, subject, { timeoutMs: 30_000 }),
			]);
		}
	}
	const limit = checkMaxAmount(10000);
	const amount = checkAmount(25000);
	if (!limit.ok || !amount.ok) throw new Error('The figures of the table are wrong');
	rows.push(
		[
			'input: an amount above Maximum Amount',
			refused(checkWithinLimit(amount.value, limit.value, 25000)),
		],
		['input: an amount with three decimals', refused(checkAmount(1.005))],
		['input: no amount', refused(checkAmount(undefined))],
		['input: an account id that is a path', refused(checkAccountId('1001/../1002'))],
		['input: an empty Idempotency Key', refused(checkIdempotencyKey('', true))],
		...REVIEW_REFUSALS.map((refusal): [string, EtnaFailure] => [
			`agent tool: ${refusal.kind}`,
			humanReviewRequired('Withdraw', refusal),
		]),
		[
			'key: used for another request',
			describeKeyProblem({ kind: 'conflict' }, 'po_1', subjects[0][1], 0),
		],
		...(['unavailable', 'lockBusy', 'sharedScope'] as const).map(
			(problem): [string, EtnaFailure] => [
				`key: store ${problem}`,
				describeKeyProblem(
					{ kind: 'store', problem, reason: 'SQLITE_BUSY' },
					'po_1',
					subjects[0][1],
					0,
				),
			],
		),
		['funds: too little excess', insufficientFunds(0, 1003, 30000, 40000)],
		['funds: no excess figure', noExcessFigure(0, 1003, 40000)],
		[
			'reconcile: no such payment',
			describeUnreconciled(
				unknownWithdrawal,
				{ read: true, checkedAt: '2026-12-03T10:00:00Z', accountId: 1001, signedAmount: -25000 },
				'withdrawal',
			),
		],
		[
			'reconcile: ledger unreadable',
			describeUnreconciled(
				unknownWithdrawal,
				{ read: false, checkedAt: '2026-12-03T10:00:00Z', accountId: 1001, signedAmount: -25000 },
				'withdrawal',
			),
		],
		[
			'stop: the first failure of a batch',
			describeStop(describeFailedReply(replies[6][1], subjects[0][1], { timeoutMs: 30_000 }), {
				completed: [0, 1],
				unknown: [3],
				notSent: [4, 5],
			}),
		],
	);
	return rows;
}

const table = failures().map(([cause, failure]) => ({
	cause,
	failure,
	json: errorItemJson(failure, {}, 'compact'),
}));

/** Words that say what became of the money: said once, by the outcome sentence. */
const OUTCOME_WORDS =
	/ETNA may have made the change; no money moved|nothing reached ETNA|Nothing was (sent|moved|changed)|was not sent|no money (moved|was moved)|Reading moves no money|the money may have moved/gi;

afterAll(() => {
	const file = process.env.WORDINGS_OUT;
	if (!file) return;
	const escape = (text: unknown) => String(text).replace(/\|/g, '\\|');
	const lines = table.map(
		({ cause, json }) => `| ${cause} | ${escape(json.error)} | ${escape(json.message)} |`,
	);
	writeFileSync(
		file,
		['| cause | error | message |', '| --- | --- | --- |', ...lines].join('\n') + '\n',
	);
});

describe.each(table)('$cause', ({ failure, json }) => {
	const message = String(json.message);
	const error = String(json.error);

	it('says once what became of the money', () => {
		expect(message).toMatch(/^Outcome: (not sent|rejected|unknown) \(/);
		expect(message.match(OUTCOME_WORDS) ?? []).toHaveLength(1);
	});

	it('then says what to do next, in a sentence', () => {
		expect(failure.description.trim()).not.toBe('');
		expect(failure.description).toMatch(/[.)]$/);
	});

	it('writes figures one way and durations in seconds or minutes', () => {
		const text = `${error} ${message}`;
		expect(text).not.toMatch(/\b\d+ ?ms\b/);
		// Five digits or more unseparated: a figure written the other way (dates and ids aside).
		expect(text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z?/g, '')).not.toMatch(/(?<![\d,.])\d{5,}/);
	});

	it('tells to check the account before running again when money may have moved', () => {
		if (failure.outcome === 'unknown') expect(message).toMatch(/Check|Look in ETNA|run it again/i);
		else expect(message).not.toMatch(/the money may have moved/);
	});
});
