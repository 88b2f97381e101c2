// The package inside a real n8n (the pinned version, installed as n8n installs community
// packages), with workflows and credentials imported through n8n's CLI, against the sandbox.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { ensureN8n } from '../../scripts/n8n/install';
import {
	createN8nInstance,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	publishWorkflow,
	type ExecutionResult,
	type N8nInstance,
} from '../../scripts/n8n/instance';
import { packPackage } from '../../scripts/n8n/package';
import { startN8n, waitForPostWebhook, type RunningN8n } from '../../scripts/n8n/server';
import { projectRoot } from '../../scripts/project';
import { startEtnaSandbox, type EtnaSandbox } from '../../sandbox/server';

const APP_KEY = `e2e-key-${process.pid}-${Date.now()}`;
const EXAMPLE_CREDENTIAL_ID = 'etnaSandboxCred1';

let sandbox: EtnaSandbox;
let n8n: N8nInstance;
let adminToken: string;
let traderToken: string;
let tarball: string | undefined;

/** An ETNA Trader API credential for the sandbox: an admin's token, unless `changes` say otherwise. */
function credentialData(changes: IDataObject): IDataObject {
	return {
		baseUrl: `${sandbox.apiUrl}/`,
		apiVersion: '1.0',
		appKey: APP_KEY,
		authMethod: 'token',
		token: adminToken,
		...changes,
	};
}

function example(name: string): IDataObject {
	return JSON.parse(
		readFileSync(path.join(projectRoot(), 'examples', name), 'utf8'),
	) as IDataObject;
}

/** Manual Trigger > a list of payouts > one item each > ETNA Trader Withdraw. */
function batchWorkflow(
	id: string,
	credentialId: string,
	payouts: IDataObject[],
	onError?: 'continueErrorOutput',
): IDataObject {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-1`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-2`,
				name: 'Payouts',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ payouts }), options: {} },
			},
			{
				id: `${id}-3`,
				name: 'One item each',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'payouts', options: {} },
			},
			{
				id: `${id}-4`,
				name: 'Withdraw',
				type: 'n8n-nodes-etna-trader.etnaTrader',
				typeVersion: 1,
				position: [600, 0],
				...(onError ? { onError } : {}),
				parameters: {
					resource: 'tradingAccount',
					operation: 'withdraw',
					accountId: '={{ $json.accountId }}',
					amount: '={{ $json.amount }}',
					options: {},
				},
				credentials: { etnaTraderApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Payouts', type: 'main', index: 0 }]] },
			Payouts: { main: [[{ node: 'One item each', type: 'main', index: 0 }]] },
			'One item each': { main: [[{ node: 'Withdraw', type: 'main', index: 0 }]] },
		},
	};
}

function outputs(
	result: ExecutionResult,
	node = 'Withdraw',
): { main: IDataObject[]; errors: IDataObject[] } {
	const main = result.data.resultData.runData[node]?.[0]?.data?.main ?? [];
	return {
		main: (main[0] ?? []).map((item) => item.json),
		errors: (main[1] ?? []).map((item) => item.json),
	};
}

const payouts = [
	{ accountId: 1001, amount: 10 },
	{ accountId: 1002, amount: 20.5 },
	{ accountId: 1003, amount: 0.3 },
];

beforeAll(async () => {
	const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
	const install = await ensureN8n(log);
	tarball = await packPackage();
	sandbox = await startEtnaSandbox({ appKeys: [APP_KEY] });
	adminToken = sandbox.model.issueToken('admin');
	traderToken = sandbox.model.issueToken('trader');
	n8n = await createN8nInstance(install, tarball);
	log(`n8n ${install.pins.n8n} in ${n8n.userFolder}, sandbox at ${sandbox.apiUrl}`);

	const credential = (id: string, data: IDataObject) => ({
		id,
		name: id,
		type: 'etnaTraderApi',
		data: credentialData(data),
	});
	await importCredentials(n8n, [
		{ ...credential(EXAMPLE_CREDENTIAL_ID, {}), name: 'ETNA Trader API (sandbox)' },
		credential('etnaNonAdmin0001', { token: `Bearer ${traderToken}` }),
		credential('etnaWrongKey0001', { appKey: 'not-the-key' }),
	]);
	await importWorkflows(n8n, [
		batchWorkflow('e2eBatch00000001', EXAMPLE_CREDENTIAL_ID, payouts, 'continueErrorOutput'),
		batchWorkflow(
			'e2eNonAdmin00001',
			'etnaNonAdmin0001',
			payouts.slice(0, 2),
			'continueErrorOutput',
		),
		batchWorkflow(
			'e2eWrongKey00001',
			'etnaWrongKey0001',
			payouts.slice(0, 1),
			'continueErrorOutput',
		),
		batchWorkflow(
			'e2eBadInput00001',
			EXAMPLE_CREDENTIAL_ID,
			[
				{ accountId: 'abc', amount: 5 },
				{ accountId: 1001, amount: 1.005 },
			],
			'continueErrorOutput',
		),
		batchWorkflow('e2eStop000000001', EXAMPLE_CREDENTIAL_ID, [
			{ accountId: 1001, amount: 10 },
			{ accountId: 1002, amount: 999999 },
		]),
		example('nightly-sweep.json'),
	]);
}, 20 * 60_000);

