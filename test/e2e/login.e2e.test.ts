// The Administrator Login credential in a real n8n: n8n itself runs the credential's
// preAuthentication (POST /token), stores the token in the credential, and runs it again after
// ETNA refuses the token (401). In-process tests cannot show this: it is n8n's CredentialsHelper,
// its database and its separate processes that keep the token. Runs on both n8n lines.
import type { IDataObject } from 'n8n-workflow';

import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	publishWorkflow,
} from '../../scripts/n8n/instance';
import { startN8n, type RunningN8n } from '../../scripts/n8n/server';
import type { RecordedRequest } from '../../sandbox/server';
import {
	deactivateWorkflow,
	executionRun,
	executionsOf,
	isSettled,
	ownerSession,
	testCredential,
	type ExecutionSummary,
	type Session,
} from '../realN8n/rest';
import { etnaCredential, freshSandboxBeforeEach, userNamed } from '../realN8n/sandboxWorld';
import { waitFor } from '../realN8n/waitFor';
import { batchWorkflow, outputsOf, withdrawalUrl, type Payout } from '../realN8n/workflows';
import { urlsOf } from '../support/sandboxRequests';
import { errorsOfFailingRun, everyItemRejected, TEST_BUTTON_REFUSALS } from './support/errorItems';
import {
	log,
	loginCredentialData,
	N8N_LABEL,
	storedText,
	useWorld,
	type E2eWorld,
} from './support/world';

let world: E2eWorld;

const ADMIN = 'etnaLoginAdmin01';
const WRONG_PASSWORD = 'etnaLoginBadPw01';
const TWO_FACTOR = 'etnaLogin2fa0001';
const TRADER = 'etnaLoginTrader1';
const PIN = 'etnaLoginPin0001';
const WRONG_PIN = 'etnaLoginPinBad1';
const NO_PIN = 'etnaLoginPinNone';
const wrongPin = String(100_000_000 + (process.pid % 1000));
const SCHEDULE = 'e2eLoginSched001';
const wrongPassword = `wrong-password-${process.pid}-${Date.now()}`;

const payouts: Payout[] = [
	{ accountId: 1001, amount: 10 },
	{ accountId: 1002, amount: 20 },
];

/** The stored data of each login credential, as the Test button is given it. */
function loginData(id: string): IDataObject {
	switch (id) {
		case WRONG_PASSWORD:
			return loginCredentialData(world, 'admin', wrongPassword);
		case TWO_FACTOR:
			return loginCredentialData(world, 'admin2fa');
		case TRADER:
			return loginCredentialData(world, 'trader');
		case PIN:
			return loginCredentialData(world, 'adminpin', undefined, { pinCode: pinOfAdminpin() });
		case WRONG_PIN:
			return loginCredentialData(world, 'adminpin', undefined, { pinCode: wrongPin });
		case NO_PIN:
			return loginCredentialData(world, 'adminpin');
		default:
			return loginCredentialData(world, 'admin');
	}
}

function pinOfAdminpin(): string {
	return String(userNamed(world, 'adminpin').securityPin);
}

function bearerOf(request: RecordedRequest): string {
	return String(request.headers.authorization ?? '').replace(/^Bearer /, '');
}

useWorld(async (started) => {
	world = started;
	await importCredentials(
		world.n8n,
		[ADMIN, WRONG_PASSWORD, TWO_FACTOR, TRADER, PIN, WRONG_PIN, NO_PIN].map((id) =>
			etnaCredential(id, loginData(id)),
		),
	);
	const onError = 'continueErrorOutput';
	await importWorkflows(world.n8n, [
		batchWorkflow('e2eLoginBatch001', ADMIN, payouts, { onError }),
		batchWorkflow('e2eLoginBadPw001', WRONG_PASSWORD, payouts, { onError }),
		batchWorkflow('e2eLoginTrader01', TRADER, payouts, { onError }),
		batchWorkflow('e2eLoginPin00001', PIN, payouts, { onError }),
		batchWorkflow('e2eLoginPinBad01', WRONG_PIN, payouts, { onError }),
		batchWorkflow(
			SCHEDULE,
			ADMIN,
			[
				{ accountId: 1001, amount: 1 },
				{ accountId: 1002, amount: 1 },
			],
			{ onError, trigger: 'everySecond' },
		),
	]);
});

