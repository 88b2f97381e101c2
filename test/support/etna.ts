// Shared set-up for tests that talk to the ETNA sandbox over loopback.
import { randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { startEtnaSandbox, type EtnaSandbox, type RecordedRequest } from '../../sandbox/server';
import { runEtnaNode, type NodeRun, type OnError } from './n8nEngine';

export interface SandboxFixture {
	readonly sandbox: EtnaSandbox;
	/** A random app key, so a leak check cannot pass by luck. */
	readonly appKey: string;
	/** A fresh administrator's token, minted for each test. */
	readonly adminToken: string;
	credentials(overrides?: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject;
	withdrawals(): RecordedRequest[];
}

/** Starts one sandbox for the file and resets it before each test. */
export function useSandbox(): SandboxFixture {
	const appKey = `key-${randomBytes(9).toString('hex')}`;
	let sandbox: EtnaSandbox | undefined;
	let adminToken = '';
	beforeAll(async () => {
		sandbox = await startEtnaSandbox({ appKeys: [appKey] });
	});
	beforeEach(() => {
		sandbox?.reset();
		adminToken = sandbox?.model.issueToken('admin') ?? '';
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	const fixture: SandboxFixture = {
		get sandbox() {
			if (!sandbox) throw new Error('The sandbox has not started');
			return sandbox;
		},
		appKey,
		get adminToken() {
			return adminToken;
		},
		credentials(overrides = {}) {
			return {
				baseUrl: fixture.sandbox.apiUrl,
				apiVersion: '1.0',
				appKey,
				authMethod: 'token',
				token: adminToken,
				...overrides,
			};
		},
		withdrawals() {
			return fixture.sandbox
				.apiRequests()
				.filter((request) => request.path.endsWith('/withdrawal'));
		},
	};
	return fixture;
}

export interface WithdrawOptions {
	onError?: OnError;
	credentials?: ICredentialDataDecryptedObject;
	options?: INodeParameters;
	retryOnFail?: boolean;
}

/** Runs Withdraw with Account ID and Amount mapped from each item's json, as users set it up. */
export async function withdraw(
	fixture: SandboxFixture,
	items: IDataObject[],
	{ onError, credentials, options, retryOnFail }: WithdrawOptions = {},
): Promise<NodeRun> {
	return await runEtnaNode({
		parameters: {
			accountId: '={{ $json.accountId }}',
			amount: '={{ $json.amount }}',
			...(options ? { options } : {}),
		},
		items,
		credentials: credentials ?? fixture.credentials(),
		onError,
		retryOnFail,
	});
}
