// n8n's own REST API (what its editor calls), for what the command line cannot do: the owner's
// session, the credential's Test button, switching a live workflow on and off, running one by
// hand, and reading the executions it ran. The e2e, queue and editor suites all sign in here.
import { createRequire } from 'node:module';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { ExecutionResult, N8nInstance } from '../../scripts/n8n/instance';
import type { RunningN8n } from '../../scripts/n8n/server';
import { waitFor } from './waitFor';

export interface Session {
	url: string;
	/** The login cookie, `n8n-auth=...`. */
	cookie: string;
	n8n: N8nInstance;
}

const OWNER_EMAIL = 'owner@example.com';

/**
 * Signs in through `route` and keeps the login cookie. n8n answers /healthz before it has mounted
 * its REST routes: until then the route is a 404, or a 200 with the editor's page and no cookie
 * (or the connection is refused), so only a real n8n-auth cookie ends the wait; any other answer
 * ends it at once.
 */
async function signIn(
	server: RunningN8n,
	n8n: N8nInstance,
	route: string,
	body: IDataObject,
	timeoutMs: number,
): Promise<Session> {
	let last = 'nothing yet';
	const signedIn = async (): Promise<Session | undefined> => {
		const response = await fetch(`${server.url}/rest${route}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		}).catch((error: unknown) => String(error));
		if (typeof response === 'string') {
			last = response;
			return undefined;
		}
		const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
		if (response.status === 200 && cookie.startsWith('n8n-auth=')) {
			return { url: server.url, cookie, n8n };
		}
		last = `${response.status}: ${(await response.text()).slice(0, 300)}`;
		if (![200, 404].includes(response.status)) {
			throw new Error(`POST /rest${route} answered ${last}`);
		}
		return undefined;
	};
	return await waitFor(`a login cookie from POST /rest${route}`, signedIn, timeoutMs, 500).catch(
		(error: unknown) => {
			throw new Error(`${String(error)}; the last answer: ${last}`);
		},
	);
}

/** Creates the instance's owner (a fresh n8n has none) and keeps the login cookie. */
export async function ownerSession(
	server: RunningN8n,
	n8n: N8nInstance,
	password: string,
	timeoutMs = 60_000,
): Promise<Session> {
	const owner = { email: OWNER_EMAIL, firstName: 'Test', lastName: 'Owner', password };
	return await signIn(server, n8n, '/owner/setup', owner, timeoutMs);
}

/** The owner's login, on an n8n whose owner `ownerSession` set up: e.g. after a restart. */
export async function loginSession(
	server: RunningN8n,
	n8n: N8nInstance,
	password: string,
	timeoutMs = 60_000,
): Promise<Session> {
	const login = { emailOrLdapLoginId: OWNER_EMAIL, password };
	return await signIn(server, n8n, '/login', login, timeoutMs);
}

async function rest(
	session: Session,
	method: string,
	route: string,
	body?: unknown,
): Promise<unknown> {
	const response = await fetch(`${session.url}/rest${route}`, {
		method,
		headers: { 'content-type': 'application/json', cookie: session.cookie },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /rest${route} answered ${response.status}: ${text}`);
	return (JSON.parse(text) as { data: unknown }).data;
}

export interface CredentialToTest {
	id: string;
	name: string;
	type: string;
	data: IDataObject;
}

/** What the credential's Test button shows: { status: 'OK' | 'Error', message }. */
export async function testCredential(
	session: Session,
	credentials: CredentialToTest,
): Promise<IDataObject> {
	return (await rest(session, 'POST', '/credentials/test', { credentials })) as IDataObject;
}

/**
 * Publishes a workflow as the editor's Publish button does on n8n 2.x (its current version goes
 * live at once, activation poll included): for a running n8n, where the CLI's publish waits for
 * the next start.
 */
export async function activateWorkflow(session: Session, workflowId: string): Promise<void> {
	const { versionId } = (await rest(session, 'GET', `/workflows/${workflowId}`)) as {
		versionId: string;
	};
	await rest(session, 'POST', `/workflows/${workflowId}/activate`, { versionId });
}

export async function deactivateWorkflow(session: Session, workflowId: string): Promise<void> {
	await rest(session, 'POST', `/workflows/${workflowId}/deactivate`, {});
}

export interface ExecutionSummary {
	id: string;
	status: string;
}

/** Whether n8n is done with an execution: any status but new, running or waiting. */
export function isSettled(execution: Pick<ExecutionSummary, 'status'>): boolean {
	return !['new', 'running', 'waiting'].includes(execution.status);
}

export async function executionsOf(
	session: Session,
	workflowId: string,
): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	// n8n serves at most 100 a page; the suites run far fewer, and say so if that ever changes.
	const page = (await rest(session, 'GET', `/executions?filter=${filter}&limit=100`)) as {
		results: ExecutionSummary[];
	};
	if (page.results.length >= 100)
		throw new Error(`${workflowId} has more than a page of executions`);
	return page.results;
}

interface Flatted {
	parse(text: string): unknown;
}

/**
 * One execution's run data. n8n sends it in the `flatted` format (JSON with shared references);
 * it is read with the very flatted package n8n writes it with.
 */
export async function executionRun(session: Session, id: string): Promise<ExecutionResult> {
	const execution = (await rest(session, 'GET', `/executions/${id}`)) as {
		data: string;
		status?: string;
	};
	const requireFromN8n = createRequire(
		path.join(session.n8n.install.dir, 'node_modules', 'n8n', 'package.json'),
	);
	const flatted = requireFromN8n('flatted') as Flatted;
	return {
		data: flatted.parse(execution.data) as ExecutionResult['data'],
		status: execution.status,
	};
}

/**
 * Runs a workflow by hand, as the editor's "Execute workflow" button does (mode manual: n8n then
 * uses the workflow's pinned data), from the named trigger; the id of the execution it started.
 */
export async function runManually(
	session: Session,
	workflowId: string,
	triggerName: string,
): Promise<string> {
	const started = (await rest(session, 'POST', `/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: triggerName },
	})) as { executionId?: string; waitingForWebhook?: boolean };
	if (!started.executionId) {
		throw new Error(
			`The manual run of ${workflowId} started no execution: ${JSON.stringify(started)}`,
		);
	}
	return started.executionId;
}