describe(`the Administrator Login run by \`n8n execute\` on ${N8N_LABEL}`, () => {
	freshSandboxBeforeEach(() => world.sandbox);

	it('logs in once and withdraws; a second n8n process reuses the token n8n stored, without logging in again', async () => {
		const first = outputsOf(await executeWorkflow(world.n8n, 'e2eLoginBatch001'));

		expect(first.errors).toEqual([]);
		expect(first.main.map((item) => [item.accountId, item.Amount])).toEqual([
			[1001, -10],
			[1002, -20],
		]);
		expect(world.sandbox.logins()).toBe(1);
		expect(world.tokenRequests().map((request) => request.headers.username)).toEqual(['admin']);
		const token = world.issuedTokens[world.issuedTokens.length - 1];
		expect(world.withdrawals().map(bearerOf)).toEqual([token, token]);

		const second = outputsOf(await executeWorkflow(world.n8n, 'e2eLoginBatch001'));

		expect(second.errors).toEqual([]);
		expect(second.main).toHaveLength(2);
		expect(world.sandbox.logins()).toBe(1);
		expect(world.tokenRequests()).toHaveLength(1);
		expect(world.withdrawals().map(bearerOf)).toEqual([token, token, token, token]);
		expect(world.sandbox.model.cashOf(1001)).toBe(99980);
	});

	it('with a wrong password, fails every item with the login message and sends no withdrawal', async () => {
		expect(await errorsOfFailingRun(world.n8n, 'e2eLoginBadPw001')).toEqual(
			everyItemRejected(
				payouts,
				/^ETNA refused the login of "admin" \(HTTP 401\): the username or the password is wrong\. ETNA said: "Invalid credentials"$/,
				401,
			),
		);
		// The second item is failed without a second try: ETNA may lock a user after bad logins.
		expect(world.tokenRequests()).toHaveLength(1);
		expect(world.withdrawals()).toEqual([]);
	});

	it('with a regular user\'s login ("trader"), fails every item with the 401 message for logins, and moves no money', async () => {
		expect(await errorsOfFailingRun(world.n8n, 'e2eLoginTrader01')).toEqual(
			everyItemRejected(
				payouts,
				/^ETNA refused the token of the login "trader" \(HTTP 401\), also after logging in again: this login is not an ETNA administrator, and withdrawals need one\./,
				401,
			),
		);
		// Each item: sent, refused, a new login, sent once more, refused again; never a third time.
		expect(urlsOf(world.withdrawals())).toEqual(
			payouts.flatMap((payout) => [withdrawalUrl(payout), withdrawalUrl(payout)]),
		);
		expect(world.sandbox.model.cashOf(1001)).toBe(100000);
		expect(world.sandbox.model.cashOf(1002)).toBe(2500);
	});
});

describe(`a login with a security PIN run by \`n8n execute\` on ${N8N_LABEL}`, () => {
	freshSandboxBeforeEach(() => world.sandbox);

	it('logs in in two steps (password, then the PIN with the step token) and withdraws every item once', async () => {
		const { main, errors } = outputsOf(await executeWorkflow(world.n8n, 'e2eLoginPin00001'));

		expect(errors).toEqual([]);
		expect(main.map((item) => [item.accountId, item.Amount])).toEqual([
			[1001, -10],
			[1002, -20],
		]);
		const [first, second, ...others] = world.tokenRequests();
		expect(others).toEqual([]);
		expect(first.headers.pincode).toBeUndefined();
		expect(first.headers.authorization).toBeUndefined();
		expect(second.headers.pincode).toBe(pinOfAdminpin());
		expect(world.sandbox.model.lookupToken(bearerOf(second))?.interim).toBe(true);
		const token = world.issuedTokens[world.issuedTokens.length - 1];
		expect(world.withdrawals().map(bearerOf)).toEqual([token, token]);
		expect(world.sandbox.model.cashOf(1001)).toBe(99990);
	});

	it('with a wrong PIN, fails every item with a message naming the PIN, trying it once, and sends no withdrawal', async () => {
		expect(await errorsOfFailingRun(world.n8n, 'e2eLoginPinBad01')).toEqual(
			everyItemRejected(
				payouts,
				/^ETNA refused the security PIN of "adminpin" \(HTTP 401\): the Security PIN is wrong\. The username and password were accepted\. ETNA said: "Invalid pin"$/,
				401,
			),
		);
		// One login of two steps for the whole batch: a wrong PIN is not tried again.
		expect(world.tokenRequests()).toHaveLength(2);
		expect(world.withdrawals()).toEqual([]);
	});
});

