// The package in n8n's queue mode: one main and two workers (the pinned n8n, the package
// installed in each as n8n installs community packages) sharing PostgreSQL and Redis, against
// the sandbox. What one n8n process cannot show: which process pays, logins shared through the
// database, a worker that dies half-way through a batch, and which process polls a trigger.
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { createN8nCluster, type N8nCluster, type StoredExecution } from '../../scripts/n8n/cluster';
import { ensureN8n } from '../../scripts/n8n/install';
import { importCredentials, importWorkflows, publishWorkflow } from '../../scripts/n8n/instance';
import { packPackage } from '../../scripts/n8n/package';
import { removeFolder } from '../../scripts/n8n/processes';
import { waitForPostWebhook } from '../../scripts/n8n/server';
import type { EtnaSandbox } from '../../sandbox/server';
import { activateWorkflow, deactivateWorkflow, isSettled, ownerSession } from '../realN8n/rest';
import {
	addLedgerRows,
	credentialData,
	etnaCredential,
	freshSandboxBeforeEach,
	requestLog,
	startSandboxWorld,
	userNamed,
	type SandboxWorld,
} from '../realN8n/sandboxWorld';
import { seconds, waitFor } from '../realN8n/waitFor';
import {
	ETNA_NODE_TYPE,
	etnaCredentialRef,
	eventIdsOf,
	example,
	outputsOf,
	paidAnswer,
	postToWebhook,
	transactionTriggerWorkflow,
	webhookBatchWorkflow,
} from '../realN8n/workflows';
import { accountOf, countByAccount } from '../support/sandboxRequests';

const TOKEN_CREDENTIAL = 'etnaSandboxCred1';
const LOGIN_CREDENTIAL = 'etnaLoginCred001';
const PAY_WORKFLOW = 'etnaWebhookPay01';
const LOGIN_WORKFLOW = 'etnaLoginPay0001';
const BATCH_WORKFLOW = 'etnaBatchPay0001';
const TRIGGER_WORKFLOW = 'etnaTriggerPoll1';
/** The trigger's accounts, and one beside them it must not read: none the other tests pay. */
const TRIGGER_WATCHED = [1110, 1111];
const TRIGGER_UNWATCHED = 1112;

/** Every secret the cluster was given or got: none may reach its database or its output. */
const secrets = new Set<string>();

/** A measurement, printed in the test output and kept for the summary at the end. */
const measurements: string[] = [];
function report(line: string): void {
	measurements.push(line);
	process.stdout.write(`[queue] ${line}\n`);
}

/** The shipped webhook example on another path, with another id and credential. */
function webhookCopy(id: string, webhookPath: string, credentialId: string): IDataObject {
	const workflow = example('withdraw-on-webhook.json');
	const nodes = (workflow.nodes as IDataObject[]).map((node) => {
		if (node.type === 'n8n-nodes-base.webhook') {
			return {
				...node,
				webhookId: `${id}-hook`,
				parameters: { ...(node.parameters as IDataObject), path: webhookPath },
			};
		}
		if (node.type === ETNA_NODE_TYPE) {
			return { ...node, credentials: etnaCredentialRef(credentialId) };
		}
		return node;
	});
	return { ...workflow, id, name: id, nodes };
}

/**
 * A batch of payouts in one execution: the webhook answers at once, then Split Out and Withdraw
 * (3 at a time). `paidSince` in the body, when given, is Skip If Already Paid Since.
 */
function batchWorkflow(): IDataObject {
	return webhookBatchWorkflow(BATCH_WORKFLOW, TOKEN_CREDENTIAL, 'etna-batch', {
		concurrency: 3,
		skipIfPaidSince: "={{ $('Batch received').first().json.body.paidSince ?? '' }}",
	});
}

/** Payouts to consecutive accounts, each its own amount (so a ledger row names its payout). */
function payoutsFrom(
	firstAccount: number,
	count: number,
	base: number,
): Array<{ accountId: number; amount: number }> {
	return Array.from({ length: count }, (_, index) => ({
		accountId: firstAccount + index,
		amount: Math.round((base + index / 100) * 100) / 100,
	}));
}

