// The node as an AI Agent's tool: whether this run is one, and whether a person said yes to this
// very call in a human review step. n8n does not check a model's arguments, and a tool wired
// straight to an agent runs whatever the model asks: money operations run as a tool only behind
// a review step a person answered, or with Allow Without Human Review switched on.
//
// The rule, as read in n8n 2.41.1 (n8n-core, n8n-workflow, @n8n/n8n-nodes-langchain, n8n-nodes-base)
// and proved in real n8n 2.41.1 and 1.123.81 (test/e2e/agent.e2e.test.ts):
// 1. Allow Without Human Review counts only when switched on as a fixed value: an expression in it
//    (the model's `$fromAI`, an input's field) is refused.
// 2. n8n 1.x has no review steps: there, every money call as a tool is refused.
// 3. The run is n8n's engine running this node (an AI Agent v3 asks the engine to run its tools):
//    a tool run inside another node's own call (older agents, the OpenAI node, the MCP trigger)
//    has no review step in front of it.
// 4. The node that asked for the run is one of n8n's human review tools (HUMAN_REVIEW_TOOL_TYPES),
//    wired to this tool, not pinned, its fields not filled by the model, its message showing the
//    call as the tool runs it (`$json.toolParameters`, never `$tool.parameters`); the chat review
//    only when its user is trusted to approve.
// 5. Every approval that review node gave in this execution came from a person through its
//    buttons: n8n marks such a resume (`forwardAllOutputs`) and gives exactly
//    `{ data: { approved, respondedAt } }`. An approval that arrived any other way (a wait limit ran
//    out and the node passed the model's arguments through, `approved: true` among them) refuses.
// 6. The arguments the tool runs with are the ones the reviewer was shown: an own `query` field,
//    which `$fromAI` reads first, is refused.
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { hostN8nCoreMajor } from './engine';

/**
 * The human review tools of n8n 2.41.1: n8n generates a `<type>HitlTool` from every node with a
 * Send and Wait operation (n8n `dist/tool-generation/hitl-tools.js`). n8n also loads any other
 * name ending in `HitlTool` as a review step that passes the call straight on, so only these count.
 */
export const HUMAN_REVIEW_TOOL_TYPES = [
	'n8n-nodes-base.discordHitlTool',
	'n8n-nodes-base.emailSendHitlTool',
	'n8n-nodes-base.gmailHitlTool',
	'n8n-nodes-base.googleChatHitlTool',
	'n8n-nodes-base.microsoftOutlookHitlTool',
	'n8n-nodes-base.microsoftTeamsHitlTool',
	'n8n-nodes-base.slackHitlTool',
	'n8n-nodes-base.telegramHitlTool',
	'n8n-nodes-base.whatsAppHitlTool',
	'@n8n/n8n-nodes-langchain.chatHitlTool',
] as const;

/** The chat review: the person who approves is the chat's user, who may be the one asking. */
export const CHAT_REVIEW_TOOL_TYPE = '@n8n/n8n-nodes-langchain.chatHitlTool';

/** Whether this node is the tool n8n generated from it (what an agent calls). */
export function isToolNode(node: Pick<INode, 'type'>): boolean {
	return node.type.endsWith('Tool');
}

/** Whether this run is the node working as an agent's tool, on either of n8n's paths. */
export function runsAsTool(context: IExecuteFunctions): boolean {
	// isToolExecution: n8n 2.x, true only on the in-call path; the node's type covers both.
	return isToolNode(context.getNode()) || context.isToolExecution?.() === true;
}

/** Why a money call as a tool was refused; nothing is sent. */
export type ReviewRefusal =
	| { kind: 'optionIsExpression'; option: 'allowWithoutHumanReview' | 'trustChatApproval' }
	| { kind: 'noReviewOnThisN8n' }
	| { kind: 'inAnotherCall'; asker?: string }
	| { kind: 'noAsker' }
	| { kind: 'notAReviewTool'; asker: string; type?: string }
	| { kind: 'reviewDisabled'; asker: string }
	| { kind: 'reviewPinned'; asker: string }
	| { kind: 'reviewFilledByModel'; asker: string }
	| { kind: 'reviewHidesTheCall'; asker: string }
	| { kind: 'chatReview'; asker: string }
	| { kind: 'notAnsweredByPerson'; asker: string }
	| { kind: 'disguisedArguments' };

export type ReviewVerdict =
	| { ok: true; by: 'option' | 'person' }
	| { ok: false; refusal: ReviewRefusal };

/** One run of the review node as n8n recorded it. */
export interface ReviewRun {
	/** n8n resumed it through its resume link (a person's answer), not after its wait ran out. */
	answeredThroughLink: boolean;
	/** The items it gave the agent. */
	output: unknown[];
}

