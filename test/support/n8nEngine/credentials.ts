// The one stand-in of the in-process engine, as in n8n's own node tests
// (packages/core/nodes-testing): the credentials store, which hands out the decrypted credential
// and applies the credential type's real `authenticate` and `preAuthentication`.
import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { EtnaTraderApi } from '../../../credentials/EtnaTraderApi.credentials';

/**
 * The credentials n8n keeps for one credential: what a user saved, plus what the type's
 * preAuthentication wrote back (n8n's CredentialsHelper.updateCredentials).
 */
export class CredentialStore {
	/** How many times n8n would have written the credential back (one per successful login). */
	writes = 0;

	constructor(private data: ICredentialDataDecryptedObject) {}

	/** The stored values, as n8n decrypts them afresh for every request. */
	read(): ICredentialDataDecryptedObject {
		return { ...this.data };
	}

	write(data: ICredentialDataDecryptedObject): void {
		this.data = { ...data };
		this.writes += 1;
	}
}

/** A credential's values, or a store shared by several runs (as n8n shares one credential). */
export type TestCredentials = ICredentialDataDecryptedObject | CredentialStore;

/** The store a run reads the ETNA credential from: the one given, or a new one holding the values. */
export function storeOf(credentials: TestCredentials): CredentialStore {
	return credentials instanceof CredentialStore ? credentials : new CredentialStore(credentials);
}

const credentialTypes: Record<string, ICredentialType> = { etnaTraderApi: new EtnaTraderApi() };

/**
 * A credentials store holding one credential per type, as n8n's nodes-testing has, that applies
 * the type's defaults, its `authenticate` and its `preAuthentication` as n8n's own
 * CredentialsHelper (packages/cli/src/credentials-helper.ts) does.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly stores: Record<string, CredentialStore>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	private typeOf(typeName: string): ICredentialType {
		const type = credentialTypes[typeName];
		if (!type) throw new Error(`Unknown credential type ${typeName}`);
		return type;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const type = this.typeOf(typeName);
		if (typeof type.authenticate !== 'function') {
			throw new Error(`Credential type ${typeName} has no authenticate function`);
		}
		return await type.authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	// n8n 2.41.1's CredentialsHelper.preAuthentication, step for step: run the type's
	// preAuthentication when the expirable field is empty, after a 401, or for a credential test,
	// and write what it returns back to the store.
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.typeOf(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		const store = this.stores[typeName];
		const refreshed = output[expirable.name] as ICredentialDataDecryptedObject[string];
		store.write({ ...store.read(), [expirable.name]: refreshed });
		return Object.assign(credentials, { [expirable.name]: refreshed });
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Stored credentials are not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const store = this.stores[type];
		if (!store) throw new Error(`No test credential of type ${type}`);
		// n8n fills in the type's defaults for fields the stored credential lacks.
		const defaults = Object.fromEntries(
			this.typeOf(type).properties.map((property) => [property.name, property.default]),
		) as ICredentialDataDecryptedObject;
		return { ...defaults, ...store.read() };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}
