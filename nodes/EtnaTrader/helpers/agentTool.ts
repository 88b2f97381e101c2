// The node as an AI Agent's tool: whether this run is one, and whether a person approved it in a
// human review step. n8n does not check a model's arguments, and a tool wired straight to an agent
// runs whatever the model asks: money operations run as a tool only behind a review step.
//
// How a run can tell (read in n8n-core and @n8n/n8n-nodes-langchain 2.41.1, and proved in real
// n8n 2.41.1 and 1.123.81 by test/e2e/agent.e2e.test.ts):
// - the tool is a node of its own type: n8n generates `<package>.etnaTraderTool` from
//   `usableAsTool`, so the node's type says whether it runs as a tool;
// - an agent runs a tool by asking the engine to run it (an "engine request"): the run's source
//   is the node that asked. Wired straight to the agent, that is the agent.
//   Behind a review step (a `*HitlTool` node), the agent asks the review node; only once a person
//   approves does n8n run the tool, with the review node as its source;
// - the older path (agents before v3, and n8n's other tool users) runs a tool inside the agent's
//   own call (`isToolExecution()` on 2.x): never behind a review step, which gates only the new
//   path. n8n 1.x has no review steps: there the node that asks is always the agent.
// So a run is approved when its source is a node that takes this tool's output and is no agent
// (an agent cannot run without a chat model; a review node has none). The model's arguments
// cannot touch any of this: they are only the run's input item.
import type { IExecuteFunctions, INode } from 'n8n-workflow';

/** Whether this node is the tool n8n generated from it (what an agent calls). */
export function isToolNode(node: Pick<INode, 'type'>): boolean {
	return node.type.endsWith('Tool');
}

/** Whether this run is the node working as an agent's tool, on either of n8n's paths. */
export function runsAsTool(context: IExecuteFunctions): boolean {
	// isToolExecution: n8n 2.x, true only on the older in-agent path; the node's type covers both.
	return isToolNode(context.getNode()) || context.isToolExecution?.() === true;
}

/**
 * The node that asked n8n to run this tool, from the run's source: n8n-core 2.41.1 records it as
 * the `main` source of the tool's run (a tool has no main input of its own).
 */
function requester(context: IExecuteFunctions): string | undefined {
	const previous = context.getExecuteData().source?.main?.[0]?.previousNode;
	return typeof previous === 'string' && previous !== '' ? previous : undefined;
}

/**
 * Whether a person approved this tool call in a human review step: the run was asked for by a
 * node that takes this tool's output and has no chat model (so it is no agent), on n8n's engine
 * path (the in-agent path never runs a reviewed tool).
 */
export function approvedByReviewStep(context: IExecuteFunctions): boolean {
	if (context.isToolExecution?.() === true) return false;
	const asker = requester(context);
	const self = context.getNode().name;
	if (asker === undefined || asker === self) return false;
	const takesThisTool = context
		.getParentNodes(asker, { connectionType: 'ai_tool', depth: 1 })
		.some((parent) => parent.name === self);
	if (!takesThisTool) return false;
	const hasChatModel =
		context.getParentNodes(asker, { connectionType: 'ai_languageModel', depth: 1 }).length > 0;
	return !hasChatModel;
}
