import {
	apiMessageOf,
	describeFailedReply,
	redactSecrets,
	type MovementContext,
} from '../../../../nodes/EtnaTrader/helpers/errors';

const context: MovementContext = {
	noun: 'withdrawal',
	preposition: 'from',
	accountId: 1001,
	amount: '25',
	timeoutMs: 30000,
	secrets: ['secret-token-value', 'secret-app-key'],
};

describe("ETNA's own words", () => {
	it.each([
		[{ Message: 'Denied.' }, 'Denied.'],
		[
			{ error: 'Application key is not defined or does not exist' },
			'Application key is not defined or does not exist',
		],
		[{ State: 'Failed', Reason: 'Invalid credentials' }, 'Invalid credentials'],
		['plain text', 'plain text'],
	])('are read from %p', (body, expected) => {
		expect(apiMessageOf(body, [])).toBe(expected);
	});

	it.each([['<html><body>502 Bad Gateway</body></html>'], [''], [{}], [null], [{ Message: 42 }]])(
		'are absent from %p',
		(body) => {
			expect(apiMessageOf(body, [])).toBeUndefined();
		},
	);

	it('are cut at 300 characters and never repeat a secret', () => {
		expect(apiMessageOf({ Message: 'x'.repeat(400) }, [])).toBe(`${'x'.repeat(300)}…`);
		expect(apiMessageOf({ Message: 'bad key secret-app-key here' }, context.secrets)).toBe(
			'bad key *** here',
		);
	});
});

describe('redactSecrets', () => {
	it('masks every occurrence and leaves short strings alone', () => {
		expect(redactSecrets('a secret-token-value b secret-token-value', context.secrets)).toBe(
			'a *** b ***',
		);
		expect(redactSecrets('abc', ['ab'])).toBe('abc');
	});
});

describe('describeFailedReply', () => {
	it('names a deposit "to" its account', () => {
		const failure = describeFailedReply(
			{ answered: true, status: 500, body: {} },
			{ ...context, noun: 'deposit', preposition: 'to' },
		);
		expect(failure.message).toBe(
			'ETNA answered with a server error (HTTP 500): the outcome of the deposit of 25 to account 1001 is unknown.',
		);
	});

	it('reads Retry-After given as a date', () => {
		const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
		const failure = describeFailedReply(
			{ answered: true, status: 429, body: {}, retryAfter: inOneMinute },
			context,
		);
		expect(failure.description).toMatch(/^Wait (59|60) s/);
		expect(failure.failure).toMatchObject({ cause: 'rate-limited' });
	});

	it.each([
		[400, 'rejected'],
		[409, 'rejected'],
		[301, 'unknown'],
		[204, 'unknown'],
		[504, 'unknown'],
	])('classes HTTP %i as %s', (status, outcome) => {
		expect(describeFailedReply({ answered: true, status, body: '' }, context).outcome).toBe(
			outcome,
		);
	});

	it('says a failed connection sent nothing, and a lost one may have', () => {
		expect(
			describeFailedReply(
				{ answered: false, maybeDelivered: false, reason: 'connectionFailed', code: 'ENOTFOUND' },
				context,
			),
		).toMatchObject({
			outcome: 'notSent',
			message: 'Could not connect to ETNA: the withdrawal of 25 from account 1001 was not sent.',
		});
		expect(
			describeFailedReply(
				{ answered: false, maybeDelivered: true, reason: 'cancelled', code: 'ERR_CANCELED' },
				context,
			).outcome,
		).toBe('unknown');
	});
});
