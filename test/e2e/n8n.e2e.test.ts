// The package inside a real n8n (the line ETNA_N8N_LINE names: 2.x by default, or the last 1.x),
// installed as n8n installs community packages, with workflows and credentials imported through
// n8n's CLI, against the sandbox. The safety point on every line: a failed item never reaches
// the success output, where a workflow would take it for money that moved.
import type { IDataObject } from 'n8n-workflow';

import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	publishWorkflow,
} from '../../scripts/n8n/instance';
import { startN8n, waitForPostWebhook, type RunningN8n } from '../../scripts/n8n/server';
import { ledgerNoRouteBody, takeContractViolations } from '../../sandbox/contract';
import { ownerSession, testCredential, type Session } from '../realN8n/rest';
import { credentialData, etnaCredential, freshSandboxBeforeEach } from '../realN8n/sandboxWorld';
import { waitFor } from '../realN8n/waitFor';
import {
	batchWorkflow,
	example,
	outputsOf,
	paidAnswer,
	postToWebhook,
	readWorkflow,
	withdrawalUrl,
	type Payout,
} from '../realN8n/workflows';
import { urlsOf } from '../support/sandboxRequests';
import {
	errorItem,
	errorsOfFailingRun,
	everyItemRejected,
	expectMessageMatchesDetails,
	KEEPS_DETAILS,
	TEST_BUTTON_REFUSALS,
} from './support/errorItems';
import {
	EXAMPLE_CREDENTIAL_ID,
	N8N_LABEL,
	nodeOf,
	storedText,
	useWorld,
	type E2eWorld,
} from './support/world';

let world: E2eWorld;
let adminToken: string;
let traderToken: string;

const payouts: Payout[] = [
	{ accountId: 1001, amount: 10 },
	{ accountId: 1002, amount: 20.5 },
	{ accountId: 1003, amount: 0.3 },
];

/** One item per outcome, between two that go through. */
const mixedPayouts: Payout[] = [
	{ accountId: 1001, amount: 10 },
	{ accountId: 'abc', amount: 5 },
	{ accountId: 1002, amount: 999999 },
	{ accountId: 1004, amount: 5 },
	{ accountId: 1003, amount: 0.3 },
];

/** A token-method credential with the admin's token, unless `data` changes it (or another field). */
function tokenCredential(id: string, data: IDataObject, name?: string) {
	return etnaCredential(id, credentialData(world, { token: adminToken, ...data }), name);
}

useWorld(async (started) => {
	world = started;
	adminToken = world.sandbox.model.issueToken('admin');
	traderToken = world.sandbox.model.issueToken('trader');
	await importCredentials(world.n8n, [
		tokenCredential(EXAMPLE_CREDENTIAL_ID, {}, 'ETNA Trader API (sandbox)'),
		tokenCredential('etnaNonAdmin0001', { token: `Bearer ${traderToken}` }),
		tokenCredential('etnaWrongKey0001', { appKey: 'not-the-key' }),
	]);
	const onError = 'continueErrorOutput';
	await importWorkflows(world.n8n, [
		batchWorkflow('e2eBatch00000001', EXAMPLE_CREDENTIAL_ID, payouts, { onError }),
		batchWorkflow('e2eMixed00000001', EXAMPLE_CREDENTIAL_ID, mixedPayouts, { onError }),
		batchWorkflow('e2eNonAdmin00001', 'etnaNonAdmin0001', payouts.slice(0, 2), { onError }),
		batchWorkflow('e2eWrongKey00001', 'etnaWrongKey0001', payouts.slice(0, 1), { onError }),
		batchWorkflow(
			'e2eBadInput00001',
			EXAMPLE_CREDENTIAL_ID,
			[
				{ accountId: 'abc', amount: 5 },
				{ accountId: 1001, amount: 1.005 },
			],
			{ onError },
		),
		readWorkflow(
			'e2eAccountsAll01',
			EXAMPLE_CREDENTIAL_ID,
			{ resource: 'tradingAccount', operation: 'getAll', returnAll: true },
			{ onError },
		),
		readWorkflow(
			'e2eLedgerAll0001',
			EXAMPLE_CREDENTIAL_ID,
			{ resource: 'transaction', operation: 'getAll', accountId: 1001, returnAll: true },
			{ onError },
		),
		batchWorkflow('e2eStop000000001', EXAMPLE_CREDENTIAL_ID, [
			{ accountId: 1001, amount: 10 },
			{ accountId: 1004, amount: 5 },
			{ accountId: 1002, amount: 999999 },
		]),
	]);
});

