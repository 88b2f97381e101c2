// The AI Agent workflows the agent suite imports: a trigger > AI Agent (the version the test
// names: see AGENT_VERSIONS) with an OpenAI chat model pointed at the fake model server, and the
// ETNA Trader node as tools (`etnaTraderTool`, which n8n generates from `usableAsTool`), each wired to the agent
// straight or through the email "Send and Wait" review tool (`emailSendHitlTool`), whose SMTP
// credential points at the fake SMTP server. Also how to read a tool node's runs from n8n's record.
import type { IDataObject } from 'n8n-workflow';

import type { CredentialImport } from '../../scripts/n8n/instance';
import type { FakeSmtp } from './fakeSmtp';
import { etnaCredentialRef, postWebhookNode, type NodeJson } from './workflows';

/** The node type n8n generates from the package's node (`usableAsTool: true`). */
export const ETNA_TOOL_TYPE = 'n8n-nodes-etna-trader.etnaTraderTool';
export const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
/**
 * The AI Agent versions the suite runs, as each pinned n8n has them (read in their
 * @n8n/n8n-nodes-langchain): 1.123.81 has v2 (2, 2.1, 2.2) and v3 (3); 2.41.1 has v2 and v3
 * (3, 3.1). From v3 the agent asks n8n's engine to run a tool (an engine request: the tool's
 * run is a run of its own); v2 runs the tool inside its own call (n8n-core's
 * `makeHandleToolInvocation`, a SupplyDataContext whose `isToolExecution()` is true).
 */
export const AGENT_VERSIONS = {
	/** The newest on each line: engine requests. */
	newest: { current: 3.1, legacy: 3 },
	/** The newest of the older path, on both lines: tools run inside the agent's call. */
	inAgentCall: 2.2,
} as const;
export const OPENAI_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';
/** v1.3 (with `responsesApiEnabled: false`: Chat Completions) is the newest on both lines. */
export const OPENAI_MODEL_VERSION = 1.3;
/** The review node n8n generates from the Email node's Send and Wait operation. */
export const EMAIL_REVIEW_TYPE = 'n8n-nodes-base.emailSendHitlTool';

/** The node names of the workflows built here. */
export const AGENT_NODE = 'AI Agent';
export const MODEL_NODE = 'Chat Model';

/** How an ETNA tool fills its fields: from the model's arguments. */
export const FROM_AI = {
	accountId:
		"={{ $fromAI('accountId', 'ETNA ID of the trading account, a whole number', 'number') }}",
	amount: "={{ $fromAI('amount', 'Amount in USD, at most 2 decimals', 'number') }}",
};

/**
 * The review mail's message, as the shipped example builds it: the arguments the tool will run
 * with (`$json.toolParameters`), never `$tool.parameters`, which reads a model's `query` first.
 */
export const REVIEW_MESSAGE =
	'=The AI agent asks to run Withdraw with {{ JSON.stringify($json.toolParameters) }}. Approve only if the account and the amount are right.';

/** A review's wait limit (Limit Wait Time), in minutes: what n8n does when nobody answers in time. */
export function waitLimit(minutes: number): IDataObject {
	return {
		limitWaitTime: {
			values: { limitType: 'afterTimeInterval', resumeAmount: minutes, resumeUnit: 'minutes' },
		},
	};
}

/** An `openAiApi` credential whose base URL is the fake model's. */
export function fakeModelCredential(id: string, url: string, name = id): CredentialImport {
	return { id, name, type: 'openAiApi', data: { apiKey: 'sk-fake-model-key', url } };
}

/** An `smtp` credential for the fake SMTP server: no TLS, no login. */
export function fakeSmtpCredential(id: string, smtp: FakeSmtp, name = id): CredentialImport {
	return {
		id,
		name,
		type: 'smtp',
		data: {
			host: smtp.host,
			port: smtp.port,
			secure: false,
			disableStartTls: true,
			user: '',
			password: '',
		},
	};
}

export type EtnaToolOperation = 'getBalance' | 'withdraw' | 'deposit' | 'get' | 'getAll';

