// Shared set-up for tests that talk to the ETNA sandbox over loopback.
import { randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { startEtnaSandbox, type EtnaSandbox } from '../../sandbox/server';
import { runEtnaNode, type CredentialStore, type NodeRun, type OnError } from './n8nEngine';
import { sandboxRequests, type SandboxRequests } from './sandboxRequests';

/** The sandbox of a test file, and the requests it received since the test began, by kind. */
export interface SandboxFixture extends SandboxRequests {
	readonly sandbox: EtnaSandbox;
	/** A random app key, so a leak check cannot pass by luck. */
	readonly appKey: string;
	/** A fresh administrator's token, minted for each test. */
	readonly adminToken: string;
	credentials(overrides?: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject;
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
		...sandboxRequests(() => fixture.sandbox.apiRequests()),
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
	};
	return fixture;
}

export interface OperationOptions {
	onError?: OnError;
	credentials?: ICredentialDataDecryptedObject | CredentialStore;
	options?: INodeParameters;
	retryOnFail?: boolean;
	cancelWhen?: Promise<void>;
}

/** Runs any operation; `parameters` are the node's, besides resource, operation and options. */
export async function runOperation(
	fixture: SandboxFixture,
	operation: { resource: string; operation: string },
	parameters: INodeParameters,
	items: IDataObject[],
	{ onError, credentials, options, retryOnFail, cancelWhen }: OperationOptions = {},
): Promise<NodeRun> {
	return await runEtnaNode({
		parameters: { ...operation, ...parameters, ...(options ? { options } : {}) },
		items,
		credentials: credentials ?? fixture.credentials(),
		onError,
		retryOnFail,
		cancelWhen,
	});
}

/** Account ID and Amount mapped from each item's json, as users set a money operation up. */
const MAPPED_MONEY = { accountId: '={{ $json.accountId }}', amount: '={{ $json.amount }}' };

/**
 * A first run that paid these items and stopped, for tests of a re-run: returns a time a minute
 * before it (Skip If Already Paid Since), with the sandbox's requests forgotten.
 */
export async function paidInAFirstRun(
	fixture: SandboxFixture,
	items: IDataObject[],
	options: OperationOptions = {},
): Promise<string> {
	const since = new Date(Date.now() - 60_000).toISOString();
	await withdraw(fixture, items, options);
	fixture.sandbox.clearRequests();
	return since;
}

/** Runs Withdraw with Account ID and Amount mapped from each item's json. */
export async function withdraw(
	fixture: SandboxFixture,
	items: IDataObject[],
	options: OperationOptions = {},
): Promise<NodeRun> {
	const operation = { resource: 'tradingAccount', operation: 'withdraw' };
	return await runOperation(fixture, operation, MAPPED_MONEY, items, options);
}

/** Runs Deposit with Account ID and Amount mapped from each item's json. */
export async function deposit(
	fixture: SandboxFixture,
	items: IDataObject[],
	options: OperationOptions = {},
): Promise<NodeRun> {
	const operation = { resource: 'tradingAccount', operation: 'deposit' };
	return await runOperation(fixture, operation, MAPPED_MONEY, items, options);
}