describe('n8n in queue mode: one main, two workers, PostgreSQL and Redis', () => {
	let world: SandboxWorld;
	let sandbox: EtnaSandbox;
	let cluster: N8nCluster | undefined;
	let tarball: string | undefined;

	beforeAll(async () => {
		const begin = Date.now();
		const log = (line: string) => process.stdout.write(`[queue] ${line}\n`);
		const install = await ensureN8n(log);
		tarball = await packPackage();
		// 1001-1005 as seeded, then generated accounts enough for every test to use its own.
		world = await startSandboxWorld({ keyPrefix: 'queue-key', accountCount: 160 });
		sandbox = world.sandbox;
		const adminPassword = userNamed(world, 'admin').password;
		for (const secret of [world.appKey, adminPassword, world.ownerPassword]) secrets.add(secret);
		const adminToken = sandbox.model.issueToken('admin');
		secrets.add(adminToken);
		const credential = (id: string, data: IDataObject) =>
			etnaCredential(id, credentialData(world, data));
		cluster = await createN8nCluster(install, tarball, { workers: 2, log });
		const importsBegin = Date.now();
		await importCredentials(cluster.main, [
			credential(TOKEN_CREDENTIAL, { authMethod: 'token', token: adminToken }),
			// No session token yet: the first executions log in.
			credential(LOGIN_CREDENTIAL, {
				authMethod: 'login',
				username: 'admin',
				password: adminPassword,
			}),
		]);
		await importWorkflows(cluster.main, [
			example('withdraw-on-webhook.json'),
			webhookCopy(LOGIN_WORKFLOW, 'etna-withdraw-login', LOGIN_CREDENTIAL),
			batchWorkflow(),
			// Published by its test only: its polls would add ledger reads to every other test's log.
			transactionTriggerWorkflow(TRIGGER_WORKFLOW, TOKEN_CREDENTIAL, TRIGGER_WATCHED),
		]);
		for (const id of [PAY_WORKFLOW, LOGIN_WORKFLOW, BATCH_WORKFLOW]) {
			await publishWorkflow(cluster.main, id);
		}
		const importsMs = Date.now() - importsBegin;
		await cluster.start();
		for (const webhook of ['etna-withdraw', 'etna-withdraw-login', 'etna-batch']) {
			await waitForPostWebhook(cluster.mainServer(), webhook);
		}
		const { servicesMs, packagesMs, processesMs } = cluster.timings;
		report(
			`cluster up in ${seconds(Date.now() - begin)} (PostgreSQL and Redis ${seconds(servicesMs)}, package into 3 folders ${seconds(packagesMs)}, CLI imports and publish ${seconds(importsMs)}, main and 2 workers ${seconds(processesMs)})`,
		);
	}, 20 * 60_000);

	afterAll(async () => {
		await cluster?.stop();
		await sandbox?.close();
		if (tarball) removeFolder(path.dirname(tarball));
		if (measurements.length) {
			const lines = measurements.map((line) => `  ${line}`).join('\n');
			process.stdout.write(`[queue] measured:\n${lines}\n`);
		}
	}, 5 * 60_000);

	freshSandboxBeforeEach(() => sandbox);

	function live(): N8nCluster {
		if (!cluster) throw new Error('The cluster did not start');
		return cluster;
	}

	async function post(
		webhookPath: string,
		body: unknown,
	): Promise<{ status: number; body: IDataObject }> {
		return await postToWebhook(live().url, webhookPath, body);
	}

	let payoutNumber = 0;

	/** A payout to the webhook example, with the sender's own id of it unless given (its Idempotency Key). */
	async function postPayout(
		webhookPath: string,
		payout: IDataObject,
	): Promise<{ status: number; body: IDataObject }> {
		payoutNumber += 1;
		return await post(webhookPath, { payoutId: `po-${payoutNumber}`, ...payout });
	}

	/** Withdrawal requests the sandbox received since the last reset, by account. */
	function withdrawalsByAccount(): Map<number, number> {
		return countByAccount(world.withdrawals());
	}

	/** The account's ledger rows for withdrawals of exactly `amount` (the seeded rows are deposits). */
	function paymentsOf(accountId: number, amount: number): number {
		return sandbox.model
			.transactionsOf(accountId)
			.filter(
				(row) =>
					row.Type === 'Payment' && Math.round(row.Value * 100) === -Math.round(amount * 100),
			).length;
	}

	/** Waits until the workflow has `count` executions after `known` that n8n has settled. */
	async function settledExecutions(
		workflowId: string,
		known: number,
		count: number,
		timeoutMs = 120_000,
	): Promise<StoredExecution[]> {
		return await waitFor(
			`${count} settled executions of ${workflowId}`,
			async () => {
				const executions = (await live().executionsOf(workflowId)).slice(known);
				const settled = executions.filter(isSettled);
				return settled.length >= count ? executions : undefined;
			},
			timeoutMs,
		);
	}

	/** Which worker ran each execution, from the workers' logs (a line may arrive a moment late). */
	async function workersOf(executions: StoredExecution[]): Promise<number[]> {
		return await waitFor('the workers to log their executions', () => {
			const workers = executions.map((execution) => live().workerOf(execution.id));
			return workers.every((worker) => worker !== undefined) ? (workers as number[]) : undefined;
		});
	}

	it("answers a webhook payout with ETNA's confirmation, the execution run by a worker and not by main", async () => {
		const known = (await live().executionsOf(PAY_WORKFLOW)).length;

		const answer = await postPayout('etna-withdraw', { accountId: 1001, amount: 25 });

		expect(answer).toEqual(paidAnswer({ accountId: 1001, amount: 25 }));
		expect(sandbox.model.cashOf(1001)).toBe(99975);
		const executions = await settledExecutions(PAY_WORKFLOW, known, 1);
		expect(executions.map((execution) => [execution.mode, execution.status])).toEqual([
			['webhook', 'success'],
		]);
		const [worker] = await workersOf(executions);
		expect([0, 1]).toContain(worker);
		expect(live().main.output.join('')).not.toMatch(/Worker started execution/);
	});

	it('pays each of 40 webhook calls made at once exactly once, and both workers take some', async () => {
		const known = (await live().executionsOf(PAY_WORKFLOW)).length;
		const payouts = payoutsFrom(1006, 40, 1);
		// Slow answers keep executions in flight together, as a burst of real payouts would.
		sandbox.latencyMs = 200;

		const begin = Date.now();
		const answers = await Promise.all(
			payouts.map(async (payout) => await postPayout('etna-withdraw', payout)),
		);
		report(
			`40 webhook payouts at once answered in ${seconds(Date.now() - begin)} (ETNA answering in 200 ms)`,
		);

		expect(answers).toEqual(payouts.map(paidAnswer));
		const withdrawals = withdrawalsByAccount();
		expect([...withdrawals.keys()].sort((left, right) => left - right)).toEqual(
			payouts.map((payout) => payout.accountId),
		);
		expect([...withdrawals.values()].every((count) => count === 1)).toBe(true);
		for (const { accountId, amount } of payouts) expect(paymentsOf(accountId, amount)).toBe(1);
		const executions = await settledExecutions(PAY_WORKFLOW, known, 40);
		expect(executions).toHaveLength(40);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		const workers = await workersOf(executions);
		report(
			`40 payouts split between the workers: ${[0, 1].map((index) => workers.filter((worker) => worker === index).length).join(' and ')}`,
		);
		expect(new Set(workers)).toEqual(new Set([0, 1]));
	});

	/** Rounds of each retry storm below: the figures that matter come from several runs. */
	const ROUNDS = 3;

	it(`one payout posted twenty times at once (${ROUNDS} rounds, each its own payout): one withdrawal per round, both workers claiming`, async () => {
		sandbox.latencyMs = 200;
		const lines: string[] = [];
		for (let round = 0; round < ROUNDS; round += 1) {
			sandbox.clearRequests();
			const known = (await live().executionsOf(PAY_WORKFLOW)).length;
			const payout = { payoutId: `storm-${round}`, accountId: 1096 + round, amount: 11 };

			const begin = Date.now();
			const answers = await Promise.all(
				Array.from({ length: 20 }, async () => await postPayout('etna-withdraw', payout)),
			);
			const tookMs = Date.now() - begin;

			const executions = await settledExecutions(PAY_WORKFLOW, known, 20);
			const workers = await workersOf(executions);
			const sent = withdrawalsByAccount().get(payout.accountId) ?? 0;
			const duplicates = answers.filter((answer) => answer.body.duplicate === true);
			lines.push(
				`round ${round + 1}: ${sent} withdrawal(s), ${duplicates.length} duplicates (first attempt ${[...new Set(duplicates.map((answer) => String(answer.body.firstAttempt)))].join('/')}), executions per worker ${[0, 1].map((index) => workers.filter((worker) => worker === index).length).join(' and ')}, answered in ${seconds(tookMs)}`,
			);
			expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
			expect(sent).toBe(1);
			expect(paymentsOf(payout.accountId, payout.amount)).toBe(1);
			expect(duplicates).toHaveLength(19);
			expect(new Set(workers)).toEqual(new Set([0, 1]));
		}
		report(`Idempotency Key, 20 identical payouts at once:\n    ${lines.join('\n    ')}`);
	});

	it(`ten payouts each posted twice, interleaved, all at once (${ROUNDS} rounds): one withdrawal per payout`, async () => {
		sandbox.latencyMs = 100;
		const lines: string[] = [];
		for (let round = 0; round < ROUNDS; round += 1) {
			sandbox.clearRequests();
			const known = (await live().executionsOf(PAY_WORKFLOW)).length;
			const payouts = payoutsFrom(1121 + 10 * round, 10, 4).map((payout, index) => ({
				...payout,
				payoutId: `pair-${round}-${index}`,
			}));

			const answers = await Promise.all(
				[...payouts, ...payouts].map(async (payout) => await postPayout('etna-withdraw', payout)),
			);

			await settledExecutions(PAY_WORKFLOW, known, 20);
			const perPayout = payouts.map(({ accountId }) => withdrawalsByAccount().get(accountId) ?? 0);
			lines.push(
				`round ${round + 1}: withdrawals per payout [${perPayout.join(', ')}], ${answers.filter((answer) => answer.body.duplicate === true).length} duplicates`,
			);
			expect(perPayout).toEqual(payouts.map(() => 1));
			for (const { accountId, amount } of payouts) expect(paymentsOf(accountId, amount)).toBe(1);
			expect(answers.filter((answer) => answer.body.duplicate === true)).toHaveLength(10);
		}
		report(`Idempotency Key, 10 payouts sent twice each:\n    ${lines.join('\n    ')}`);
	});

	it('sends a bad amount to the error branch: a 400 with the reason, and nothing to ETNA', async () => {
		const known = (await live().executionsOf(PAY_WORKFLOW)).length;

		const answer = await postPayout('etna-withdraw', { accountId: 1001, amount: -5 });

		expect(answer.status).toBe(400);
		expect(answer.body.error).toMatch(/^Item \d+: Amount -5 is not valid/);
		expect(answer.body.details).toMatchObject({ outcome: 'notSent' });
		expect(sandbox.apiRequests()).toEqual([]);
		expect(sandbox.model.cashOf(1001)).toBe(100000);
		await workersOf(await settledExecutions(PAY_WORKFLOW, known, 1));
	});

	it('with the Administrator Login, 20 executions that start together on a credential with no token yet pay once each, logging in at most once per worker', async () => {
		const known = (await live().executionsOf(LOGIN_WORKFLOW)).length;
		const loginsBefore = sandbox.logins();
		const payouts = payoutsFrom(1046, 20, 2);
		// A slow /token keeps every execution waiting on the first login, on both workers.
		sandbox.latencyMs = 300;

		const answers = await Promise.all(
			payouts.map(async (payout) => await postPayout('etna-withdraw-login', payout)),
		);

		expect(answers.map((answer) => [answer.status, answer.body.accountId])).toEqual(
			payouts.map(({ accountId }) => [200, accountId]),
		);
		const logins = sandbox.logins() - loginsBefore;
		const executions = await settledExecutions(LOGIN_WORKFLOW, known, 20);
		const workers = await workersOf(executions);
		const tokens = new Set(
			world.withdrawals().map((request) => String(request.headers.authorization)),
		);
		report(
			`login credential, 20 executions at once: ${logins} login(s), ${tokens.size} token(s) used, executions per worker ${[0, 1].map((index) => workers.filter((worker) => worker === index).length).join(' and ')}`,
		);
		for (const token of tokens) secrets.add(token.replace(/^Bearer /, ''));
		expect(logins).toBeGreaterThanOrEqual(1);
		expect(logins).toBeLessThanOrEqual(new Set(workers).size);
		expect(tokens.size).toBeLessThanOrEqual(logins);
		const withdrawals = withdrawalsByAccount();
		expect([...withdrawals.keys()].sort((left, right) => left - right)).toEqual(
			payouts.map((payout) => payout.accountId),
		);
		expect([...withdrawals.values()].every((count) => count === 1)).toBe(true);
		for (const { accountId, amount } of payouts) expect(paymentsOf(accountId, amount)).toBe(1);
	});

	it('a worker killed with SIGKILL mid-batch pays no amount twice; n8n marks the execution failed; a re-run with Skip If Already Paid Since pays only the missing items', async () => {
		const payouts = payoutsFrom(1066, 30, 3);
		// 1 s per answer, 3 at a time: the batch takes about 10 s, time enough to kill its worker.
		sandbox.latencyMs = 1000;

		expect(await post('etna-batch', { payouts })).toEqual({
			status: 200,
			body: { message: 'Workflow was started' },
		});
		const [execution] = await waitFor('the batch execution', async () => {
			const executions = await live().executionsOf(BATCH_WORKFLOW);
			return executions.length === 1 && executions[0].startedAt !== null ? executions : undefined;
		});
		const [victim] = await workersOf([execution]);
		await waitFor('a third of the batch to reach ETNA', () =>
			withdrawalsByAccount().size >= 10 ? true : undefined,
		);
		const killedAt = Date.now();
		await live().killWorker(victim);
		const paidAtKill = withdrawalsByAccount();
		expect(paidAtKill.size).toBeLessThan(30);

		const verdict = await waitFor(
			"n8n's verdict on the execution",
			async () => {
				const [stored] = await live().executionsOf(BATCH_WORKFLOW);
				return ['new', 'running'].includes(stored.status) ? undefined : stored;
			},
			8 * 60_000,
			1000,
		);
		report(
			`worker ${victim} SIGKILLed after ${paidAtKill.size} of 30 withdrawals reached ETNA; n8n marked the execution "${verdict.status}" ${seconds(Date.now() - killedAt)} later`,
		);
		expect(verdict.status).toMatch(/^(error|crashed)$/);
		// Nobody ran the job again meanwhile: still the same payments, each account at most once.
		const afterVerdict = withdrawalsByAccount();
		expect(afterVerdict).toEqual(paidAtKill);
		expect([...afterVerdict.values()].every((count) => count === 1)).toBe(true);
		for (const { accountId, amount } of payouts) {
			expect(paymentsOf(accountId, amount)).toBe(paidAtKill.has(accountId) ? 1 : 0);
		}

		// The re-run: the same batch, skipping what the ledger shows paid since the first run began.
		sandbox.clearRequests();
		sandbox.latencyMs = 20;
		const paidSince = new Date(execution.startedAt ?? 0).toISOString();
		expect(await post('etna-batch', { payouts, paidSince })).toMatchObject({ status: 200 });
		const [, rerun] = await settledExecutions(BATCH_WORKFLOW, 0, 2);
		expect(rerun.status).toBe('success');

		const sentAgain = withdrawalsByAccount();
		expect([...sentAgain.keys()].sort((left, right) => left - right)).toEqual(
			payouts.map((payout) => payout.accountId).filter((accountId) => !paidAtKill.has(accountId)),
		);
		expect([...sentAgain.values()].every((count) => count === 1)).toBe(true);
		for (const { accountId, amount } of payouts) expect(paymentsOf(accountId, amount)).toBe(1);
		const { main: done, errors } = outputsOf({ data: await live().executionData(rerun.id) });
		expect(errors).toEqual([]);
		expect(done.map((item) => item.accountId)).toEqual(payouts.map((payout) => payout.accountId));
		expect(done.filter((item) => item.skipped === true).map((item) => item.accountId)).toEqual(
			payouts.map((payout) => payout.accountId).filter((accountId) => paidAtKill.has(accountId)),
		);
		report(
			`re-run with Skip If Already Paid Since: ${paidAtKill.size} skipped, ${sentAgain.size} paid; every account paid once in all`,
		);
	});

	/**
	 * The ledger reads the sandbox received since the last reset: account, and whether it notes
	 * where the ledger stands (the activation's read: no `Id >` bound) or reads what is new.
	 */
	function ledgerReads(): Array<{ accountId?: number; baseline: boolean }> {
		return world.ledgerReads().map((request) => ({
			accountId: accountOf(request),
			baseline: !(request.query.filter?.[0] ?? '').includes('Id >'),
		}));
	}

	it(
		'polls an ETNA Trader Trigger on main only: one execution per poll, run by a worker, each new ledger row once, one ledger read per watched account per poll',
		async () => {
			const begin = Date.now();
			const token = sandbox.model.issueToken('admin');
			secrets.add(token);
			const session = await ownerSession(live().mainServer(), live().main, world.ownerPassword);
			// Published now: the activation polls once (every ledger's newest row) and emits nothing.
			// The REST call returns before main's activation poll has read the ledgers: rows added
			// before those reads would be older than the trigger, so the test waits for them.
			await activateWorkflow(session, TRIGGER_WORKFLOW);
			await waitFor('the activation poll to read the watched ledgers', () =>
				TRIGGER_WATCHED.every((accountId) =>
					ledgerReads().some((read) => read.accountId === accountId),
				),
			);
			const perPoll: string[][] = [];
			const unwatched: string[] = [];
			let reads: Array<{ accountId?: number; baseline: boolean }> = [];
			try {
				// Rows right after the activation and right after each execution: every poll of the
				// window finds new rows, so each makes one execution.
				for (let poll = 1; poll <= 2; poll += 1) {
					const rows = await addLedgerRows(world, token, TRIGGER_WATCHED, TRIGGER_UNWATCHED);
					perPoll.push(rows.watched);
					unwatched.push(...rows.unwatched);
					await settledExecutions(TRIGGER_WORKFLOW, 0, poll, 150_000);
				}
				reads = ledgerReads();
			} catch (error) {
				throw new Error(`${String(error)}\n${requestLog(sandbox)}`);
			} finally {
				await deactivateWorkflow(session, TRIGGER_WORKFLOW);
			}

			const executions = await live().executionsOf(TRIGGER_WORKFLOW);
			expect(executions.map((execution) => [execution.mode, execution.status])).toEqual([
				['trigger', 'success'],
				['trigger', 'success'],
			]);
			const emitted = await Promise.all(
				executions.map(async (execution) =>
					eventIdsOf({ data: await live().executionData(execution.id) }),
				),
			);
			expect(emitted).toEqual(perPoll);
			expect(emitted.flat().filter((row) => unwatched.includes(row))).toEqual([]);
			const workers = await workersOf(executions);
			// Main polled (all three processes share 127.0.0.1, so by counts): the activation's one
			// read per watched account, then one per account per poll. Workers polling too would
			// make two or three times as many.
			const polls = 1 + executions.length;
			for (const accountId of TRIGGER_WATCHED) {
				const ofAccount = reads.filter((read) => read.accountId === accountId);
				expect({
					activation: ofAccount.filter((read) => read.baseline).length,
					afterActivation: ofAccount.filter((read) => !read.baseline).length,
				}).toEqual({ activation: 1, afterActivation: executions.length });
				expect(ofAccount).toHaveLength(polls);
			}
			expect(reads.filter((read) => read.accountId === TRIGGER_UNWATCHED)).toEqual([]);
			report(
				`trigger on main: ${polls} polls (activation included) in ${seconds(Date.now() - begin)}, ${reads.length} ledger reads for ${TRIGGER_WATCHED.length} accounts, executions run by worker(s) ${workers.join(' and ')}`,
			);
		},
		8 * 60_000,
	);

	it("leaves no token, app key or password in the shared database nor in any process's output", async () => {
		const stored = await live().dumpDatabase();
		// The executions are there, with what ETNA answered, and no secret is.
		expect(stored).toContain(BATCH_WORKFLOW);
		expect(stored).toContain('is not valid');
		const printed = [live().main, ...live().workers.map((worker) => worker.instance)]
			.map((instance) => instance.output.join(''))
			.join('');
		expect(printed).toContain('Worker started execution');
		for (const token of world.issuedTokens) secrets.add(token);
		expect(secrets.size).toBeGreaterThanOrEqual(4);
		for (const secret of secrets) {
			expect(stored).not.toContain(secret);
			expect(printed).not.toContain(secret);
		}
	});
});