/** The ETNA Trader tool: the account (and, moving money, the amount) from the model. */
export function etnaToolNode(
	name: string,
	operation: EtnaToolOperation,
	credentialId: string,
	options: IDataObject = {},
): NodeJson {
	const movesMoney = operation === 'withdraw' || operation === 'deposit';
	return {
		name,
		type: ETNA_TOOL_TYPE,
		typeVersion: 1,
		parameters: {
			resource: 'tradingAccount',
			operation,
			accountId: FROM_AI.accountId,
			...(movesMoney ? { amount: FROM_AI.amount } : {}),
			options,
		},
		credentials: etnaCredentialRef(credentialId),
	};
}

/** The email review tool: approve and decline links, sent to a back office (`options`: its wait limit). */
export function emailReviewNode(
	name: string,
	smtpCredentialId: string,
	subject: string,
	options: IDataObject = {},
): NodeJson {
	return {
		name,
		type: EMAIL_REVIEW_TYPE,
		typeVersion: 2.1,
		webhookId: `${smtpCredentialId}-${name.replace(/\W+/g, '-')}`,
		parameters: {
			fromEmail: 'n8n@example.com',
			toEmail: 'backoffice@example.com',
			subject,
			message: REVIEW_MESSAGE,
			approvalOptions: { values: { approvalType: 'double' } },
			options,
		},
		credentials: { smtp: { id: smtpCredentialId, name: smtpCredentialId } },
	};
}

export function openAiModelNode(credentialId: string): NodeJson {
	return {
		name: MODEL_NODE,
		type: OPENAI_MODEL_TYPE,
		typeVersion: OPENAI_MODEL_VERSION,
		parameters: {
			model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
			responsesApiEnabled: false,
			// One request per model turn: a fake's refusal should fail fast, not be retried.
			options: { maxRetries: 0 },
		},
		credentials: { openAiApi: { id: credentialId, name: credentialId } },
	};
}

/** A tool of the agent, wired straight to it or through a review node. */
export interface AgentTool {
	tool: NodeJson;
	review?: NodeJson;
}

export interface AgentWorkflowOptions {
	/** The AI Agent's typeVersion (AGENT_VERSIONS). */
	agentVersion: number;
	modelCredentialId: string;
	tools: AgentTool[];
	/**
	 * A POST webhook at this path (answering at once) whose body's `prompt` is the agent's
	 * prompt; a Manual Trigger with `prompt` when absent.
	 */
	webhookPath?: string;
	/** The prompt of a Manual Trigger workflow. */
	prompt?: string;
	/** A node between the trigger and the agent (what feeds the agent its input item). */
	beforeAgent?: NodeJson;
	/** Pinned output of nodes, by name (n8n uses it in manual runs). */
	pinData?: IDataObject;
}

const AI_TOOL = 'ai_tool';

function link(node: string, type: string): IDataObject {
	return { [type]: [[{ node, type, index: 0 }]] };
}

/** Trigger > AI Agent, its chat model and its tools (each straight or through its review node). */
export function agentWorkflow(
	id: string,
	{
		agentVersion,
		modelCredentialId,
		tools,
		webhookPath,
		prompt = '',
		beforeAgent,
		pinData,
	}: AgentWorkflowOptions,
): IDataObject {
	const trigger: NodeJson = webhookPath
		? postWebhookNode('Request received', id, webhookPath)
		: { name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
	const agent: NodeJson = {
		name: AGENT_NODE,
		type: AGENT_TYPE,
		typeVersion: agentVersion,
		parameters: {
			promptType: 'define',
			text: webhookPath ? '={{ $json.body.prompt }}' : prompt,
			options: {},
		},
	};
	const placed = (node: NodeJson, x: number, y: number): IDataObject => ({
		id: `${id}-${node.name.replace(/\W+/g, '-')}`,
		position: [x, y],
		...node,
	});
	const nodes = [
		placed(trigger, 0, 0),
		placed(agent, 260, 0),
		placed(openAiModelNode(modelCredentialId), 160, 240),
	];
	const connections: IDataObject = beforeAgent
		? {
				[trigger.name]: link(beforeAgent.name, 'main'),
				[beforeAgent.name]: link(AGENT_NODE, 'main'),
			}
		: { [trigger.name]: link(AGENT_NODE, 'main') };
	if (beforeAgent) nodes.push(placed(beforeAgent, 130, -160));
	connections[MODEL_NODE] = link(AGENT_NODE, 'ai_languageModel');
	tools.forEach(({ tool, review }, index) => {
		const x = 360 + 220 * index;
		nodes.push(placed(tool, x, review ? 480 : 240));
		if (review) {
			nodes.push(placed(review, x, 240));
			connections[tool.name] = link(review.name, AI_TOOL);
			connections[review.name] = link(AGENT_NODE, AI_TOOL);
		} else {
			connections[tool.name] = link(AGENT_NODE, AI_TOOL);
		}
	});
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
		...(pinData ? { pinData } : {}),
	};
}

