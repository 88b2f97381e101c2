// ETNA Trader as an AI Agent tool (issue 16) in a real n8n: n8n's AI Agent (the newest version of
// the line: v3.1 on 2.41.1, v3 on 1.123.81) with an OpenAI chat model pointed at a fake model
// server (test/realN8n/fakeModel.ts, which calls the tools a test scripts and records what n8n
// tells it), the ETNA node as tools, and on the current line the email "Send and Wait" review
// tool, whose mails reach a fake SMTP server (test/realN8n/fakeSmtp.ts) with the approve and
// decline links. On the current line an older AI Agent (v2.2, which runs a tool inside its own
// call) is tried too. One `n8n start` serves the file: the test workflows start from a published
// webhook; the shipped example starts from its Manual Trigger with `n8n execute`, and resumes in
// the running n8n when its approve link is opened. n8n's REST API gives each execution's status
// and run data; the sandbox records every request that reached "ETNA".
// Seen here when the node threw its refusals: the model got the error as the call's result on
// 2.41.1 with v3.1; the whole execution failed on 1.123.81 with v3 (the model was not asked
// again); with v2.2 on 2.41.1 LangChain's AgentExecutor handed the model "". So a tool answers
// with its refusal, and these tests hold every line and agent version to the model being told.
import { randomBytes } from 'node:crypto';

import { takeContractViolations } from '../../sandbox/contract';
import {
	freePort,
	importCredentials,
	importWorkflows,
	n8nCli,
	type N8nInstance,
} from '../../scripts/n8n/instance';
import { startN8n, waitForPostWebhook, type RunningN8n } from '../../scripts/n8n/server';
import {
	activateWorkflow,
	executionRun,
	executionsOf,
	ownerSession,
	runManually,
	type Session,
} from '../realN8n/rest';
import {
	AGENT_NODE,
	AGENT_VERSIONS,
	agentOutput,
	agentWorkflow,
	emailReviewNode,
	etnaToolNode,
	fakeModelCredential,
	fakeSmtpCredential,
	itemsOf,
	openAiChainWorkflow,
	runsOf,
	waitLimit,
	type AgentRun,
	type AgentTool,
} from '../realN8n/agentWorkflows';
import {
	startFakeModel,
	toolNames,
	toolResults,
	type FakeModel,
	type ModelScript,
	type RecordedModelRequest,
} from '../realN8n/fakeModel';
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from '../realN8n/fakeSmtp';
import {
	credentialData,
	etnaCredential,
	freshSandboxBeforeEach,
	requestLog,
} from '../realN8n/sandboxWorld';
import { seconds, waitFor } from '../realN8n/waitFor';
import { example, type NodeJson } from '../realN8n/workflows';
import { requestLine } from '../support/sandboxRequests';
import {
	EXAMPLE_CREDENTIAL_ID,
	LINE,
	log,
	N8N_LABEL,
	storedText,
	useWorld,
	type E2eWorld,
} from './support/world';

const CURRENT = LINE === 'current';
/**
 * Only on the current line (2.41.1): the review ("HitlTool") nodes. n8n 1.123.81 has none (its
 * n8n-nodes-base and n8n-workflow know no `emailSendHitlTool`), so the review cases, the shipped
 * example (built on one) and the older agent's cases (claims about 2.41.1) skip there.
 */
const itCurrent = CURRENT ? it : it.skip;

/** The line's newest AI Agent: v3.1 on 2.41.1, v3 on 1.123.81 (both ask n8n's engine to run tools). */
const AGENT_VERSION = AGENT_VERSIONS.newest[LINE];
/** The older AI Agent, which runs a tool inside its own call (n8n-core's makeHandleToolInvocation). */
const OLDER_AGENT_VERSION = AGENT_VERSIONS.inAgentCall;

const MODEL_CREDENTIAL = 'fakeModelCred001';
const SMTP_CREDENTIAL = 'fakeSmtpCred0001';
/** The credentials the example names, as shipped (their data is the fakes'). */
const EXAMPLE_MODEL_CREDENTIAL = { id: 'openAiAccount001', name: 'OpenAI account' };
const EXAMPLE_SMTP_CREDENTIAL = { id: 'smtpAccount00001', name: 'SMTP account' };
const EXAMPLE_FILE = 'ai-agent-withdraw-with-review.json';
const EXAMPLE_ID = 'etnaAgentReview1';
/** Words of the example's fixed prompt, which no test prompt has: its script's marker. */
const EXAMPLE_MARKER = 'Client account 1001 asks to withdraw 25 USD';

/** How every refusal of a money call as a tool opens. */
const REFUSED =
	"Withdraw moves money and runs as an AI Agent's tool only after a person approves the call in a human review step: refused, because";
/** Why, wired straight to the agent: on 2.41.1 no review tool asked; on 1.123.81 none exists. */
const NO_REVIEW_REFUSAL = CURRENT
	? `${REFUSED} the call came straight from "AI Agent", with no human review tool between it and this tool.`
	: `${REFUSED} this n8n has no human review tools (they came with n8n 2.x).`;
/** A review that passed the call on without a person's yes. */
const NOT_ANSWERED_REFUSAL = `${REFUSED} "Review" passed the call on without a person's yes through its buttons (its wait limit ran out, or an approval was written into the call).`;

/** The Withdraw tool, wired to a review whose wait limit is one minute. */
function withdrawBehindShortReview(): AgentTool[] {
	return [
		{
			tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID),
			review: emailReviewNode('Review', SMTP_CREDENTIAL, 'Withdrawal to review', waitLimit(1)),
		},
	];
}