freshSandboxBeforeEach(() => world.sandbox);

describe(`a manually run workflow on ${N8N_LABEL}`, () => {
	it('withdraws every item and outputs the API answers; the balances move by exactly their sum', async () => {
		const { main, errors } = outputsOf(await executeWorkflow(world.n8n, 'e2eBatch00000001'));

		expect(errors).toEqual([]);
		expect(main).toEqual(
			payouts.map(({ accountId, amount }) => ({
				Amount: -amount,
				CreateDate: expect.stringMatching(/Z$/),
				Description: '',
				accountId,
				status: 'moved',
			})),
		);
		const { model } = world.sandbox;
		const total = [1001, 1002, 1003].reduce((sum, id) => sum + model.cashOf(id), 0);
		expect(Math.round((100000 + 2500 + 50000 - total) * 100) / 100).toBe(30.8);
		expect(urlsOf(world.withdrawals())).toEqual(payouts.map(withdrawalUrl));
	});

	it('sends every failed item of a mixed batch to the error output, whatever its outcome, and only confirmations to the success output', async () => {
		// Account 1004's withdrawal goes through, then ETNA answers 500: the outcome is unknown.
		world.sandbox.addFault({
			accountId: 1004,
			endpoint: 'withdrawal',
			times: 1,
			fault: {
				kind: 'status',
				status: 500,
				body: { Message: 'Internal error' },
				afterProcessing: true,
			},
		});

		const { main, errors } = outputsOf(await executeWorkflow(world.n8n, 'e2eMixed00000001'));

		expect(main).toEqual([
			{
				Amount: -10,
				CreateDate: expect.any(String),
				Description: '',
				accountId: 1001,
				status: 'moved',
			},
			{
				Amount: -0.3,
				CreateDate: expect.any(String),
				Description: '',
				accountId: 1003,
				status: 'moved',
			},
		]);
		expect(errors).toEqual([
			errorItem({
				input: mixedPayouts[1],
				error: /^Item 2: Account ID "abc" is not valid/,
				outcome: 'notSent',
				httpCode: null,
				itemIndex: 1,
				request: { accountId: 'abc', amount: 5 },
			}),
			errorItem({
				input: mixedPayouts[2],
				error:
					/^ETNA rejected the withdrawal of 999,999 from account 1002 \(HTTP 422\)\. ETNA said: "Insufficient funds/,
				outcome: 'rejected',
				httpCode: 422,
				itemIndex: 2,
				request: { accountId: 1002, amount: 999999 },
			}),
			errorItem({
				input: mixedPayouts[3],
				error:
					/^ETNA answered with a server error \(HTTP 500\): the outcome of the withdrawal of 5 from account 1004 is unknown\./,
				outcome: 'unknown',
				httpCode: 500,
				itemIndex: 3,
				request: { accountId: 1004, amount: 5 },
			}),
		]);
		errors.forEach(expectMessageMatchesDetails);
		// Each item but the one with a bad account id, once, in order.
		expect(urlsOf(world.withdrawals())).toEqual(
			[mixedPayouts[0], ...mixedPayouts.slice(2)].map(withdrawalUrl),
		);
		// The unknown one did move: why it must never be taken for a plain failure either.
		expect(world.sandbox.model.cashOf(1004)).toBe(745.5);
		expect(world.sandbox.model.cashOf(1002)).toBe(2500);
	});

	it('sends bad input (an account id that is not a number, an amount with a third decimal) to the error output, sending nothing to ETNA', async () => {
		expect(await errorsOfFailingRun(world.n8n, 'e2eBadInput00001')).toEqual([
			errorItem({
				input: { accountId: 'abc', amount: 5 },
				error: /^Item 1: Account ID "abc" is not valid: it must be a whole number/,
				outcome: 'notSent',
				httpCode: null,
				itemIndex: 0,
				request: { accountId: 'abc', amount: 5 },
			}),
			errorItem({
				input: { accountId: 1001, amount: 1.005 },
				error: /^Item 2: Amount 1\.005 is not valid: it must be a number above 0/,
				outcome: 'notSent',
				httpCode: null,
				itemIndex: 1,
				request: { accountId: 1001, amount: 1.005 },
			}),
		]);
		expect(world.sandbox.apiRequests()).toEqual([]);
	});

	it('sends every item of a non-admin token to the error output with the 401 message, sending each item once', async () => {
		expect(await errorsOfFailingRun(world.n8n, 'e2eNonAdmin00001')).toEqual(
			everyItemRejected(
				payouts.slice(0, 2),
				/^ETNA refused the token \(HTTP 401\): withdrawals need an ETNA administrator's token, and this one is not, or it has expired\./,
				401,
			),
		);
		// One request per item: n8n's re-send after a 401 does not happen for a pasted token.
		expect(urlsOf(world.withdrawals())).toHaveLength(2);
		expect(world.sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('says a wrong Et-App-Key is the problem (HTTP 403), on the error output', async () => {
		expect(await errorsOfFailingRun(world.n8n, 'e2eWrongKey00001')).toEqual(
			everyItemRejected(
				payouts.slice(0, 1),
				/^ETNA refused the app key \(HTTP 403\): the Et-App-Key is wrong or missing\./,
				403,
			),
		);
	});

	it('with "On Error: Stop Workflow" fails the execution with the node\'s message, naming the items already completed in ETNA', async () => {
		const result = await executeWorkflow(world.n8n, 'e2eStop000000001');

		expect(result.data.resultData.error?.message).toMatch(
			/^ETNA rejected the withdrawal of 999,999 from account 1002 \(HTTP 422\)\. ETNA said: "Insufficient funds/,
		);
		expect(result.data.resultData.error?.description).toMatch(
			/Item\(s\) 1, 2 completed in ETNA before the node stopped/,
		);
		expect(outputsOf(result)).toEqual({ main: [], errors: [] });
		expect(world.sandbox.model.cashOf(1001)).toBe(99990);
		expect(world.sandbox.model.cashOf(1004)).toBe(745.5);
	});
});

describe(`reads with their default settings on ${N8N_LABEL}`, () => {
	it('runs both Get Many as they are dropped on the canvas, every request carrying the parameters ETNA requires', async () => {
		const accounts = outputsOf(await executeWorkflow(world.n8n, 'e2eAccountsAll01'), 'Read');
		const ledger = outputsOf(await executeWorkflow(world.n8n, 'e2eLedgerAll0001'), 'Read');

		expect(accounts.errors).toEqual([]);
		expect(accounts.main.map((account) => account.Id)).toEqual([1001, 1002, 1003, 1004, 1005]);
		expect(ledger.errors).toEqual([]);
		expect(ledger.main.map((row) => row.Id)).toEqual([1, 6, 7, 8, 9]);
		expect(world.sandbox.apiRequests().map((request) => request.query)).toEqual([
			{ propertyName: ['Id'], isAscending: ['true'], pageNumber: ['0'], pageSize: ['100'] },
			{ sortBy: ['Id'], isDesc: ['false'], pageNumber: ['0'], pageSize: ['100'] },
		]);
		expect(takeContractViolations()).toEqual([]);
	});

	it("puts ETNA's nested error body on the error output, worded as a missing endpoint, not a missing account", async () => {
		world.sandbox.addFault({
			endpoint: 'transactions',
			fault: {
				kind: 'status',
				status: 404,
				body: ledgerNoRouteBody('1.0', 'GET'),
			},
		});

		const { main, errors } = outputsOf(
			await executeWorkflow(world.n8n, 'e2eLedgerAll0001'),
			'Read',
		);

		expect(main).toEqual([]);
		expect(errors).toHaveLength(1);
		expect(errors[0].error).toBe(
			`ETNA has no such endpoint at this Base URL and API version (HTTP 404): reading the transactions of account 1001 was not processed. ETNA said: "The requested resource with API version '1.0' does not support HTTP method 'GET'. (UnsupportedApiVersion)"`,
		);
		expect(errors[0].message).toMatch(
			/^Outcome: rejected \(ETNA did not do it; no money moved\)\. /,
		);
		expectMessageMatchesDetails(errors[0]);
	});
});

describe(`published workflows on a running ${N8N_LABEL}`, () => {
	let server: RunningN8n | undefined;
	let session: Session;

	beforeAll(async () => {
		const sweepEverySecond = example('nightly-sweep.json');
		nodeOf(sweepEverySecond, 'Every night at 02:00').parameters = {
			rule: { interval: [{ field: 'seconds', secondsInterval: 1 }] },
		};
		await importWorkflows(world.n8n, [
			example('withdraw-on-webhook.json'),
			example('deposit-on-crm-webhook.json'),
			example('onboard-from-crm.json'),
			sweepEverySecond,
		]);
		await publishWorkflow(world.n8n, 'etnaWebhookPay01');
		await publishWorkflow(world.n8n, 'etnaCrmDeposit01');
		await publishWorkflow(world.n8n, 'etnaOnboardCrm01');
		await publishWorkflow(world.n8n, 'etnaNightlySwp01');
		server = await startN8n(world.n8n);
		await waitForPostWebhook(server, 'etna-withdraw');
		await waitForPostWebhook(server, 'etna-deposit');
		await waitForPostWebhook(server, 'etna-onboard');
		session = await ownerSession(server, world.n8n, world.ownerPassword);
	}, 5 * 60_000);

	afterAll(async () => {
		await server?.stop();
	});

	let payoutNumber = 0;

	/** A payout as a sender posts it: its own `payoutId` (the example's Idempotency Key) unless given. */
	async function postPayout(body: IDataObject): Promise<{ status: number; body: IDataObject }> {
		payoutNumber += 1;
		const payout = { payoutId: `po-${process.pid}-${payoutNumber}`, ...body };
		return await postToWebhook(`${server?.url}`, 'etna-withdraw', payout);
	}

	/** The example answers a failure with `error` and `message`, plus `details` where n8n keeps them. */
	function failureAnswer(error: RegExp, message: RegExp, details: IDataObject): IDataObject {
		const compact = {
			error: expect.stringMatching(error),
			message: expect.stringMatching(message),
		};
		return KEEPS_DETAILS ? { ...compact, details: expect.objectContaining(details) } : compact;
	}

	it('answers a webhook POST with the withdrawal', async () => {
		const answer = await postPayout({ accountId: 1001, amount: 25 });

		expect(answer).toEqual(paidAnswer({ accountId: 1001, amount: 25 }));
		expect(world.sandbox.model.cashOf(1001)).toBe(99975);
	});

	it('answers the same payout posted twice with one withdrawal: the retry is a 200 that says it is a duplicate of a payout that moved', async () => {
		const payout = { payoutId: `po-twice-${process.pid}`, accountId: 1001, amount: 12 };

		const first = await postPayout(payout);
		const retry = await postPayout(payout);

		expect(first).toEqual({
			status: 200,
			body: expect.objectContaining({
				Amount: -12,
				accountId: 1001,
				idempotencyKey: payout.payoutId,
			}),
		});
		expect(retry).toEqual({
			status: 200,
			body: {
				status: 'duplicate',
				duplicate: true,
				idempotencyKey: payout.payoutId,
				firstAttempt: 'moved',
				accountId: 1001,
				amount: 12,
			},
		});
		// The every-second sweep beside it pays 1003 and 1004 only.
		expect(urlsOf(world.withdrawals(1001))).toEqual([
			'/api/v1.0/accounts/1001/withdrawal?withdrowalValue=12',
		]);
	});

	it('answers ten posts of one payout made at once with one withdrawal, and nine duplicates', async () => {
		// Slow answers keep the first withdrawal in flight while the others claim the key.
		world.sandbox.latencyMs = 300;
		const payout = { payoutId: `po-burst-${process.pid}`, accountId: 1002, amount: 7 };

		const answers = await Promise.all(
			Array.from({ length: 10 }, async () => await postPayout(payout)),
		);

		expect(urlsOf(world.withdrawals(1002))).toEqual([
			'/api/v1.0/accounts/1002/withdrawal?withdrowalValue=7',
		]);
		expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
		const duplicates = answers.filter((answer) => answer.body.duplicate === true);
		expect(duplicates).toHaveLength(9);
		expect(
			duplicates.every((answer) =>
				['moved', 'inProgress'].includes(String(answer.body.firstAttempt)),
			),
		).toBe(true);
		expect(world.sandbox.model.cashOf(1002)).toBe(2500 - 7);
	});

	it('runs the deposit-on-CRM-webhook example: a top-up posted twice deposits once, a top-up above its Maximum Amount is refused', async () => {
		const topUp = { topUpId: `tu-${process.pid}`, accountId: 1002, amount: 250 };
		const post = async (body: IDataObject) =>
			await postToWebhook(`${server?.url}`, 'etna-deposit', body);

		const first = await post(topUp);
		const retry = await post(topUp);
		const tooLarge = await post({
			topUpId: `tu-big-${process.pid}`,
			accountId: 1002,
			amount: 10000.01,
		});

		expect(first).toEqual({
			status: 200,
			body: expect.objectContaining({
				Amount: 250,
				accountId: 1002,
				idempotencyKey: topUp.topUpId,
			}),
		});
		expect(retry).toEqual({
			status: 200,
			body: expect.objectContaining({
				duplicate: true,
				firstAttempt: 'moved',
				status: 'duplicate',
			}),
		});
		expect(tooLarge.status).toBe(400);
		expect(tooLarge.body.error).toMatch(/Maximum Amount/);
		expect(urlsOf(world.deposits())).toEqual(['/api/v1.0/accounts/1002/deposit?depositValue=250']);
		expect(world.sandbox.model.cashOf(1002)).toBe(2500 + 250);
	});

	it('runs the onboard-from-CRM example twice with the same CRM body: one user, one account, one access, one deposit; the second answer says each existed', async () => {
		const approval = {
			crmClientId: `crm-${process.pid}`,
			login: `client.${process.pid}`,
			firstName: 'Robert',
			lastName: 'Techie',
			email: 'robert@example.com',
			clearingAccount: `5RB${process.pid}`,
			firstFunding: 2500,
		};
		const post = async () => await postToWebhook(`${server?.url}`, 'etna-onboard', approval);

		const first = await post();
		const again = await post();

		const { model } = world.sandbox;
		const users = model.directory.all().filter((user) => user.Login === approval.login);
		const accounts = [...model.accounts.values()].filter(
			(account) => account.ClearingAccount === approval.clearingAccount,
		);
		expect(users).toHaveLength(1);
		expect(accounts).toHaveLength(1);
		const [{ Id: userId }] = users;
		const [{ Id: accountId }] = accounts;
		const answer = {
			crmClientId: approval.crmClientId,
			userId,
			login: approval.login,
			accountId,
			clearingAccount: approval.clearingAccount,
			access: 'Full',
			amount: 2500,
		};
		expect(first).toEqual({
			status: 200,
			body: {
				...answer,
				userExisted: false,
				accountExisted: false,
				accessExisted: false,
				firstFunding: 'deposited',
			},
		});
		expect(again).toEqual({
			status: 200,
			body: {
				...answer,
				userExisted: true,
				accountExisted: true,
				accessExisted: true,
				firstFunding: 'already deposited (moved)',
			},
		});
		expect(model.directory.accessTo(accountId)).toEqual([
			{ accountId, userId, accessType: 'Full' },
		]);
		const writes = world.sandbox
			.apiRequests()
			.filter((request) => request.method !== 'GET' && !request.path.endsWith('/withdrawal'))
			.map((request) => `${request.method} ${request.path}`);
		expect(writes).toEqual([
			'POST /api/v1.0/users',
			'POST /api/v1.0/accounts',
			`PUT /api/v1.0/accounts/${accountId}/users/${userId}`,
			`POST /api/v1.0/accounts/${accountId}/deposit`,
		]);
		expect(model.cashOf(accountId)).toBe(2500);
	});

	it('refuses a payout without its payoutId with a 400, sending nothing', async () => {
		const answer = await postToWebhook(`${server?.url}`, 'etna-withdraw', {
			accountId: 1001,
			amount: 3,
		});

		expect(answer.status).toBe(400);
		expect(answer.body.error).toMatch(/^Item 1: Idempotency Key is empty/);
		expect(urlsOf(world.withdrawals(1001))).toEqual([]);
	});

	it('answers a bad webhook POST with a 400 and the error message, sending nothing', async () => {
		const answer = await postPayout({ accountId: '1001/../1002', amount: 25 });

		expect(answer).toEqual({
			status: 400,
			body: failureAnswer(
				/^Item 1: Account ID "1001\/\.\.\/1002" is not valid/,
				/^Outcome: not sent \(nothing reached ETNA\)\./,
				{ outcome: 'notSent' },
			),
		});
		expect([...world.byAccount(1001), ...world.byAccount(1002)]).toEqual([]);
	});

	it("answers a refused withdrawal with a 422 and ETNA's reason", async () => {
		const answer = await postPayout({ accountId: 1002, amount: 1000000 });

		expect(answer).toEqual({
			status: 422,
			body: failureAnswer(
				/Insufficient funds/,
				/^Outcome: rejected \(ETNA did not do it; no money moved\)\./,
				{ outcome: 'rejected', httpCode: 422 },
			),
		});
	});

	it('answers a withdrawal whose outcome is unknown with a 502 that says to check the account first', async () => {
		// Account 1002: the sweep running meanwhile withdraws from 1003 and 1004 only.
		world.sandbox.addFault({
			accountId: 1002,
			endpoint: 'withdrawal',
			times: 1,
			fault: { kind: 'status', status: 500, afterProcessing: true },
		});

		const answer = await postPayout({ accountId: 1002, amount: 5 });

		expect(answer).toEqual({
			status: 502,
			body: failureAnswer(
				/^ETNA answered with a server error \(HTTP 500\)/,
				/^Outcome: unknown \(the money may have moved\)\. .*Check the account's cash and transaction history in ETNA/,
				{ outcome: 'unknown', httpCode: 500 },
			),
		});
	});

	it('runs a Schedule Trigger workflow (every second) that withdraws', async () => {
		const swept = () => world.withdrawals(1004).length > 0;
		await waitFor('a withdrawal from account 1004 by the schedule', swept);

		expect(world.sandbox.model.cashOf(1004)).toBeLessThan(750.5);
	});

	it("runs the credential's Test button (Administrator Token): success, then a 403 and a 401 refused", async () => {
		const testWith = (data: IDataObject) =>
			testCredential(session, tokenCredential(EXAMPLE_CREDENTIAL_ID, data, 'test'));

		expect(await testWith({})).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testWith({ appKey: 'wrong' })).toEqual({
			status: 'Error',
			message: TEST_BUTTON_REFUSALS.appKey,
		});
		expect(await testWith({ token: traderToken })).toEqual({
			status: 'Error',
			message: TEST_BUTTON_REFUSALS.token,
		});
		const tests = world.sandbox
			.apiRequests()
			.filter((request) => request.path === '/api/v1.0/accounts');
		expect(tests.length).toBeGreaterThanOrEqual(3);
		// Every parameter ETNA's docs require on the account list: a real ETNA answers 404 without one.
		expect(tests.map((request) => `${request.method} ${request.url}`)).toEqual(
			tests.map(
				() => 'GET /api/v1.0/accounts?pageNumber=0&pageSize=1&propertyName=Id&isAscending=true',
			),
		);
		expect(takeContractViolations()).toEqual([]);
	});

	it('leaves no token or app key in what n8n stored, nor in its output', async () => {
		await server?.stop();
		const stored = storedText(world.n8n);
		// The executions are there (this run's webhook answers), and no secret is.
		expect(stored).toContain('Insufficient funds');
		const printed = world.n8n.output.join('');
		expect(printed).toContain('etnaWebhookPay01');
		const secrets = [world.appKey, ...world.issuedTokens];
		expect(secrets).toContain(adminToken);
		for (const secret of secrets) {
			expect(stored).not.toContain(secret);
			expect(printed).not.toContain(secret);
		}
	});
});
