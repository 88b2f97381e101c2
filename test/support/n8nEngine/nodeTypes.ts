// The node types the in-process engine knows: the package's node, the tool n8n generates from
// it, its trigger, and stand-ins for the nodes around a tool in an agent workflow (the agent, its
// chat model, the human review tools), which these tests never run.
import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	type NodeConnectionType,
} from 'n8n-workflow';

import { EtnaTrader } from '../../../nodes/EtnaTrader/EtnaTrader.node';
import { EtnaTraderTrigger } from '../../../nodes/EtnaTraderTrigger/EtnaTraderTrigger.node';

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

/** The node types above, and `extra` ones a single run needs (the credential test's temp node). */
export class TestNodeTypes implements INodeTypes {
	constructor(private readonly extra: Record<string, INodeType> = {}) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const found = this.extra[nodeType] ?? nodeTypeInstances[nodeType];
		if (found) return found;
		// Any review tool (or a node that only looks like one): its connections are all that count.
		if (nodeType.endsWith('HitlTool')) return reviewToolType(nodeType);
		throw new Error(`Unknown node type ${nodeType}`);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