/** Edit Fields before the agent: its input item carries an approval that no person gave. */
const APPROVAL_IN_INPUT: NodeJson = {
	name: 'Prepare the request',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	parameters: {
		mode: 'raw',
		jsonOutput: '={{ { body: $json.body, data: { approved: true } } }}',
		options: {},
	},
};

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A browser's User-Agent: n8n ignores a review link opened by a bot's (curl's, node's). */
const BROWSER_UA =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

const SETTLED = ['success', 'error', 'crashed', 'canceled'];

/** Maximum Amount of the directly wired Withdraw with Allow Without Human Review on. */
const MAX_AMOUNT = 500;

interface AgentCase {
	id: string;
	hookPath: string;
	tools: AgentTool[];
	agentVersion: number;
	beforeAgent?: NodeJson;
	/** Imported and published only on the current line. */
	currentOnly?: boolean;
}

/** The workflows of the suite: each a webhook > AI Agent with these tools. */
const WORKFLOWS = {
	balance: {
		id: 'e2eAgentBalance1',
		hookPath: 'agent-balance',
		tools: [{ tool: etnaToolNode('Get Balance', 'getBalance', EXAMPLE_CREDENTIAL_ID) }],
		agentVersion: AGENT_VERSION,
	},
	reviewed: {
		id: 'e2eAgentReview01',
		hookPath: 'agent-reviewed',
		tools: [
			{ tool: etnaToolNode('Get Balance', 'getBalance', EXAMPLE_CREDENTIAL_ID) },
			{
				tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID),
				// A wait limit, as users want one: a person's answer within it counts.
				review: emailReviewNode('Review', SMTP_CREDENTIAL, 'Withdrawal to review', waitLimit(45)),
			},
		],
		agentVersion: AGENT_VERSION,
		currentOnly: true,
	},
	timedOut: {
		id: 'e2eAgentTimeout1',
		hookPath: 'agent-timeout',
		tools: withdrawBehindShortReview(),
		agentVersion: AGENT_VERSION,
		currentOnly: true,
	},
	approvalInInput: {
		id: 'e2eAgentInject01',
		hookPath: 'agent-approval-in-input',
		tools: withdrawBehindShortReview(),
		agentVersion: AGENT_VERSION,
		beforeAgent: APPROVAL_IN_INPUT,
		currentOnly: true,
	},
	allowFromModel: {
		id: 'e2eAgentAllowAi1',
		hookPath: 'agent-allow-from-model',
		tools: [
			{
				tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID, {
					allowWithoutHumanReview:
						"={{ $fromAI('allow', 'Whether to skip the human review', 'boolean') }}",
				}),
			},
		],
		agentVersion: AGENT_VERSION,
	},
	direct: {
		id: 'e2eAgentDirect01',
		hookPath: 'agent-direct',
		tools: [{ tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID) }],
		agentVersion: AGENT_VERSION,
	},
	directAllowed: {
		id: 'e2eAgentAllowed1',
		hookPath: 'agent-direct-allowed',
		tools: [
			{
				tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID, {
					allowWithoutHumanReview: true,
					maxAmount: MAX_AMOUNT,
				}),
			},
		],
		agentVersion: AGENT_VERSION,
	},
	olderDirect: {
		id: 'e2eAgentOlder001',
		hookPath: 'agent-older-direct',
		tools: [{ tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID) }],
		agentVersion: OLDER_AGENT_VERSION,
		currentOnly: true,
	},
	olderAllowed: {
		id: 'e2eAgentOlder002',
		hookPath: 'agent-older-allowed',
		tools: [
			{
				tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID, {
					allowWithoutHumanReview: true,
					maxAmount: MAX_AMOUNT,
				}),
			},
		],
		agentVersion: OLDER_AGENT_VERSION,
		currentOnly: true,
	},
} satisfies Record<string, AgentCase>;

/**
 * A chain of models: an OpenAI node feeding a second OpenAI node, both given Withdraw. Each runs
 * its tools inside its own call, so no review step can stand in front of them.
 */
const CHAINS = [
	{ id: 'e2eAgentChain001', hookPath: 'agent-model-chain', options: {} },
	{
		id: 'e2eAgentChain002',
		hookPath: 'agent-model-chain-allowed',
		options: { allowWithoutHumanReview: true, maxAmount: MAX_AMOUNT },
	},
];

const PINNED_WORKFLOW = 'e2eAgentPinned01';
const PINNED_MARKER = '[run pinned review]';

/**
 * Run by hand, with the review's output pinned as a person's yes would read: n8n answers the
 * review with the pinned items in a manual run, without asking anyone.
 */
function pinnedReviewWorkflow() {
	return agentWorkflow(PINNED_WORKFLOW, {
		agentVersion: AGENT_VERSION,
		modelCredentialId: MODEL_CREDENTIAL,
		prompt: `${PINNED_MARKER} Back-office request.`,
		tools: [
			{
				tool: etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID),
				review: emailReviewNode('Review', SMTP_CREDENTIAL, 'Withdrawal to review'),
			},
		],
		pinData: {
			Review: [{ json: { data: { approved: true, respondedAt: '2026-12-03T09:00:00.000Z' } } }],
		},
	});
}

/** The workflows this line imports and publishes. */
const LIVE_WORKFLOWS: AgentCase[] = Object.values(WORKFLOWS).filter(
	(workflow: AgentCase) => CURRENT || workflow.currentOnly !== true,
);

