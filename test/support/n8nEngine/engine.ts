// What every in-process run stands on: the execution's additional data (the credentials store
// and n8n's URLs), n8n-core's lifecycle hooks, and a run through n8n-core's WorkflowExecute, so
// parameters, expressions, credentials, request helpers and error outputs all behave as in n8n.
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	type IExecuteData,
	type INode,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
} from 'n8n-workflow';

import { storeOf, TestCredentialsHelper, type TestCredentials } from './credentials';

function notUsed(name: string) {
	return () => {
		throw new Error(`${name} is not used by these tests`);
	};
}

/** The additional data of an execution whose ETNA credential is `credentials`. */
export function additionalDataFor(
	credentials: TestCredentials,
	hooks: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({ etnaTraderApi: storeOf(credentials) }),
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
export function lifecycleHooks(
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

/**
 * Runs `workflow` through n8n-core's WorkflowExecute from one node's execution (its input and
 * source as n8n would give them), with the ETNA credential in a store; resolves with the run.
 */
export async function executeFrom(
	workflow: Workflow,
	start: IExecuteData,
	credentials: TestCredentials,
	cancelWhen?: Promise<void>,
	recorded: Pick<IRunExecutionData['resultData'], 'runData' | 'pinData'> = { runData: {} },
): Promise<IRun> {
	const hooks = lifecycleHooks('manual', workflow.id, start.node);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolve(fullRunData));
	});
	const additionalData = additionalDataFor(credentials, hooks);
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
