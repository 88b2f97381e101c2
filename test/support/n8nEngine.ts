// Runs the ETNA Trader node through n8n's own execution engine (n8n-core's WorkflowExecute),
// so parameters, expressions, credentials, request helpers and error outputs all behave as in
// n8n. The one stand-in is the credentials store, as in n8n's own node tests
// (packages/core/nodes-testing): it hands out the decrypted credential and applies the
// credential type's real `authenticate`.
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	PollContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
	type IConnections,
	type NodeConnectionType,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type ITaskData,
	type IRequestOptionsSimplified,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { EtnaTraderApi } from '../../credentials/EtnaTraderApi.credentials';
import { EtnaTrader } from '../../nodes/EtnaTrader/EtnaTrader.node';
import { EtnaTraderTrigger } from '../../nodes/EtnaTraderTrigger/EtnaTraderTrigger.node';

export const NODE_TYPE = 'n8n-nodes-etna-trader.etnaTrader';
export const NODE_NAME = 'ETNA Trader';
export const TRIGGER_TYPE = 'n8n-nodes-etna-trader.etnaTraderTrigger';

/** The tool n8n generates from `usableAsTool` (its CLI's convertNodeToAiTool, as 2.41.1 does it). */
export const TOOL_TYPE = `${NODE_TYPE}Tool`;

