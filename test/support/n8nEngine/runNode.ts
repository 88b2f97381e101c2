// Runs the ETNA Trader node through n8n's own execution engine (n8n-core's WorkflowExecute), as
// the one node of a workflow, with the items and the credential a test gives.
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
} from 'n8n-workflow';

import type { TestCredentials } from './credentials';
import { executeFrom } from './engine';
import { NODE_NAME, NODE_TYPE, TestNodeTypes } from './nodeTypes';

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	parameters: INodeParameters;
	items: IDataObject[];
	/** A credential's values, or a store shared by several runs (as n8n shares one credential). */
	credentials: TestCredentials;
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