/** What n8n records of this run that the rule reads; gathered by `reviewFactsOf`. */
export interface ReviewFacts {
	/** The major version of the n8n-core running the node; undefined when unreadable. */
	coreMajor: number | undefined;
	/** The options as stored: an expression is a text starting with "=". */
	allowWithoutHumanReview: unknown;
	trustChatApproval: unknown;
	/** The engine runs this node itself (not another node inside its own call). */
	engineRun: boolean;
	/** The node that asked for this run, and which of its runs. */
	askerName?: string;
	askerRun?: number;
	asker?: {
		/** Unknown when the node did not run as a review step in this execution (an agent). */
		type?: string;
		disabled: boolean;
		/** Whether it takes this tool's ai_tool output. */
		takesThisTool: boolean;
		parameters: unknown;
		pinned: boolean;
		runs: ReviewRun[];
	};
	/** The model's arguments, as the tool's fields read them, carry an own `query` field. */
	argumentsHaveQuery: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An approval as n8n's agent reads one (processHitlResponses): `approved` or `data.approved`. */
function approves(json: unknown): boolean {
	if (!isRecord(json)) return false;
	return json.approved === true || (isRecord(json.data) && json.data.approved === true);
}

/** A person's yes through the review's buttons: n8n's resume, with exactly what the webhook gives. */
function isPersonsYes(run: ReviewRun | undefined): boolean {
	if (!run || !run.answeredThroughLink || run.output.length !== 1) return false;
	const [json] = run.output;
	return (
		isRecord(json) &&
		Object.keys(json).length === 1 &&
		isRecord(json.data) &&
		json.data.approved === true &&
		typeof json.data.respondedAt === 'string'
	);
}

const FROM_AI = /\$fromai\s*\(/i;
/** The call as the tool will run it, in a review's message: `$json.toolParameters`. */
const THE_CALL = /\$json(\.toolParameters|\[\s*['"]toolParameters['"]\s*\])/;
/** `$tool.parameters` reads the model's `query` first: a model can make it show another call. */
const A_DISGUISABLE_CALL = /\$tool\.parameters/;

/**
 * Whether the review shows the person the call the tool will run: its fields read
 * `$json.toolParameters` and never `$tool.parameters`. A message left as n8n's default is not
 * stored, and that default shows `$tool.parameters` ("[object Object]").
 */
function showsTheCall(parameters: unknown): boolean {
	const text = JSON.stringify(parameters ?? {});
	return THE_CALL.test(text) && !A_DISGUISABLE_CALL.test(text);
}

/** The rule above, on the facts: a verdict, with the one reason a refusal gives. */
export function judgeReview(facts: ReviewFacts): ReviewVerdict {
	const refuse = (refusal: ReviewRefusal): ReviewVerdict => ({ ok: false, refusal });
	if (typeof facts.allowWithoutHumanReview === 'string') {
		return refuse({ kind: 'optionIsExpression', option: 'allowWithoutHumanReview' });
	}
	if (facts.allowWithoutHumanReview === true) return { ok: true, by: 'option' };
	if (facts.coreMajor === undefined || facts.coreMajor < 2) {
		return refuse({ kind: 'noReviewOnThisN8n' });
	}
	if (!facts.engineRun) return refuse({ kind: 'inAnotherCall', asker: facts.askerName });
	const { askerName, asker } = facts;
	if (askerName === undefined || asker === undefined) return refuse({ kind: 'noAsker' });
	const isReviewTool = HUMAN_REVIEW_TOOL_TYPES.some((type) => type === asker.type);
	// An unknown type: a node that took no review step's run in this execution, e.g. the agent.
	if (!isReviewTool || !asker.takesThisTool) {
		return refuse({ kind: 'notAReviewTool', asker: askerName, type: asker.type });
	}
	if (asker.disabled) return refuse({ kind: 'reviewDisabled', asker: askerName });
	if (asker.pinned) return refuse({ kind: 'reviewPinned', asker: askerName });
	if (FROM_AI.test(JSON.stringify(asker.parameters ?? {}))) {
		return refuse({ kind: 'reviewFilledByModel', asker: askerName });
	}
	if (!showsTheCall(asker.parameters))
		return refuse({ kind: 'reviewHidesTheCall', asker: askerName });
	if (asker.type === CHAT_REVIEW_TOOL_TYPE) {
		if (typeof facts.trustChatApproval === 'string') {
			return refuse({ kind: 'optionIsExpression', option: 'trustChatApproval' });
		}
		if (facts.trustChatApproval !== true) return refuse({ kind: 'chatReview', asker: askerName });
	}
	// n8n points every call approved in one agent turn at the review's last run, so one approval
	// that no person gave taints them all; and the run this call came from must be a person's yes.
	const forged = asker.runs.some(
		(run) => run.output.some((json) => approves(json)) && !isPersonsYes(run),
	);
	const asked = asker.runs[facts.askerRun ?? asker.runs.length - 1];
	if (forged || !isPersonsYes(asked)) {
		return refuse({ kind: 'notAnsweredByPerson', asker: askerName });
	}
	if (facts.argumentsHaveQuery) return refuse({ kind: 'disguisedArguments' });
	return { ok: true, by: 'person' };
}

/** A node's run as n8n records it, as far as the rule reads it. */
interface RecordedRun {
	metadata?: { forwardAllOutputs?: unknown };
	data?: unknown;
	inputOverride?: unknown;
	source?: Array<{ previousNode?: unknown } | null>;
}

/** What n8n records of this execution, as far as the rule reads it. */
interface Recorded {
	runData: Record<string, RecordedRun[] | undefined>;
	pinData?: Record<string, unknown>;
}

/**
 * What n8n records of this execution: n8n-core's execution contexts keep it in `runExecutionData`,
 * a public field of the class that is not on the node's interface. Read defensively: a context
 * without it gives no facts, and so a refusal.
 */
function recordOf(context: IExecuteFunctions): Recorded {
	const record: unknown = (context as { runExecutionData?: unknown }).runExecutionData;
	const resultData = isRecord(record) ? record.resultData : undefined;
	if (!isRecord(resultData) || !isRecord(resultData.runData)) return { runData: {} };
	return {
		runData: resultData.runData as Recorded['runData'],
		pinData: isRecord(resultData.pinData) ? resultData.pinData : undefined,
	};
}

function aiToolJsonOf(data: unknown): unknown[] {
	if (!isRecord(data) || !Array.isArray(data.ai_tool)) return [];
	const [items] = data.ai_tool as unknown[];
	return Array.isArray(items) ? items.map((item) => (isRecord(item) ? item.json : undefined)) : [];
}

function storedOption(context: IExecuteFunctions, name: string): unknown {
	const options: unknown = context.getNode().parameters.options;
	return isRecord(options) ? options[name] : undefined;
}

/** The facts of this run, as n8n recorded them. */
export function reviewFactsOf(context: IExecuteFunctions): ReviewFacts {
	const self = context.getNode().name;
	const executeData = context.getExecuteData();
	const engineRun = context.isToolExecution?.() !== true && executeData.node.name === self;
	const source = executeData.source?.main?.[0];
	// Inside another node's call, n8n hands the tool that node's own execute data: the asker is
	// that node. On the engine's path it is the run's source.
	const recordedAsker = engineRun ? source?.previousNode : executeData.node.name;
	const askerName =
		typeof recordedAsker === 'string' && recordedAsker !== '' && recordedAsker !== self
			? recordedAsker
			: undefined;
	const { runData, pinData } = recordOf(context);
	const ownRuns = runData[self] ?? [];
	const ownInput = aiToolJsonOf(ownRuns[ownRuns.length - 1]?.inputOverride)[0];
	const facts: ReviewFacts = {
		coreMajor: hostN8nCoreMajor(),
		allowWithoutHumanReview: storedOption(context, 'allowWithoutHumanReview'),
		trustChatApproval: storedOption(context, 'trustChatApproval'),
		engineRun,
		askerName,
		askerRun: source?.previousNodeRun,
		argumentsHaveQuery:
			isRecord(ownInput) && Object.prototype.hasOwnProperty.call(ownInput, 'query'),
	};
	if (!engineRun || askerName === undefined) return facts;
	const askerRuns = runData[askerName] ?? [];
	// The review node's type and settings, through the node it feeds: the agent that asked it. A
	// node that was not asked by another in this execution (the agent itself) stays without a type.
	const agent = askerRuns[askerRuns.length - 1]?.source?.[0]?.previousNode;
	const reviewNode =
		typeof agent === 'string'
			? context
					.getParentNodes(agent, {
						connectionType: 'ai_tool',
						depth: 1,
						includeNodeParameters: true,
					})
					.find((parent) => parent.name === askerName)
			: undefined;
	facts.asker = {
		type: reviewNode?.type,
		disabled: reviewNode?.disabled ?? false,
		takesThisTool: context
			.getParentNodes(askerName, { connectionType: 'ai_tool', depth: 1 })
			.some((parent) => parent.name === self),
		parameters: reviewNode?.parameters,
		pinned: pinData?.[askerName] !== undefined,
		runs: askerRuns.map((run) => ({
			answeredThroughLink: run.metadata?.forwardAllOutputs === true,
			output: aiToolJsonOf(run.data),
		})),
	};
	return facts;
}

/** Whether this money call as a tool may go out: allowed by the option, or a person's yes. */
export function reviewOf(context: IExecuteFunctions): ReviewVerdict {
	return judgeReview(reviewFactsOf(context));
}