/** OpenAI's node as n8n ships it: Message a Model (v1.8: Chat Completions), with its tools shown. */
export const OPENAI_NODE_TYPE = '@n8n/n8n-nodes-langchain.openAi';

/**
 * A workflow of two OpenAI nodes one after the other, both given the same tools: a chain of
 * models, each running its tools inside its own call (no engine request, no review step).
 */
export function openAiChainWorkflow(
	id: string,
	{
		modelCredentialId,
		prompts,
		tools,
		webhookPath,
	}: {
		modelCredentialId: string;
		prompts: [string, string];
		tools: NodeJson[];
		webhookPath: string;
	},
): IDataObject {
	const names = ['First model', 'Second model'];
	const trigger = postWebhookNode('Request received', id, webhookPath);
	const openAi = (name: string, prompt: string, index: number): IDataObject => ({
		id: `${id}-${index}`,
		name,
		type: OPENAI_NODE_TYPE,
		typeVersion: 1.8,
		position: [260 + 260 * index, 0],
		parameters: {
			resource: 'text',
			operation: 'message',
			modelId: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
			messages: { values: [{ content: prompt }] },
			hideTools: 'show',
			options: {},
		},
		credentials: { openAiApi: { id: modelCredentialId, name: modelCredentialId } },
	});
	const connections: IDataObject = {
		[trigger.name]: link(names[0], 'main'),
		[names[0]]: link(names[1], 'main'),
	};
	for (const tool of tools) {
		connections[tool.name] = {
			[AI_TOOL]: [names.map((node) => ({ node, type: AI_TOOL, index: 0 }))],
		};
	}
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${id}-trigger`, position: [0, 0], ...trigger },
			openAi(names[0], prompts[0], 0),
			openAi(names[1], prompts[1], 1),
			...tools.map((tool, index) => ({
				id: `${id}-tool-${index}`,
				position: [390 + 220 * index, 240],
				...tool,
			})),
		],
		connections,
	};
}

/** One run of a node as n8n records it, with what the engine says about where its input came from. */
export interface NodeRun {
	executionStatus?: string;
	source?: Array<{ previousNode?: string; previousNodeRun?: number } | null>;
	inputOverride?: Record<string, Array<Array<{ json: IDataObject }> | null>>;
	data?: Record<string, Array<Array<{ json: IDataObject }> | null>>;
	error?: { message?: string; description?: string };
}

export interface AgentRun {
	data?: {
		resultData: {
			runData: Record<string, NodeRun[] | undefined>;
			error?: { message: string; description?: string };
			lastNodeExecuted?: string;
		};
	};
	status?: string;
}

/** Every run of a node in an execution (tools and review nodes run once per call). */
export function runsOf(result: AgentRun, node: string): NodeRun[] {
	return result.data?.resultData.runData[node] ?? [];
}

/** The items of every run of a node on one connection type ('main', 'ai_tool'). */
export function itemsOf(result: AgentRun, node: string, type = AI_TOOL): IDataObject[] {
	return runsOf(result, node).flatMap((run) =>
		(run.data?.[type] ?? []).flatMap((items) => (items ?? []).map((item) => item.json)),
	);
}

/** What the agent put out: `output`, its final answer. */
export function agentOutput(result: AgentRun): IDataObject[] {
	return itemsOf(result, AGENT_NODE, 'main');
}