describe(`the Administrator Login on a running ${N8N_LABEL}`, () => {
	/** Each token works for this many requests; the next one gets 401. */
	const MAX_USES = 3;
	let server: RunningN8n | undefined;
	let session: Session;
	let issuedBefore: number;

	beforeAll(async () => {
		// Everything back to the start, the token n8n stored included: ETNA no longer knows it.
		world.sandbox.reset();
		world.sandbox.model.tokenPolicy = { maxUses: MAX_USES };
		issuedBefore = world.issuedTokens.length;
		await publishWorkflow(world.n8n, SCHEDULE);
		server = await startN8n(world.n8n);
		session = await ownerSession(server, world.n8n, world.ownerPassword);
	}, 5 * 60_000);

	afterAll(async () => {
		await server?.stop();
	});

	/** The schedule's withdrawals in ETNA's ledger (the sandbox was reset before it started). */
	function paid() {
		return [1001, 1002].flatMap((accountId) =>
			world.sandbox.model
				.transactionsOf(accountId)
				.filter((row) => row.Description === 'Withdrawal'),
		);
	}

	/**
	 * The schedule's executions, once n8n has settled every one and each paid row is one of theirs
	 * (two a run): a run the schedule started just before it was switched off may not be listed yet.
	 */
	async function settledExecutions(): Promise<ExecutionSummary[]> {
		return await waitFor(
			`every execution of ${SCHEDULE} settled and listed`,
			async () => {
				const executions = await executionsOf(session, SCHEDULE);
				const listed = 2 * executions.length >= paid().length;
				return executions.every(isSettled) && listed ? executions : undefined;
			},
			60_000,
			1000,
		);
	}

	it(
		'keeps withdrawing every second across token expiries, logging in again by itself, each withdrawal paid once',
		async () => {
			await waitFor(
				'four logins and twelve withdrawals by the schedule',
				() => world.sandbox.logins() >= 4 && paid().length >= 12,
				120_000,
			);
			await deactivateWorkflow(session, SCHEDULE);
			const executions = await settledExecutions();

			expect(executions.length).toBeGreaterThanOrEqual(6);
			expect(executions.map((execution) => execution.status)).toEqual(
				executions.map(() => 'success'),
			);
			const confirmations: IDataObject[] = [];
			for (const execution of executions) {
				const { main, errors } = outputsOf(await executionRun(session, execution.id));
				expect(errors).toEqual([]);
				expect(main.map((item) => item.accountId)).toEqual([1001, 1002]);
				confirmations.push(...main);
			}
			// Every item of every run paid exactly once: the outputs and ETNA's ledger are the same set.
			const fromOutputs = confirmations
				.map(
					(item) => `${String(item.accountId)} ${String(item.CreateDate)} ${String(item.Amount)}`,
				)
				.sort();
			const fromLedger = paid()
				.map((row) => `${row.AccountId} ${row.Date} ${row.Value}`)
				.sort();
			expect(fromOutputs).toEqual(fromLedger);

			const logins = world.issuedTokens.slice(issuedBefore);
			expect(logins.length).toBe(world.sandbox.logins());
			expect(logins.length).toBeGreaterThanOrEqual(4);
			const posts = world.withdrawals();
			log(
				`schedule: ${executions.length} executions, ${logins.length} logins, ${posts.length} withdrawal requests, ${fromLedger.length} paid`,
			);
			for (const token of logins) {
				const sentWith = posts.filter((request) => bearerOf(request) === token).length;
				// Withdrawals went on after each login, and a refused token was replaced after one 401.
				expect(sentWith).toBeGreaterThanOrEqual(1);
				expect(sentWith).toBeLessThanOrEqual(MAX_USES + 1);
			}
		},
		5 * 60_000,
	);

	it("runs the credential's Test button (Administrator Login): a good login and a good PIN pass; a wrong password, a two-factor user, a regular user, a wrong PIN and a missing PIN each get their message", async () => {
		world.sandbox.model.tokenPolicy = {};
		const testLogin = (id: string) => testCredential(session, etnaCredential(id, loginData(id)));

		expect(await testLogin(ADMIN)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testLogin(WRONG_PASSWORD)).toEqual({
			status: 'Error',
			message:
				'ETNA refused the login of "admin" (HTTP 401): the username or the password is wrong. ETNA said: "Invalid credentials"',
		});
		expect(await testLogin(TWO_FACTOR)).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^ETNA asks "admin2fa" for a two-factor verification code, which an unattended workflow cannot type\./,
			),
		});
		expect(await testLogin(TRADER)).toEqual({
			status: 'Error',
			message: TEST_BUTTON_REFUSALS.token,
		});
		expect(await testLogin(PIN)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testLogin(WRONG_PIN)).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^ETNA refused the security PIN of "adminpin" \(HTTP 401\): the Security PIN is wrong\./,
			),
		});
		expect(await testLogin(NO_PIN)).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/this login asks for a security PIN: add it to the credential\./,
			),
		});
	});

	it('leaves no password, app key or issued token in what n8n stored, nor in its output', async () => {
		await server?.stop();
		const stored = storedText(world.n8n);
		const printed = world.n8n.output.join('');
		// The schedule's executions are there (a confirmation's date), and no secret is.
		const lastPaid = world.sandbox.model
			.transactionsOf(1001)
			.filter((row) => row.Description === 'Withdrawal')
			.pop();
		expect(stored).toContain(String(lastPaid?.Date));
		expect(printed).toContain(SCHEDULE);
		const secrets = [
			world.appKey,
			wrongPassword,
			wrongPin,
			pinOfAdminpin(),
			...world.users.map((user) => user.password),
			...world.issuedTokens,
		];
		// Admin, trader and two-factor logins all issued tokens, interim ones included.
		expect(world.issuedTokens.length).toBeGreaterThanOrEqual(8);
		for (const secret of secrets) {
			expect(stored).not.toContain(secret);
			expect(printed).not.toContain(secret);
		}
	});
});