afterAll(async () => {
	await sandbox?.close();
	// Each run's n8n folder is ~50 MB; ETNA_KEEP_E2E=1 keeps it for a look after a failure.
	if (!process.env.ETNA_KEEP_E2E) {
		if (n8n) rmSync(n8n.userFolder, { recursive: true, force: true });
		if (tarball) rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
});

beforeEach(() => {
	sandbox.model.resetAccounts();
	sandbox.clearRequests();
});

describe('a manually run workflow', () => {
	it('withdraws every item and outputs the API answers; the balances move by exactly their sum', async () => {
		const result = await executeWorkflow(n8n, 'e2eBatch00000001');

		const { main, errors } = outputs(result);
		expect(errors).toEqual([]);
		expect(main).toEqual(
			payouts.map(({ accountId, amount }) => ({
				Amount: -amount,
				CreateDate: expect.stringMatching(/Z$/),
				Description: '',
				accountId,
			})),
		);
		const total = [1001, 1002, 1003].reduce((sum, id) => sum + sandbox.model.cashOf(id), 0);
		expect(Math.round((100000 + 2500 + 50000 - total) * 100) / 100).toBe(30.8);
		expect(sandbox.apiRequests().map((request) => request.url)).toEqual([
			'/api/v1.0/accounts/1001/withdrawal?withdrowalValue=10',
			'/api/v1.0/accounts/1002/withdrawal?withdrowalValue=20.5',
			'/api/v1.0/accounts/1003/withdrawal?withdrowalValue=0.3',
		]);
	});

	it('sends every item of a non-admin token to the error output with the 401 message, each sent once', async () => {
		const { main, errors } = outputs(await executeWorkflow(n8n, 'e2eNonAdmin00001'));

		expect(main).toEqual([]);
		expect(errors).toHaveLength(2);
		for (const error of errors) {
			expect(error.error).toMatch(
				/^ETNA refused the token \(HTTP 401\): withdrawals need an ETNA administrator's token/,
			);
			expect(error.details).toMatchObject({ httpCode: 401, outcome: 'rejected' });
		}
		// One request per item: n8n's re-send after a 401 does not happen for a withdrawal.
		expect(sandbox.apiRequests()).toHaveLength(2);
		expect(sandbox.model.cashOf(1001)).toBe(100000);
	});

	it('says a wrong Et-App-Key is the problem (403)', async () => {
		const { errors } = outputs(await executeWorkflow(n8n, 'e2eWrongKey00001'));

		expect(errors[0].error).toMatch(/^ETNA refused the app key \(HTTP 403\)/);
	});

	it('sends bad input to the error output and nothing to ETNA', async () => {
		const { main, errors } = outputs(await executeWorkflow(n8n, 'e2eBadInput00001'));

		expect(main).toEqual([]);
		expect(errors.map((error) => error.error)).toEqual([
			expect.stringMatching(/^Item 0: Account ID "abc" is not valid/),
			expect.stringMatching(/^Item 1: Amount 1.005 is not valid/),
		]);
		expect(sandbox.apiRequests()).toEqual([]);
	});

	it('with "On Error: Stop Workflow" fails the execution with the node\'s message', async () => {
		const result = await executeWorkflow(n8n, 'e2eStop000000001');

		expect(result.data.resultData.error?.message).toMatch(
			/^ETNA rejected the withdrawal of 999999 from account 1002 \(HTTP 422\)\. ETNA said: "Insufficient funds/,
		);
		expect(result.data.resultData.error?.description).toMatch(/item\(s\) 0 were completed in ETNA/);
	});

	it('runs the nightly-sweep example as it ships', async () => {
		const { main, errors } = outputs(await executeWorkflow(n8n, 'etnaNightlySwp01'));

		expect(errors).toEqual([]);
		expect(main.map((item) => [item.accountId, item.Amount])).toEqual([
			[1003, -100],
			[1004, -50.25],
		]);
	});
});

describe('published workflows on a running n8n', () => {
	let server: RunningN8n | undefined;

	beforeAll(async () => {
		const sweepEverySecond = example('nightly-sweep.json');
		const trigger = (sweepEverySecond.nodes as IDataObject[])[0];
		trigger.parameters = { rule: { interval: [{ field: 'seconds', secondsInterval: 1 }] } };
		await importWorkflows(n8n, [example('withdraw-on-webhook.json'), sweepEverySecond]);
		await publishWorkflow(n8n, 'etnaWebhookPay01');
		await publishWorkflow(n8n, 'etnaNightlySwp01');
		server = await startN8n(n8n);
		await waitForPostWebhook(server, 'etna-withdraw');
	}, 5 * 60_000);

	afterAll(async () => {
		await server?.stop();
	});

	async function postPayout(body: unknown): Promise<{ status: number; body: IDataObject }> {
		const response = await fetch(`${server?.url}/webhook/etna-withdraw`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as IDataObject };
	}

	it('answers a webhook POST with the withdrawal', async () => {
		const answer = await postPayout({ accountId: 1001, amount: 25 });

		expect(answer).toEqual({
			status: 200,
			body: { Amount: -25, CreateDate: expect.any(String), Description: '', accountId: 1001 },
		});
		expect(sandbox.model.cashOf(1001)).toBe(99975);
	});

	it('answers a bad webhook POST with a 4xx and the error message, sending nothing', async () => {
		const answer = await postPayout({ accountId: '1001/../1002', amount: 25 });

		expect(answer.status).toBe(400);
		expect(answer.body.error).toMatch(/^Item 0: Account ID "1001\/..\/1002" is not valid/);
		expect(answer.body.details).toMatchObject({ outcome: 'notSent' });
		expect(
			sandbox
				.apiRequests()
				.filter(
					(request) =>
						request.path.includes('/accounts/1001') || request.path.includes('/accounts/1002'),
				),
		).toEqual([]);
	});

	it("answers a refused withdrawal with a 422 and ETNA's reason", async () => {
		const answer = await postPayout({ accountId: 1002, amount: 1000000 });

		expect(answer.status).toBe(422);
		expect(answer.body.error).toMatch(/Insufficient funds/);
	});

	it('runs a Schedule Trigger workflow (every second) that withdraws', async () => {
		const deadline = Date.now() + 60_000;
		while (
			Date.now() < deadline &&
			!sandbox.apiRequests().some((request) => request.path.endsWith('/1004/withdrawal'))
		) {
			await new Promise((resolve) => setTimeout(resolve, 250));
		}

		expect(sandbox.apiRequests().some((request) => request.path.endsWith('/1004/withdrawal'))).toBe(
			true,
		);
		expect(sandbox.model.cashOf(1004)).toBeLessThan(750.5);
	});

	it("runs the credential's Test button in n8n: success, then a 403 and a 401 message that say what is wrong", async () => {
		const owner = await fetch(`${server?.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				email: 'owner@example.com',
				firstName: 'E2E',
				lastName: 'Owner',
				password: `Pw-${APP_KEY}-1`,
			}),
		});
		expect(owner.status).toBe(200);
		const cookie = (owner.headers.get('set-cookie') ?? '').split(';')[0];
		const testCredential = async (data: IDataObject) => {
			const response = await fetch(`${server?.url}/rest/credentials/test`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({
					credentials: {
						id: EXAMPLE_CREDENTIAL_ID,
						name: 'test',
						type: 'etnaTraderApi',
						data: credentialData(data),
					},
				}),
			});
			return ((await response.json()) as { data: IDataObject }).data;
		};

		expect(await testCredential({})).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testCredential({ appKey: 'wrong' })).toEqual({
			status: 'Error',
			message:
				'ETNA refused the App Key (HTTP 403): the Et-App-Key is wrong; copy it from BO Companies, WebApi tab',
		});
		expect(await testCredential({ token: traderToken })).toEqual({
			status: 'Error',
			message:
				"ETNA refused the token (HTTP 401): it is not an ETNA administrator's token, or it has expired",
		});
		const tests = sandbox.apiRequests().filter((request) => request.path === '/api/v1.0/accounts');
		expect(tests.length).toBeGreaterThanOrEqual(3);
		expect(
			tests.every((request) => request.method === 'GET' && request.query.pageSize?.[0] === '1'),
		).toBe(true);
	});

	it('leaves no token or app key in the database n8n stored, nor in its output', async () => {
		await server?.stop();
		const files = readdirSync(path.join(n8n.userFolder, '.n8n')).filter((file) =>
			file.startsWith('database.sqlite'),
		);
		expect(files.length).toBeGreaterThan(0);
		const stored = files
			.map((file) => readFileSync(path.join(n8n.userFolder, '.n8n', file)).toString('latin1'))
			.join('');
		// The executions are there (this run's webhook answer), and no secret is.
		expect(stored).toContain('Insufficient funds');
		const printed = n8n.output.join('');
		expect(printed).toContain('etnaWebhookPay01');
		for (const secret of [adminToken, traderToken, APP_KEY]) {
			expect(stored).not.toContain(secret);
			expect(printed).not.toContain(secret);
		}
	});
});