describe(`ETNA Trader as an AI Agent tool (AI Agent v${AGENT_VERSION}) on ${N8N_LABEL}`, () => {
	let world: E2eWorld;
	let model: FakeModel;
	let smtp: FakeSmtp;
	let server: RunningN8n | undefined;
	let session: Session;
	let adminToken: string;
	/** Every execution's run data the tests read, for the leak check. */
	const runsRead: AgentRun[] = [];

	useWorld(async (started) => {
		world = started;
		const begin = Date.now();
		model = await startFakeModel();
		smtp = await startFakeSmtp();
		adminToken = world.sandbox.model.issueToken('admin');
		await importCredentials(world.n8n, [
			etnaCredential(
				EXAMPLE_CREDENTIAL_ID,
				credentialData(world, { token: adminToken }),
				'ETNA Trader API (sandbox)',
			),
			fakeModelCredential(MODEL_CREDENTIAL, model.url),
			...(CURRENT
				? [
						fakeSmtpCredential(SMTP_CREDENTIAL, smtp),
						fakeModelCredential(
							EXAMPLE_MODEL_CREDENTIAL.id,
							model.url,
							EXAMPLE_MODEL_CREDENTIAL.name,
						),
						fakeSmtpCredential(EXAMPLE_SMTP_CREDENTIAL.id, smtp, EXAMPLE_SMTP_CREDENTIAL.name),
					]
				: []),
		]);
		await importWorkflows(world.n8n, [
			...LIVE_WORKFLOWS.map(({ id, hookPath, tools, agentVersion, beforeAgent }) =>
				agentWorkflow(id, {
					agentVersion,
					modelCredentialId: MODEL_CREDENTIAL,
					tools,
					webhookPath: hookPath,
					beforeAgent,
				}),
			),
			...CHAINS.map(({ id, hookPath, options }) =>
				openAiChainWorkflow(id, {
					modelCredentialId: MODEL_CREDENTIAL,
					prompts: [
						'={{ $json.body.first }}',
						"={{ $('Request received').first().json.body.second }}",
					],
					tools: [etnaToolNode('Withdraw', 'withdraw', EXAMPLE_CREDENTIAL_ID, options)],
					webhookPath: hookPath,
				}),
			),
			...(CURRENT ? [example(EXAMPLE_FILE), pinnedReviewWorkflow()] : []),
		]);
		server = await startN8n(world.n8n);
		session = await ownerSession(server, world.n8n, world.ownerPassword);
		for (const { id, hookPath } of [...LIVE_WORKFLOWS, ...CHAINS]) {
			// POST /rest/workflows/:id/activate with the versionId: in 1.123.81's REST API too.
			await activateWorkflow(session, id);
			await waitForPostWebhook(server, hookPath);
		}
		log(`agent: fakes, imports, n8n start and publishing took ${seconds(Date.now() - begin)}`);
	});

	afterAll(async () => {
		await server?.stop();
		await model?.close();
		await smtp?.close();
	});

	freshSandboxBeforeEach(() => world.sandbox);

	/** A marker unique to one run, in the prompt, so the fake model answers it from its script. */
	function marker(name: string): string {
		return `[run ${name} ${randomBytes(3).toString('hex')}]`;
	}

	/** The ids of a workflow's executions now. */
	async function executionIds(workflowId: string): Promise<Set<string>> {
		return new Set((await executionsOf(session, workflowId)).map((execution) => execution.id));
	}

	/**
	 * POSTs the prompt (with its marker) to the workflow's webhook, the model scripted for it, and
	 * returns the id of the execution it started.
	 */
	async function startAgent(
		workflow: AgentCase,
		runMarker: string,
		script: ModelScript,
		prompt = 'Back-office request.',
	): Promise<string> {
		if (!server) throw new Error('n8n is not running');
		model.script(runMarker, script);
		const before = await executionIds(workflow.id);
		const response = await fetch(`${server.url}/webhook/${workflow.hookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ prompt: `${runMarker} ${prompt}` }),
		});
		expect(response.status).toBe(200);
		await response.text();
		return await waitFor(`an execution of ${workflow.id}`, async () =>
			[...(await executionIds(workflow.id))].find((id) => !before.has(id)),
		);
	}

	/** Waits until the execution's status is one of `statuses`; its run data. */
	async function execution(
		workflowId: string,
		id: string,
		statuses: string[],
		timeoutMs = 90_000,
	): Promise<AgentRun> {
		const status = await waitFor(
			`execution ${id} to be ${statuses.join(' or ')}`,
			async () => {
				const found = (await executionsOf(session, workflowId)).find(
					(candidate) => candidate.id === id,
				);
				return found && statuses.includes(found.status) ? found.status : undefined;
			},
			timeoutMs,
		).catch(async (error: unknown) => {
			const run = (await executionRun(session, id)) as AgentRun;
			throw new Error(
				`${String(error)}: it is ${run.status}, ${JSON.stringify(run.data?.resultData.error)}\n${requestLog(world.sandbox)}`,
			);
		});
		const run = (await executionRun(session, id)) as AgentRun;
		runsRead.push(run);
		expect(statuses).toContain(status);
		return run;
	}

	/** The withdrawal requests that reached the sandbox since the test began, as lines. */
	function withdrawalLines(): string[] {
		return world.withdrawals().map(requestLine);
	}

	/** The tool results (role 'tool' messages) of the model's last request for a run. */
	function lastToolResults(runMarker: string): string[] {
		const requests = model.requestsFor(runMarker);
		const last = requests[requests.length - 1];
		return last ? toolResults(last) : [];
	}

	/**
	 * A run's model requests, logged (the tools offered, the results given); each was answered
	 * from the run's script (a request the script could not answer fails the test).
	 */
	function modelRequests(runMarker: string, label: string, minimum = 2): RecordedModelRequest[] {
		const requests = model.requestsFor(runMarker);
		const lines = requests.map(
			(request, index) =>
				`#${index + 1} tools [${toolNames(request).join(', ')}] results ${JSON.stringify(toolResults(request))}${request.problem ? ` PROBLEM ${request.problem}` : ''}`,
		);
		log(`agent: ${label}: model requests\n${lines.join('\n')}`);
		expect(requests.length).toBeGreaterThanOrEqual(minimum);
		expect(requests.filter((request) => request.problem !== undefined)).toEqual([]);
		return requests;
	}

	/** GETs a review link as a person's browser does. */
	async function openLink(url: string): Promise<number> {
		const response = await fetch(url, { headers: { 'user-agent': BROWSER_UA } });
		await response.text();
		return response.status;
	}

	/** Starts a run of the reviewed workflow; its review mail, and the run as it waits. */
	async function awaitingReview(
		runMarker: string,
		args: Record<string, unknown>,
		around?: Record<string, unknown>,
	): Promise<{ id: string; mail: ReceivedMail; waiting: AgentRun }> {
		const mailsBefore = smtp.mails().length;
		const id = await startAgent(WORKFLOWS.reviewed, runMarker, {
			calls: [{ tool: /withdraw/i, args, around }],
			answer: 'Done.',
		});
		const waiting = await execution(WORKFLOWS.reviewed.id, id, ['waiting', ...SETTLED]);
		expect(waiting.status).toBe('waiting');
		const mail = await smtp.waitForMail(() => true, { after: mailsBefore });
		log(`agent: review mail "${mail.subject}": ${mail.text.replace(/\s+/g, ' ').slice(0, 400)}`);
		return { id, mail, waiting };
	}

	/** The one tool result (as text) the last model request of a run carried. */
	function lastToolResult(runMarker: string): string {
		const results = lastToolResults(runMarker);
		expect(results).toHaveLength(1);
		return results[0];
	}

	/**
	 * A Withdraw tool's refusal as the model got it: the tool's answer `[{ error, message, ... }]`
	 * (the node answers with a refusal rather than throwing it, so every line and agent version
	 * hands it to the model), and the execution goes on to succeed. Its `error` and `message`.
	 */
	function refusalOf(run: AgentRun, runMarker: string): string {
		expect(run.status).toBe('success');
		const answer = JSON.parse(lastToolResult(runMarker)) as Array<Record<string, unknown>>;
		expect(answer).toHaveLength(1);
		const [{ error, message }] = answer;
		expect(typeof error).toBe('string');
		expect(String(message)).toMatch(/^Outcome: not sent/);
		return `${String(error)} ${String(message)}`;
	}

	/** A tool's runs, logged: where n8n says each came from, its input and how it ended. */
	function logToolRuns(run: AgentRun, node: string, label: string): void {
		const runs = runsOf(run, node).map((entry) => ({
			source: entry.source,
			status: entry.executionStatus,
			input: entry.inputOverride,
			output: entry.data,
			error: entry.error?.message,
		}));
		log(
			`agent: ${label}: ${node} ran ${runs.length} time(s): ${JSON.stringify(runs).slice(0, 2500)}; execution ${run.status}, error ${JSON.stringify(run.data?.resultData.error?.message)}`,
		);
	}

	/**
	 * One run of `workflow` in which the model calls Withdraw once with `args`, then answers
	 * `answer`: started, awaited to its end, its Withdraw runs and model requests logged under
	 * `label` (each request answered from the script). The run, and its marker for the model's
	 * requests.
	 */
	async function withdrawCall(
		workflow: AgentCase,
		label: string,
		args: Record<string, unknown>,
		answer: string,
	): Promise<{ run: AgentRun; runMarker: string }> {
		const runMarker = marker(label);
		const id = await startAgent(workflow, runMarker, {
			calls: [{ tool: /withdraw/i, args }],
			answer,
		});
		const run = await execution(workflow.id, id, SETTLED);
		logToolRuns(run, 'Withdraw', label);
		modelRequests(runMarker, label);
		return { run, runMarker };
	}

	it('(1) reads a balance through the tool: the model gets the balance record of account 1001, excess included', async () => {
		const begin = Date.now();
		const run1 = marker('balance');
		const id = await startAgent(WORKFLOWS.balance, run1, {
			calls: [{ tool: /balance/i, args: { accountId: 1001 } }],
			answer: 'Account 1001 may withdraw its excess.',
		});
		const run = await execution(WORKFLOWS.balance.id, id, SETTLED);

		const requests = modelRequests(run1, '(1)');
		expect(requests).toHaveLength(2);
		expect(toolNames(requests[0])).toEqual(['Get_Balance']);
		// What the model reads of the tool: n8n's "<action> in <node name>", and the fields' hints.
		const [offered] = requests[0].body.tools ?? [];
		expect(offered.function.description).toBe(
			'Get the balance of a trading account in ETNA Trader',
		);
		expect(offered.function.parameters?.properties?.accountId).toMatchObject({
			type: 'number',
			description: expect.stringContaining('ETNA ID of the trading account'),
		});
		expect(run.status).toBe('success');
		const result = lastToolResult(run1);
		const [balance] = JSON.parse(result) as Array<Record<string, unknown>>;
		expect(balance).toMatchObject({
			accountId: 1001,
			excess: world.sandbox.model.excessOf(1001),
		});
		const read = world.sandbox.apiRequests();
		expect(read.length).toBeGreaterThan(0);
		expect(read.filter((request) => !request.path.startsWith('/api/v1.0/accounts/1001'))).toEqual(
			[],
		);
		expect(read.filter((request) => request.method !== 'GET')).toEqual([]);
		expect(agentOutput(run)).toEqual([{ output: 'Account 1001 may withdraw its excess.' }]);
		log(`agent: (1) took ${seconds(Date.now() - begin)}`);
	});

	itCurrent(
		"(2a) withdraws behind an email review: the execution waits, the mail shows account and amount; approved, exactly one withdrawal of the model's amount, and the execution succeeds",
		async () => {
			const begin = Date.now();
			const cashBefore = world.sandbox.model.cashOf(1001);
			const run2 = marker('approve');
			const { id, mail, waiting } = await awaitingReview(run2, { accountId: 1001, amount: 25 });

			// What n8n told the model the reviewed tool takes: the tool's schema under toolParameters.
			const [offered] = model.requestsFor(run2);
			const reviewed = offered.body.tools?.find((tool) => tool.function.name === 'Withdraw');
			log(
				`agent: (2a) the reviewed tool's schema: ${JSON.stringify(reviewed?.function.parameters)}`,
			);
			expect(Object.keys(reviewed?.function.parameters?.properties ?? {}).sort()).toEqual([
				'hitlParameters',
				'toolParameters',
			]);
			expect(mail.subject).toBe('Withdrawal to review');
			expect(mail.text).toContain('"accountId":1001');
			expect(mail.text).toContain('"amount":25');
			expect(mail.text).not.toContain('[object Object]');
			expect(mail.approveUrl).toBeDefined();
			expect(mail.declineUrl).toBeDefined();
			// Waiting: nothing reached ETNA yet, and the Withdraw tool has not run.
			expect(withdrawalLines()).toEqual([]);
			expect(runsOf(waiting, 'Withdraw')).toEqual([]);

			expect(await openLink(mail.approveUrl ?? '')).toBe(200);
			const run = await execution(WORKFLOWS.reviewed.id, id, SETTLED);

			modelRequests(run2, '(2a)');
			const withdrawRuns = runsOf(run, 'Withdraw');
			log(
				`agent: (2a) Withdraw ran ${withdrawRuns.length} time(s), source ${JSON.stringify(withdrawRuns.map((entry) => entry.source))}, input ${JSON.stringify(withdrawRuns.map((entry) => entry.inputOverride))}; Review ran ${runsOf(run, 'Review').length} time(s), source ${JSON.stringify(runsOf(run, 'Review').map((entry) => entry.source))}`,
			);
			expect(run.status).toBe('success');
			expect(withdrawalLines()).toEqual([
				'POST /api/v1.0/accounts/1001/withdrawal?withdrowalValue=25',
			]);
			expect(withdrawRuns).toHaveLength(1);
			const result = lastToolResult(run2);
			expect(result).not.toMatch(/error/i);
			expect(JSON.parse(result)).toEqual([
				expect.objectContaining({ Amount: -25, accountId: 1001 }),
			]);
			expect(world.sandbox.model.cashOf(1001)).toBe(cashBefore - 25);
			// The same link once more: n8n answers its "no action required" page for a finished
			// execution (synchronously), and runs nothing again.
			const again = await openLink(mail.approveUrl ?? '');
			log(`agent: (2a) the approve link opened again answered ${again}`);
			await execution(WORKFLOWS.reviewed.id, id, ['success']);
			expect(withdrawalLines()).toHaveLength(1);
			log(`agent: (2a) took ${seconds(Date.now() - begin)}`);
		},
	);

	itCurrent(
		'(2b) declined in the email review: no withdrawal, and the model is told the call was rejected',
		async () => {
			const begin = Date.now();
			const cashBefore = world.sandbox.model.cashOf(1001);
			const run2 = marker('decline');
			const { id, mail } = await awaitingReview(run2, { accountId: 1001, amount: 25 });
			expect(mail.declineUrl).toBeDefined();

			expect(await openLink(mail.declineUrl ?? '')).toBe(200);
			const run = await execution(WORKFLOWS.reviewed.id, id, SETTLED);

			const requests = modelRequests(run2, '(2b)');
			expect(run.status).toBe('success');
			expect(withdrawalLines()).toEqual([]);
			expect(runsOf(run, 'Withdraw')).toEqual([]);
			// A later request told the model, in a tool message, that the person rejected the call.
			expect(requests).toHaveLength(2);
			expect(lastToolResult(run2)).toMatch(/rejected the tool call to Withdraw/);
			expect(world.sandbox.model.cashOf(1001)).toBe(cashBefore);
			log(`agent: (2b) took ${seconds(Date.now() - begin)}`);
		},
	);

	it('(3a) wired straight to the agent, Withdraw sends nothing and the model is told to put a human review step in', async () => {
		const { run, runMarker: run3 } = await withdrawCall(
			WORKFLOWS.direct,
			'(3a)',
			{ accountId: 1001, amount: 25 },
			'I could not withdraw.',
		);

		expect(withdrawalLines()).toEqual([]);
		expect(world.sandbox.apiRequests().filter((request) => request.method !== 'GET')).toEqual([]);
		expect(refusalOf(run, run3)).toMatch(new RegExp(`^${escapeRegExp(NO_REVIEW_REFUSAL)}`));
		// The agent goes on: the refusal is the tool's answer, and the model has the last word.
		expect(agentOutput(run)).toEqual([{ output: 'I could not withdraw.' }]);
	});

	it('(3b) wired straight to the agent with Allow Without Human Review on: exactly one withdrawal', async () => {
		const { run, runMarker: run3 } = await withdrawCall(
			WORKFLOWS.directAllowed,
			'(3b)',
			{ accountId: 1001, amount: 25 },
			'Withdrawn.',
		);

		expect(run.status).toBe('success');
		expect(withdrawalLines()).toEqual([
			'POST /api/v1.0/accounts/1001/withdrawal?withdrowalValue=25',
		]);
		const result = lastToolResult(run3);
		expect(result).not.toContain(NO_REVIEW_REFUSAL);
		expect(JSON.parse(result)).toEqual([expect.objectContaining({ Amount: -25, accountId: 1001 })]);
	});

	it.each([
		['a word ("lots")', { accountId: 1001, amount: 'lots' }, 'Amount'],
		['missing', { accountId: 1001 }, 'Amount'],
		['negative (-5)', { accountId: 1001, amount: -5 }, 'Amount'],
		[
			`above Maximum Amount (${MAX_AMOUNT + 100} > ${MAX_AMOUNT})`,
			{ accountId: 1001, amount: MAX_AMOUNT + 100 },
			'Maximum Amount',
		],
	])(
		'(4) a bad amount from the model, %s, is refused before any request: the model is told about the field',
		async (what, args, field) => {
			const { run, runMarker: run4 } = await withdrawCall(
				WORKFLOWS.directAllowed,
				`(4) ${what}`,
				args,
				'The amount was refused.',
			);

			expect(world.sandbox.apiRequests()).toEqual([]);
			const refusal = refusalOf(run, run4);
			expect(refusal).toContain(field);
			expect(refusal).toContain('Outcome: not sent (nothing reached ETNA)');
			expect(refusal).not.toContain(NO_REVIEW_REFUSAL);
		},
	);

	itCurrent(
		"runs the example (its model and SMTP credentials the fakes'): it waits for review; approved, exactly one withdrawal of the model's amount",
		async () => {
			const begin = Date.now();
			model.script(EXAMPLE_MARKER, {
				calls: [
					{ tool: /balance/i, args: { accountId: 1001 } },
					{ tool: /withdraw/i, args: { accountId: 1001, amount: 25 } },
				],
				answer: 'Withdrawal of 25 USD from account 1001 done.',
			});
			const mailsBefore = smtp.mails().length;
			const before = await executionIds(EXAMPLE_ID);
			// `n8n execute` beside the running `n8n start`: its own task broker port. It returns once
			// the execution waits; the approve link then reaches the running n8n (WEBHOOK_URL).
			const cli: N8nInstance = {
				...world.n8n,
				env: { ...world.n8n.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			};
			const executed = await n8nCli(cli, ['execute', `--id=${EXAMPLE_ID}`]);
			log(
				`agent: example: n8n execute exited ${executed.code} after ${seconds(Date.now() - begin)}`,
			);
			const id = await waitFor("the example's execution", async () =>
				[...(await executionIds(EXAMPLE_ID))].find((candidate) => !before.has(candidate)),
			);
			const waiting = await execution(EXAMPLE_ID, id, ['waiting', ...SETTLED]);
			expect(waiting.status).toBe('waiting');
			expect(runsOf(waiting, 'Withdraw')).toEqual([]);
			const mail = await smtp.waitForMail(() => true, { after: mailsBefore });
			log(`agent: example mail "${mail.subject}": ${mail.text.replace(/\s+/g, ' ').slice(0, 400)}`);
			expect(mail.subject).toBe('Approve a withdrawal? 25 USD from ETNA account 1001');
			expect(mail.text).toContain('"accountId":1001');
			expect(mail.text).toContain('"amount":25');
			expect(withdrawalLines()).toEqual([]);

			expect(await openLink(mail.approveUrl ?? '')).toBe(200);
			const run = await execution(EXAMPLE_ID, id, SETTLED);

			const requests = modelRequests(EXAMPLE_MARKER, 'example');
			expect(requests).toHaveLength(3);
			expect(run.status).toBe('success');
			expect(withdrawalLines()).toEqual([
				'POST /api/v1.0/accounts/1001/withdrawal?withdrowalValue=25',
			]);
			const [balance, withdrawal] = lastToolResults(EXAMPLE_MARKER).map(
				(result) => JSON.parse(result) as unknown,
			);
			expect(balance).toEqual([
				expect.objectContaining({ accountId: 1001, excess: expect.any(Number) }),
			]);
			expect(withdrawal).toEqual([expect.objectContaining({ Amount: -25, accountId: 1001 })]);
			expect(agentOutput(run)).toEqual([
				{ output: 'Withdrawal of 25 USD from account 1001 done.' },
			]);
			log(`agent: example took ${seconds(Date.now() - begin)}`);
		},
	);

	/**
	 * The older agent's mark on a tool's run (n8n-core 2.41.1's SupplyDataContext, used by
	 * makeHandleToolInvocation): a source of the agent and its run alone, without the
	 * `previousNodeOutput` an engine request's run carries (see (3a)'s log).
	 */
	const IN_AGENT_CALL_SOURCE = [[{ previousNode: AGENT_NODE, previousNodeRun: 0 }]];

	itCurrent(
		`(6a) with the older AI Agent (v${OLDER_AGENT_VERSION}, which runs a tool inside its own call), Withdraw wired straight sends nothing, and the model is told to put a human review step in`,
		async () => {
			const { run, runMarker: run6 } = await withdrawCall(
				WORKFLOWS.olderDirect,
				'(6a)',
				{ accountId: 1001, amount: 25 },
				'I could not withdraw.',
			);

			expect(withdrawalLines()).toEqual([]);
			expect(world.sandbox.apiRequests().filter((request) => request.method !== 'GET')).toEqual([]);
			// The tool ran once, on the older path, and answered with the refusal. (A thrown error
			// would reach the model as an empty observation on this path: LangChain's AgentExecutor.)
			const withdrawRuns = runsOf(run, 'Withdraw');
			expect(withdrawRuns.map((entry) => entry.source)).toEqual(IN_AGENT_CALL_SOURCE);
			expect(refusalOf(run, run6)).toMatch(
				new RegExp(`^${escapeRegExp(`${REFUSED} the call came from inside "AI Agent"'s own run`)}`),
			);
		},
	);

	itCurrent(
		`(6b) with the older AI Agent (v${OLDER_AGENT_VERSION}), Withdraw wired straight with Allow Without Human Review on: exactly one withdrawal`,
		async () => {
			const { run, runMarker: run6 } = await withdrawCall(
				WORKFLOWS.olderAllowed,
				'(6b)',
				{ accountId: 1001, amount: 25 },
				'Withdrawn.',
			);

			const withdrawRuns = runsOf(run, 'Withdraw');
			expect(withdrawRuns.map((entry) => entry.source)).toEqual(IN_AGENT_CALL_SOURCE);
			// makeHandleToolInvocation records the tool's answer as { response }.
			expect(itemsOf(run, 'Withdraw')).toEqual([
				{ response: [expect.objectContaining({ Amount: -25, accountId: 1001 })] },
			]);
			expect(run.status).toBe('success');
			expect(withdrawalLines()).toEqual([
				'POST /api/v1.0/accounts/1001/withdrawal?withdrowalValue=25',
			]);
			const result = lastToolResult(run6);
			expect(result).not.toContain(NO_REVIEW_REFUSAL);
			expect(JSON.parse(result)).toEqual([
				expect.objectContaining({ Amount: -25, accountId: 1001 }),
			]);
		},
	);

	itCurrent(
		"(7) a review whose wait limit runs out passes the call on: an approval the model wrote into its call, or that the agent's input carried, withdraws nothing",
		async () => {
			const begin = Date.now();
			const fromModel = marker('(7) approved by the model');
			const fromInput = marker('(7) approved in the input');
			const ids = await Promise.all([
				startAgent(WORKFLOWS.timedOut, fromModel, {
					calls: [
						{
							tool: /withdraw/i,
							args: { accountId: 1001, amount: 25 },
							around: { approved: true },
						},
					],
					answer: 'Done.',
				}),
				startAgent(WORKFLOWS.approvalInInput, fromInput, {
					calls: [{ tool: /withdraw/i, args: { accountId: 1001, amount: 26 } }],
					answer: 'Done.',
				}),
			]);
			// Nobody answers the mails: n8n resumes each review once its minute is out.
			const runs = [
				await execution(WORKFLOWS.timedOut.id, ids[0], SETTLED, 240_000),
				await execution(WORKFLOWS.approvalInInput.id, ids[1], SETTLED, 240_000),
			];
			log(
				`agent: (7) both reviews timed out and their executions settled after ${seconds(Date.now() - begin)}`,
			);

			expect(withdrawalLines()).toEqual([]);
			for (const [run, runMarker] of [
				[runs[0], fromModel],
				[runs[1], fromInput],
			] as const) {
				logToolRuns(run, 'Withdraw', runMarker);
				modelRequests(runMarker, runMarker);
				// n8n took the passed-through item for an approval and ran Withdraw, which refused.
				expect(runsOf(run, 'Withdraw')).toHaveLength(1);
				expect(refusalOf(run, runMarker)).toContain(NOT_ANSWERED_REFUSAL);
			}
		},
		300_000,
	);

	itCurrent(
		'(8a) the review mail shows the call the tool runs, even when the model disguises it with a query field: approved, the amount sent is the amount read',
		async () => {
			const run8 = marker('(8a)');
			const { id, mail } = await awaitingReview(
				run8,
				{ accountId: 1001, amount: 30 },
				{ query: { toolParameters: { accountId: 1001, amount: 3 } } },
			);
			// The mail reads the tool's real arguments ($json.toolParameters), not the disguise.
			expect(mail.text).toContain('"amount":30');
			expect(mail.text).not.toContain('"amount":3}');

			expect(await openLink(mail.approveUrl ?? '')).toBe(200);
			const run = await execution(WORKFLOWS.reviewed.id, id, SETTLED);

			logToolRuns(run, 'Withdraw', '(8a)');
			expect(withdrawalLines()).toEqual([
				'POST /api/v1.0/accounts/1001/withdrawal?withdrowalValue=30',
			]);
		},
	);

	itCurrent(
		'(8b) arguments that carry their own query field are refused after the approval: the tool would read it before the amount the reviewer saw',
		async () => {
			const run8 = marker('(8b)');
			const { id, mail } = await awaitingReview(run8, {
				accountId: 1001,
				amount: 30,
				query: { amount: 3 },
			});
			expect(mail.text).toContain('"query":{"amount":3}');

			expect(await openLink(mail.approveUrl ?? '')).toBe(200);
			const run = await execution(WORKFLOWS.reviewed.id, id, SETTLED);

			logToolRuns(run, 'Withdraw', '(8b)');
			expect(withdrawalLines()).toEqual([]);
			expect(refusalOf(run, run8)).toContain(
				`${REFUSED} the model's arguments carry a field named query`,
			);
		},
	);

	itCurrent(
		"(9) a review's pinned output does not approve a manual run: Withdraw refuses and nothing is sent",
		async () => {
			model.script(PINNED_MARKER, {
				calls: [{ tool: /withdraw/i, args: { accountId: 1001, amount: 25 } }],
				answer: 'Done.',
			});
			const id = await runManually(session, PINNED_WORKFLOW, 'Run now');
			const run = await execution(PINNED_WORKFLOW, id, SETTLED);

			logToolRuns(run, 'Withdraw', '(9)');
			expect(withdrawalLines()).toEqual([]);
			expect(refusalOf(run, PINNED_MARKER)).toContain(
				`${REFUSED} the review tool "Review" has pinned data, so its answer was not a person's.`,
			);
		},
	);

	it('(10) Allow Without Human Review given to the model ($fromAI) is refused, naming the option: nothing is sent', async () => {
		const { run, runMarker } = await withdrawCall(
			WORKFLOWS.allowFromModel,
			'(10)',
			{ accountId: 1001, amount: 25, allow: true },
			'I could not withdraw.',
		);

		expect(withdrawalLines()).toEqual([]);
		expect(refusalOf(run, runMarker)).toContain(
			`${REFUSED} Allow Without Human Review is an expression, and counts only when switched on as a fixed value`,
		);
	});

	/** Starts a chain of two OpenAI nodes; the second's prompt makes the model call Withdraw. */
	async function chainCall(
		chain: (typeof CHAINS)[number],
		label: string,
	): Promise<{ run: AgentRun; second: string }> {
		if (!server) throw new Error('n8n is not running');
		const first = marker(`${label} first`);
		const second = marker(`${label} second`);
		model.script(first, { calls: [], answer: 'Nothing to do here.' });
		model.script(second, {
			calls: [{ tool: /withdraw/i, args: { accountId: 1001, amount: 25 } }],
			answer: 'Done.',
		});
		const before = await executionIds(chain.id);
		const response = await fetch(`${server.url}/webhook/${chain.hookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ first: `${first} Summarize.`, second: `${second} Pay it.` }),
		});
		expect(response.status).toBe(200);
		await response.text();
		const id = await waitFor(`an execution of ${chain.id}`, async () =>
			[...(await executionIds(chain.id))].find((candidate) => !before.has(candidate)),
		);
		const run = await execution(chain.id, id, SETTLED);
		logToolRuns(run, 'Withdraw', label);
		modelRequests(second, label);
		return { run, second };
	}

	it('(11a) a chain of two OpenAI nodes, both given Withdraw: the second asks for it, and nothing is sent', async () => {
		const { run, second } = await chainCall(CHAINS[0], '(11a)');

		expect(withdrawalLines()).toEqual([]);
		expect(refusalOf(run, second)).toContain(
			CURRENT
				? `${REFUSED} the call came from inside "Second model"'s own run`
				: `${REFUSED} this n8n has no human review tools`,
		);
	});

	it('(11b) the same chain with Allow Without Human Review on: exactly one withdrawal', async () => {
		const { run, second } = await chainCall(CHAINS[1], '(11b)');

		expect(run.status).toBe('success');
		expect(withdrawalLines()).toEqual([
			'POST /api/v1.0/accounts/1001/withdrawal?withdrowalValue=25',
		]);
		expect(JSON.parse(lastToolResult(second))).toEqual([
			expect.objectContaining({ Amount: -25, accountId: 1001 }),
		]);
	});

	it('(5) sent ETNA only requests with the parameters its docs require', () => {
		expect(takeContractViolations()).toEqual([]);
	});

	it("(5) leaves no app key or token in the model requests, the mails, the outputs, n8n's log or its database", async () => {
		await server?.stop();
		server = undefined;
		const told = model.requests().map((request) => request.raw);
		// The checks searched something: every test's requests, runs and mails.
		expect(told.length).toBeGreaterThanOrEqual(CURRENT ? 20 : 9);
		expect(runsRead.length).toBeGreaterThanOrEqual(CURRENT ? 14 : 7);
		const places: Array<[string, string]> = [
			['model requests', told.join('\n')],
			[
				'mails',
				smtp
					.mails()
					.map((mail) => `${mail.subject}\n${mail.text}\n${mail.html}`)
					.join('\n'),
			],
			['execution data', JSON.stringify(runsRead)],
			["n8n's output", world.n8n.output.join('')],
			["n8n's folder", storedText(world.n8n)],
		];
		const secrets = new Map([
			['app key', world.appKey],
			...world.issuedTokens.map((issued, index) => [`token ${index + 1}`, issued] as const),
		]);
		expect(world.issuedTokens).toContain(adminToken);
		const leaks = places.flatMap(([where, text]) =>
			[...secrets]
				.filter(([, secret]) => text.includes(secret))
				.map(([name]) => `${name} in ${where}`),
		);
		expect(leaks).toEqual([]);
	});
});
