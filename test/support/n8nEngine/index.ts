// The ETNA Trader node, its tool and its trigger run in-process through n8n's own execution
// engine (n8n-core), one file per job:
// - nodeTypes.ts: the node types it knows (ours, and stand-ins for an agent workflow's others);
// - credentials.ts: the one stand-in, the credentials store and helper (as n8n's nodes-testing);
// - engine.ts: additional data, lifecycle hooks and a run through WorkflowExecute;
// - runNode.ts: the node as a workflow's one node; toolCall.ts: the tool an agent asked for;
// - credentialTest.ts: the credential's Test button; polledTrigger.ts: the trigger's polls.
export {
	AGENT_TYPE,
	CHAT_MODEL_TYPE,
	EMAIL_REVIEW_TYPE,
	NODE_NAME,
	NODE_TYPE,
	TOOL_TYPE,
	TRIGGER_TYPE,
} from './nodeTypes';
export { CredentialStore, type TestCredentials } from './credentials';
export { etnaNode, runEtnaNode, type NodeRun, type OnError, type RunOptions } from './runNode';
export {
	PERSONS_YES,
	REVIEW_MESSAGE,
	runEtnaToolCall,
	type RecordedReviewRun,
	type ReviewStep,
	type ToolCallOptions,
	type ToolCaller,
	type ToolRun,
} from './toolCall';
export { runCredentialTest, type CredentialTestResult } from './credentialTest';
export { PolledTrigger, type PollOptions } from './polledTrigger';
