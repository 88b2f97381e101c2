// The credential's Test button, run in-process as n8n's CredentialsTester runs it.
import { ExecuteContext, RoutingNode } from 'n8n-core';
import { createRunExecutionData, Workflow, type INode, type INodeType } from 'n8n-workflow';

import { EtnaTraderApi } from '../../../credentials/EtnaTraderApi.credentials';
import { EtnaTrader } from '../../../nodes/EtnaTrader/EtnaTrader.node';
import type { TestCredentials } from './credentials';
import { additionalDataFor, lifecycleHooks } from './engine';
import { TestNodeTypes } from './nodeTypes';

export type CredentialTestResult = { ok: true } | { ok: false; status?: number; message: string };

/**
 * Runs the credential type's `test` request as n8n's Test button does (n8n's CredentialsTester):
 * through n8n-core's RoutingNode, which resolves the request's expressions and authenticates it.
 */
export async function runCredentialTest(
	credentials: TestCredentials,
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
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ [node.type]: tempType }),
	});
	const hooks = lifecycleHooks('internal', 'credential-test', node);
	const additionalData = additionalDataFor(credentials, hooks);
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
	}
}