function asAiTool(nodeType: EtnaTrader): INodeType {
	const { description } = nodeType;
	nodeType.description = {
		...description,
		name: `${description.name}Tool`,
		displayName: `${description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		usableAsTool: undefined,
	};
	return nodeType;
}

/**
 * The nodes around a tool in an agent workflow, by their connections only: these tests run the
 * tool as n8n's engine does once an agent (or a review step) asks for it, never the others.
 */
function connectionsOnly(
	name: string,
	inputs: NodeConnectionType[],
	outputs: NodeConnectionType[],
): INodeType {
	return {
		description: {
			displayName: name,
			name,
			group: ['transform'],
			version: 1,
			description: name,
			defaults: { name },
			inputs,
			outputs,
			properties: [],
		},
	};
}

/**
 * A human review tool by its connections, with the fields a test fills (n8n keeps only the
 * parameters a node type describes): whom it asks and what it says.
 */
function reviewToolType(type: string): INodeType {
	const nodeType = connectionsOnly(
		type,
		[NodeConnectionTypes.AiTool],
		[NodeConnectionTypes.AiTool],
	);
	nodeType.description.properties = [
		{ displayName: 'To Email', name: 'toEmail', type: 'string', default: '' },
		{ displayName: 'Message', name: 'message', type: 'string', default: '' },
	];
	return nodeType;
}

export const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
export const CHAT_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';
export const EMAIL_REVIEW_TYPE = 'n8n-nodes-base.emailSendHitlTool';

const nodeTypeInstances: Record<string, INodeType> = {
	[NODE_TYPE]: new EtnaTrader(),
	[TOOL_TYPE]: asAiTool(new EtnaTrader()),
	[TRIGGER_TYPE]: new EtnaTraderTrigger(),
	[AGENT_TYPE]: connectionsOnly(
		'agent',
		[NodeConnectionTypes.Main, NodeConnectionTypes.AiLanguageModel, NodeConnectionTypes.AiTool],
		[NodeConnectionTypes.Main],
	),
	[CHAT_MODEL_TYPE]: connectionsOnly('lmChatOpenAi', [], [NodeConnectionTypes.AiLanguageModel]),
	[EMAIL_REVIEW_TYPE]: reviewToolType(EMAIL_REVIEW_TYPE),
};

class TestNodeTypes implements INodeTypes {
	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const found = nodeTypeInstances[nodeType];
		if (found) return found;
		// Any review tool (or a node that only looks like one): its connections are all that count.
		if (nodeType.endsWith('HitlTool')) return reviewToolType(nodeType);
		throw new Error(`Unknown node type ${nodeType}`);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * The credentials n8n keeps for one credential: what a user saved, plus what the type's
 * preAuthentication wrote back (n8n's CredentialsHelper.updateCredentials).
 */
export class CredentialStore {
	/** How many times n8n would have written the credential back (one per successful login). */
	writes = 0;

	constructor(private data: ICredentialDataDecryptedObject) {}

	/** The stored values, as n8n decrypts them afresh for every request. */
	read(): ICredentialDataDecryptedObject {
		return { ...this.data };
	}

	write(data: ICredentialDataDecryptedObject): void {
		this.data = { ...data };
		this.writes += 1;
	}
}

const credentialTypes: Record<string, ICredentialType> = { etnaTraderApi: new EtnaTraderApi() };

/**
 * A credentials store holding one credential per type, as n8n's nodes-testing has, that applies
 * the type's defaults, its `authenticate` and its `preAuthentication` as n8n's own
 * CredentialsHelper (packages/cli/src/credentials-helper.ts) does.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly stores: Record<string, CredentialStore>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	private typeOf(typeName: string): ICredentialType {
		const type = credentialTypes[typeName];
		if (!type) throw new Error(`Unknown credential type ${typeName}`);
		return type;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const type = this.typeOf(typeName);
		if (typeof type.authenticate !== 'function') {
			throw new Error(`Credential type ${typeName} has no authenticate function`);
		}
		return await type.authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	// n8n 2.41.1's CredentialsHelper.preAuthentication, step for step: run the type's
	// preAuthentication when the expirable field is empty, after a 401, or for a credential test,
	// and write what it returns back to the store.
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.typeOf(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		const store = this.stores[typeName];
		const refreshed = output[expirable.name] as ICredentialDataDecryptedObject[string];
		store.write({ ...store.read(), [expirable.name]: refreshed });
		return Object.assign(credentials, { [expirable.name]: refreshed });
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Stored credentials are not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const store = this.stores[type];
		if (!store) throw new Error(`No test credential of type ${type}`);
		// n8n fills in the type's defaults for fields the stored credential lacks.
		const defaults = Object.fromEntries(
			this.typeOf(type).properties.map((property) => [property.name, property.default]),
		) as ICredentialDataDecryptedObject;
		return { ...defaults, ...store.read() };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

function notUsed(name: string) {
	return () => {
		throw new Error(`${name} is not used by these tests`);
	};
}

function additionalDataFor(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const additionalData = {
		credentialsHelper,
		hooks,
		executeWorkflow: notUsed('executeWorkflow'),
		getRunExecutionData: notUsed('getRunExecutionData'),
		getRuntimeCredential: notUsed('getRuntimeCredential'),
		startRunnerTask: notUsed('startRunnerTask'),
		logAiEvent: () => undefined,
		currentNodeExecutionIndex: 0,
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
	};
	// Only the members above are reached when a regular node runs.
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}

/** n8n-core's hooks for a one-node workflow; runs report to them as in n8n. */
function lifecycleHooks(
	mode: 'manual' | 'internal',
	workflowId: string,
	node: INode,
): ExecutionLifecycleHooks {
	return new ExecutionLifecycleHooks(mode, `${workflowId}-execution`, {
		id: workflowId,
		name: workflowId,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
	});
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	parameters: INodeParameters;
	items: IDataObject[];
	/** A credential's values, or a store shared by several runs (as n8n shares one credential). */
	credentials: ICredentialDataDecryptedObject | CredentialStore;
	onError?: OnError;
	retryOnFail?: boolean;
	/** Cancels the execution when it resolves, as the Stop button in n8n's editor does. */
	cancelWhen?: Promise<void>;
}

export interface NodeRun {
	run: IRun;
	/** Items on the main output. */
	main: INodeExecutionData[];
	/** Items on the error output (only with continueErrorOutput). */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the node, when it did. */
	nodeError?: IRun['data']['resultData']['error'];
}

/**
 * Runs `workflow` through n8n-core's WorkflowExecute from one node's execution (its input and
 * source as n8n would give them), with the ETNA credential in a store; resolves with the run.
 */
async function executeFrom(
	workflow: Workflow,
	start: IExecuteData,
	credentials: ICredentialDataDecryptedObject | CredentialStore,
	cancelWhen?: Promise<void>,
	recorded: Pick<IRunExecutionData['resultData'], 'runData' | 'pinData'> = { runData: {} },
): Promise<IRun> {
	const hooks = lifecycleHooks('manual', workflow.id, start.node);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolve(fullRunData));
	});
	const store =
		credentials instanceof CredentialStore ? credentials : new CredentialStore(credentials);
	const additionalData = additionalDataFor(
		new TestCredentialsHelper({ etnaTraderApi: store }),
		hooks,
	);
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [start] },
		resultData: recorded,
	});
	const workflowExecute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const execution = workflowExecute.processRunExecutionData(workflow);
	void cancelWhen?.then(() => execution.cancel());
	await execution;
	return await finished;
}

/** An ETNA Trader node (or its tool) with the test credential. */
export function etnaNode(name: string, type: string, parameters: INodeParameters): INode {
	return {
		id: `${type}-node`,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { etnaTraderApi: { id: '1', name: 'ETNA sandbox' } },
	};
}

export async function runEtnaNode(options: RunOptions): Promise<NodeRun> {
	const node: INode = {
		...etnaNode(NODE_NAME, NODE_TYPE, options.parameters),
		onError: options.onError,
		retryOnFail: options.retryOnFail,
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(),
	});
	const run = await executeFrom(
		workflow,
		{ node, data: { main: [options.items.map((json) => ({ json }))] }, source: null },
		options.credentials,
		options.cancelWhen,
	);

	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const outputs = taskData?.data?.main ?? [];
	return {
		run,
		main: outputs[0] ?? [],
		errorOutput: outputs[1] ?? [],
		nodeError: run.data.resultData.error,
	};
}

/** Who asked n8n's engine to run the tool: the agent itself, or the review step in front of it. */
export type ToolCaller = 'agent' | 'review';

/** One run of the review node, as n8n records it. */
export interface RecordedReviewRun {
	/** n8n resumed it through its resume link: a person's answer (`metadata.forwardAllOutputs`). */
	answeredThroughLink: boolean;
	/** The items it gave the agent. */
	output: IDataObject[];
}

/** A person's yes through the review's Approve button, as n8n records it. */
export const PERSONS_YES: RecordedReviewRun = {
	answeredThroughLink: true,
	output: [{ data: { approved: true, respondedAt: '2026-12-03T09:00:00.000Z' } }],
};

/** The review step in front of the tool, and what n8n recorded of it in this execution. */
export interface ReviewStep {
	type?: string;
	parameters?: INodeParameters;
	disabled?: boolean;
	/** Pinned output (n8n uses it in manual runs): its answer is the pinned items. */
	pinned?: boolean;
	/** Its runs in this execution; one person's yes when absent. */
	runs?: RecordedReviewRun[];
}

export interface ToolCallOptions {
	parameters: INodeParameters;
	/** The model's arguments: the tool run's one input item. */
	args: IDataObject;
	credentials: ICredentialDataDecryptedObject | CredentialStore;
	/** How the workflow wires the tool: to a review step that feeds the agent, or to the agent. */
	wiredTo: ToolCaller;
	/** Who asked for this run (n8n records it as the run's source). */
	askedBy: ToolCaller;
	/** The review step, when the tool is wired to one (an email review a person approved by default). */
	review?: ReviewStep;
}

export interface ToolRun {
	/** What the tool answered (the agent hands its items' json to the model). */
	main: INodeExecutionData[];
	/** The error the run ended with; the agent hands its message to the model. */
	nodeError?: IRun['data']['resultData']['error'];
}

const TOOL_NAME = 'Withdraw';

/** A review message that shows the person the call as the tool will run it. */
export const REVIEW_MESSAGE =
	'=The AI agent asks to run Withdraw with {{ JSON.stringify($json.toolParameters) }}.';
const AGENT_NAME = 'AI Agent';
const REVIEW_NAME = 'Email review';

/** A recorded run of a node, asked for by `asker`, as n8n's engine keeps it. */
function recordedRun(asker: string, fields: Partial<ITaskData>): ITaskData {
	return {
		startTime: 0,
		executionTime: 0,
		executionIndex: 0,
		source: [{ previousNode: asker, previousNodeOutput: 0, previousNodeRun: 0 }],
		...fields,
	};
}

/**
 * Runs the ETNA Trader tool through n8n-core's WorkflowExecute as n8n 2.41.1 runs a tool an agent
 * asked for (n8n-core requests-response.ts): one item with the model's arguments on the tool's
 * main input, the node that asked as its source, and what n8n recorded before the run: the tool's
 * input as the model sent it and, behind a review step, the review node's runs (in a workflow with
 * the agent, its chat model and the review step between the tool and the agent).
 */
export async function runEtnaToolCall(options: ToolCallOptions): Promise<ToolRun> {
	const node = etnaNode(TOOL_NAME, TOOL_TYPE, options.parameters);
	const review = options.review ?? {};
	const around = (name: string, type: string, extra: Partial<INode> = {}): INode => ({
		id: name,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...extra,
	});
	const names = { agent: AGENT_NAME, review: REVIEW_NAME } as const;
	const tool = (to: string) => [[{ node: to, type: NodeConnectionTypes.AiTool, index: 0 }]];
	const connections: IConnections = {
		'Chat Model': {
			ai_languageModel: [
				[{ node: AGENT_NAME, type: NodeConnectionTypes.AiLanguageModel, index: 0 }],
			],
		},
		[TOOL_NAME]: { ai_tool: tool(names[options.wiredTo]) },
		...(options.wiredTo === 'review' ? { [REVIEW_NAME]: { ai_tool: tool(AGENT_NAME) } } : {}),
	};
	const reviewNode = around(REVIEW_NAME, review.type ?? EMAIL_REVIEW_TYPE, {
		parameters: { message: REVIEW_MESSAGE, ...review.parameters },
		disabled: review.disabled,
	});
	const workflow = new Workflow({
		id: 'tool-workflow',
		nodes: [
			node,
			around(AGENT_NAME, AGENT_TYPE),
			around('Chat Model', CHAT_MODEL_TYPE),
			...(options.wiredTo === 'review' ? [reviewNode] : []),
		],
		connections,
		active: false,
		nodeTypes: new TestNodeTypes(),
	});
	const asker = names[options.askedBy];
	// What the engine recorded before the run (requests-response.ts): the review's runs, each
	// asked for by the agent, and the tool's own run with the model's arguments as its input.
	const reviewRuns = (review.runs ?? [PERSONS_YES]).map((run) =>
		recordedRun(AGENT_NAME, {
			executionStatus: 'success',
			metadata: run.answeredThroughLink ? { forwardAllOutputs: true } : {},
			data: { ai_tool: [run.output.map((json) => ({ json }))] },
		}),
	);
	const runData: IRunExecutionData['resultData']['runData'] = {
		[TOOL_NAME]: [
			recordedRun(asker, {
				inputOverride: { ai_tool: [[{ json: { tool: 'withdraw', ...options.args } }]] },
			}),
		],
		...(options.askedBy === 'review' ? { [REVIEW_NAME]: reviewRuns } : {}),
	};
	const pinData = review.pinned
		? { [REVIEW_NAME]: [{ json: { data: { approved: true } } }] }
		: undefined;
	const run = await executeFrom(
		workflow,
		{
			node,
			data: { main: [[{ json: { ...options.args, toolCallId: 'call-1' } }]] },
			source: {
				main: [
					{
						previousNode: asker,
						previousNodeOutput: 0,
						previousNodeRun: options.askedBy === 'review' ? reviewRuns.length - 1 : 0,
					},
				],
			},
			metadata: { preserveSourceOverwrite: true },
			// The run the engine recorded for it before running it.
			runIndex: 0,
		},
		options.credentials,
		undefined,
		{ runData, pinData },
	);
	const taskData = run.data.resultData.runData[TOOL_NAME]?.at(-1);
	return { main: taskData?.data?.main?.[0] ?? [], nodeError: run.data.resultData.error };
}

export type CredentialTestResult = { ok: true } | { ok: false; status?: number; message: string };

/**
 * Runs the credential type's `test` request as n8n's Test button does (n8n's CredentialsTester):
 * through n8n-core's RoutingNode, which resolves the request's expressions and authenticates it.
 */
export async function runCredentialTest(
	credentials: ICredentialDataDecryptedObject | CredentialStore,
): Promise<CredentialTestResult> {
	const credentialType = new EtnaTraderApi();
	const testRequest = credentialType.test;
	const tempType: INodeType = {
		description: {
			...new EtnaTrader().description,
			credentials: [{ name: 'etnaTraderApi', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credential-test.temp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { etnaTraderApi: { id: '1', name: 'ETNA' } },
	};
	nodeTypeInstances[node.type] = tempType;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(),
	});
	const hooks = lifecycleHooks('internal', 'credential-test', node);
	const store =
		credentials instanceof CredentialStore ? credentials : new CredentialStore(credentials);
	const additionalData = additionalDataFor(
		new TestCredentialsHelper({ etnaTraderApi: store }),
		hooks,
	);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, tempType, {
		id: '1',
		name: 'ETNA',
		type: 'etnaTraderApi',
		data: await additionalData.credentialsHelper.getDecrypted(
			additionalData,
			{ id: '1', name: 'ETNA' },
			'etnaTraderApi',
			'internal',
		),
	});
	try {
		await routingNode.runNode();
		return { ok: true };
	} catch (error) {
		const cause = (error as { cause?: { response?: { status?: number } } }).cause;
		const status = cause?.response?.status;
		// The rule lookup of n8n's CredentialsTester: a rule for the status gives the message.
		const rule = testRequest.rules?.find(
			(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
		);
		const message =
			rule && 'message' in rule.properties ? rule.properties.message : (error as Error).message;
		return { ok: false, status, message };
	} finally {
		delete nodeTypeInstances[node.type];
	}
}

export interface PollOptions {
	/** n8n's mode: a poll on its schedule ('trigger') or "Fetch test event" ('manual'). */
	mode?: 'trigger' | 'manual';
	/** The poll budget n8n 2.x gives; absent: the context has none, as on n8n 1.x. */
	budgetMs?: number;
}

/**
 * One ETNA Trader Trigger as an active workflow keeps it: its parameters, its credential and
 * the node's static data, which lives on between polls (and through a restart as JSON).
 */
export class PolledTrigger {
	/** The node's static data, as n8n stores it for the workflow. */
	staticData: IDataObject = {};

	private readonly node: INode;

	private readonly store: CredentialStore;

	constructor(
		parameters: INodeParameters,
		credentials: ICredentialDataDecryptedObject | CredentialStore,
	) {
		this.node = {
			id: 'etna-trader-trigger',
			name: 'ETNA Trader Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { etnaTraderApi: { id: '1', name: 'ETNA sandbox' } },
		};
		this.store =
			credentials instanceof CredentialStore ? credentials : new CredentialStore(credentials);
	}

	/** What survives a restart of n8n: the static data, through the database as JSON. */
	restart(): void {
		this.staticData = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}

	/** Runs poll() in n8n-core's PollContext, as n8n's poll engine does on each tick. */
	async poll({ mode = 'trigger', budgetMs }: PollOptions = {}): Promise<
		INodeExecutionData[][] | null
	> {
		const workflow = new Workflow({
			id: 'trigger-workflow',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes(),
			staticData: { [`node:${this.node.name}`]: this.staticData },
		});
		const hooks = lifecycleHooks('manual', workflow.id, this.node);
		const additionalData = additionalDataFor(
			new TestCredentialsHelper({ etnaTraderApi: this.store }),
			hooks,
		);
		const context = new PollContext(
			workflow,
			this.node,
			additionalData,
			mode,
			'activate',
			undefined,
			undefined,
			undefined,
			undefined,
			() => this.staticData,
		);
		if (budgetMs === undefined) {
			// n8n 1.x's context has no poll budget.
			Object.defineProperty(context, 'getPollBudgetMs', { value: undefined });
		} else {
			Object.defineProperty(context, 'getPollBudgetMs', { value: () => budgetMs });
		}
		const trigger = nodeTypeInstances[TRIGGER_TYPE];
		if (!trigger.poll) throw new Error('The trigger has no poll()');
		return await trigger.poll.call(context);
	}
}
