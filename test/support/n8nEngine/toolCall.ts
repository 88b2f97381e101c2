// Runs the ETNA Trader tool as n8n 2.41.1's engine runs a tool an AI Agent (or the review step in
// front of it) asked for, in a workflow with the agent, its chat model and, when wired so, the
// review step: what the review rule (helpers/agentTool.ts) reads is what n8n recorded there.
import {
	NodeConnectionTypes,
	Workflow,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
	type IRunExecutionData,
	type ITaskData,
} from 'n8n-workflow';

import type { TestCredentials } from './credentials';
import { executeFrom } from './engine';
import {
	AGENT_TYPE,
	CHAT_MODEL_TYPE,
	EMAIL_REVIEW_TYPE,
	TOOL_TYPE,
	TestNodeTypes,
} from './nodeTypes';
import { etnaNode } from './runNode';

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
	credentials: TestCredentials;
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
