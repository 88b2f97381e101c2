import {
	describeFailedReply,
	nodeErrorOf,
	type EtnaFailure,
	type RequestContext,
	type Subject,
} from '../../../../nodes/EtnaTrader/helpers/errors';
import type { EtnaReply } from '../../../../nodes/EtnaTrader/transport';
import { etnaNode, NODE_TYPE } from '../../../support/n8nEngine';

const withdrawal: Subject = {
	kind: 'movement',
	noun: 'withdrawal',
	preposition: 'from',
	accountId: 1001,
	amount: '25',
};
const balance: Subject = { kind: 'read', what: 'the balance of account 1001', accountId: 1001 };
const context: RequestContext = { timeoutMs: 30000 };

describe('describeFailedReply', () => {
	it('names a deposit "to" its account', () => {
		const failure = describeFailedReply(
			{ answered: true, status: 500, body: {} },
			{ ...withdrawal, noun: 'deposit', preposition: 'to' },
			context,
		);
		expect(failure.message).toBe(
			'ETNA answered with a server error (HTTP 500): the outcome of the deposit of 25 to account 1001 is unknown.',
		);
	});

	it('reads Retry-After given as a date', () => {
		const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
		const failure = describeFailedReply(
			{ answered: true, status: 429, body: {}, retryAfter: inOneMinute },
			withdrawal,
			context,
		);
		expect(failure.description).toMatch(/^Wait (59 seconds|1 minute) /);
		expect(failure.n8nFailure).toMatchObject({ cause: 'rate-limited' });
	});

	it.each([
		[400, 'rejected'],
		[409, 'rejected'],
		[301, 'unknown'],
		[204, 'unknown'],
		[504, 'unknown'],
	])('classes HTTP %i as %s', (status, outcome) => {
		expect(
			describeFailedReply({ answered: true, status, body: '' }, withdrawal, context).outcome,
		).toBe(outcome);
	});

	it('says a failed connection sent nothing, and a lost one may have', () => {
		expect(
			describeFailedReply(
				{ answered: false, maybeDelivered: false, reason: 'connectionFailed', code: 'ENOTFOUND' },
				withdrawal,
				context,
			),
		).toMatchObject({
			outcome: 'notSent',
			message: 'Could not connect to ETNA: the withdrawal of 25 from account 1001 was not sent.',
		});
		expect(
			describeFailedReply(
				{ answered: false, maybeDelivered: true, reason: 'cancelled', code: 'ERR_CANCELED' },
				withdrawal,
				context,
			).outcome,
		).toBe('unknown');
	});
});

describe('the same replies, when what failed was a read', () => {
	it.each<[string, EtnaReply]>([
		['a 500', { answered: true, status: 500, body: {} }],
		['a timeout', { answered: false, maybeDelivered: true, reason: 'timeout' }],
		['a 200 without the expected body', { answered: true, status: 200, body: 'x' }],
	])('never calls %s an unknown outcome: a read moves no money', (_, reply) => {
		const failure = describeFailedReply(reply, balance, context);

		expect(failure.outcome).toBe('rejected');
		expect(failure.message).toMatch(/the balance of account 1001 failed\.$/);
		expect(failure.description).toBe('Run it again.');
	});

	it("says what a 401 needs in the read's own words", () => {
		expect(
			describeFailedReply({ answered: true, status: 401, body: {} }, balance, context).message,
		).toBe(
			"ETNA refused the token (HTTP 401): reading the balance of account 1001 needs an ETNA administrator's token, and this one is not, or it has expired.",
		);
	});

	it('treats a 503 that gives Retry-After as not processed, and one without it as unknown for money', () => {
		const busy: EtnaReply = { answered: true, status: 503, body: {}, retryAfter: '2' };
		expect(describeFailedReply(busy, withdrawal, context)).toMatchObject({
			outcome: 'rejected',
			message:
				'ETNA is limiting the rate of requests (HTTP 503): the withdrawal of 25 from account 1001 was not processed.',
		});
		expect(
			describeFailedReply({ answered: true, status: 503, body: {} }, withdrawal, context).outcome,
		).toBe('unknown');
	});
});

describe('a credential that logs in', () => {
	const asLogin: RequestContext = { ...context, loginName: 'payouts-bot' };

	it('says a 401 after a fresh login means the login is not an administrator, naming it', () => {
		const failure = describeFailedReply(
			{
				answered: true,
				status: 401,
				body: { Message: 'Authorization has been denied for this request.' },
				// ETNA's words, as transport reads them (redacted) from the body.
				said: 'Authorization has been denied for this request.',
			},
			withdrawal,
			asLogin,
		);

		expect(failure.message).toBe(
			'ETNA refused the token of the login "payouts-bot" (HTTP 401), also after logging in again: this login is not an ETNA administrator, and withdrawals need one. ETNA said: "Authorization has been denied for this request."',
		);
		expect(failure.outcome).toBe('rejected');
	});

	it.each<[string, Partial<EtnaReply & { login: object }>, RegExp, string]>([
		[
			'a wrong password',
			{ login: { kind: 'invalidCredentials', httpCode: 401, reason: 'Invalid credentials' } },
			/^ETNA refused the login of "payouts-bot" \(HTTP 401\): the username or the password is wrong\. ETNA said: "Invalid credentials"$/,
			'rejected',
		],
		[
			'two-factor authentication',
			{ login: { kind: 'twoFactor', httpCode: 202, reason: 'Expecting confirmation code' } },
			/two-factor verification code, which an unattended workflow cannot type/,
			'rejected',
		],
		[
			'a wrong app key',
			{ login: { kind: 'appKey', httpCode: 403 } },
			/^ETNA refused the app key \(HTTP 403\) when logging in as "payouts-bot"/,
			'rejected',
		],
		[
			'no answer',
			{ login: { kind: 'noAnswer', httpCode: null, code: 'ECONNREFUSED' } },
			/^Could not log in to ETNA as "payouts-bot": no answer \(ECONNREFUSED\)\.$/,
			'notSent',
		],
	])(
		'explains a login refused for %s, before any money moved',
		(_, { login }, message, outcome) => {
			const failure = describeFailedReply(
				{
					answered: false,
					maybeDelivered: false,
					reason: 'loginFailed',
					login: { username: 'payouts-bot', ...(login as object) } as never,
				},
				withdrawal,
				asLogin,
			);

			expect(failure.message).toMatch(message);
			expect(failure.outcome).toBe(outcome);
			expect(failure.description).not.toMatch(/moved|sent/i);
		},
	);
});

describe('nodeErrorOf', () => {
	const failure: EtnaFailure = {
		message: 'Item 1: Amount "lots" is not valid: it must be a number',
		description: 'Correct the value and run the item again.',
		outcome: 'notSent',
		httpCode: null,
	};
	it('keeps the message and the description apart, as n8n shows them, the outcome said once in the description', () => {
		const error = nodeErrorOf(etnaNode('Withdraw', NODE_TYPE, {}), failure, 0);

		expect(error.message).toBe(failure.message);
		expect(error.description).toBe(
			'Outcome: not sent (nothing reached ETNA). Correct the value and run the item again.',
		);
	});
});
