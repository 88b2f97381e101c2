import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { describeLoginFailure } from '../nodes/EtnaTrader/helpers/errors';
import {
	authenticationHeaders,
	credentialTestRequest,
	EtnaLoginError,
	readConnection,
	sessionTokenFor,
} from '../nodes/EtnaTrader/transport';

export class EtnaTraderApi implements ICredentialType {
	name = 'etnaTraderApi';

	displayName = 'ETNA Trader API';

	icon: Icon = { light: 'file:etnaTrader.svg', dark: 'file:etnaTrader.dark.svg' };

	// No #fragment: n8n appends its tracking query to the link, after which a fragment breaks it.
	documentationUrl = 'https://github.com/etna-trader-n8n/n8n-nodes-etna-trader/blob/main/README.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://priv-api-yourcompany.etnasoft.us/api',
			description: "Your broker's ETNA private API root, without the /v1.0 part",
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '1.0',
			description:
				'The version in the API paths. Leave it at 1.0 unless your deployment has several.',
		},
		// The Et-App-Key identifies the company's app to ETNA: a secret like the token.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The Et-App-Key: in ETNA's BO Companies widget, edit the company's settings and open the WebApi tab",
		},
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'Administrator Token',
					value: 'token',
					description:
						'A token issued to an ETNA administrator (POST /token); it lives 24 hours, then must be pasted again',
				},
				{
					name: 'Administrator Login',
					value: 'login',
					description:
						'The username and password of an ETNA administrator: n8n gets a token and renews it by itself. Use this for anything unattended.',
				},
			],
			default: 'token',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'An ETNA administrator\'s token. Only administrators may move money; a regular user\'s token gets HTTP 401. With or without the "Bearer " prefix.',
			displayOptions: { show: { authMethod: ['token'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			required: true,
			default: '',
			description:
				'An ETNA administrator. A login with a security PIN works (fill Security PIN); one that asks for a one-time code by email or SMS cannot, since an unattended workflow cannot type it.',
			displayOptions: { show: { authMethod: ['login'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			displayOptions: { show: { authMethod: ['login'] } },
		},
		// The PIN is a fixed secret, like the password: masked.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Security PIN',
			name: 'pinCode',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Only if ETNA asks this administrator for a security PIN after the password (ETNA's second login step). Leave empty otherwise.",
			displayOptions: { show: { authMethod: ['login'] } },
		},
		// The token of the login, kept by n8n: filled by preAuthentication when empty or refused (401).
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// n8n calls this when the session token is empty, after ETNA refused it (401) and on Test,
	// and stores what it returns in the credential, for every execution and every n8n process.
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const connection = readConnection(credentials);
		if (connection.auth.method !== 'login') return {};
		const login = await sessionTokenFor(this, connection);
		// Its message is what n8n shows, on the Test button and in an execution alike.
		if (!login.ok) {
			throw new EtnaLoginError(login.failure, describeLoginFailure(login.failure).message);
		}
		return { sessionToken: login.token };
	}

	// A function rather than a header template, so the token and key are read with the same
	// tolerance (spaces, "Bearer " prefix) as everywhere else in the node.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, ...authenticationHeaders(readConnection(credentials)) },
	});

	// Reads one account page (transport builds it from its routes table): an admin-only call
	// that moves no money, with all four query parameters ETNA requires.
	test: ICredentialTestRequest = {
		request: credentialTestRequest(),
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						"ETNA refused the token (HTTP 401): it is not an ETNA administrator's token, or it has expired",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'ETNA refused the App Key (HTTP 403): the Et-App-Key is wrong; copy it from BO Companies, WebApi tab',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'ETNA answered HTTP 404: check the Base URL (it usually ends in /api) and the API Version',
				},
			},
		],
	};
}
