// What every e2e suite starts from: the sandbox (its own app key), and a private real n8n of the
// line ETNA_N8N_LINE names, with the package installed from its tarball as n8n installs it.
import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { ensureN8n, n8nLineFromEnv, pins, type N8nLine } from '../../../scripts/n8n/install';
import { createN8nInstance, type N8nInstance } from '../../../scripts/n8n/instance';
import { packPackage } from '../../../scripts/n8n/package';
import { projectRoot } from '../../../scripts/project';
import { DEFAULT_USERS, type SandboxUser } from '../../../sandbox/model';
import { startEtnaSandbox, type EtnaSandbox } from '../../../sandbox/server';

/** The n8n line under test: read when the file loads, so test names can say it. */
export const LINE: N8nLine = n8nLineFromEnv();

/** "n8n 1.123.81 (legacy line)": how suite names say which n8n they ran on. */
export const N8N_LABEL = `n8n ${pins(LINE).n8n} (${LINE} line)`;

/** The credential id the examples point at, as they ship. */
export const EXAMPLE_CREDENTIAL_ID = 'etnaSandboxCred1';

export interface E2eWorld {
	sandbox: EtnaSandbox;
	n8n: N8nInstance;
	/** Random, so a leak check cannot pass by luck. */
	appKey: string;
	/** The sandbox's users, each password with a random tail for the same reason. */
	users: SandboxUser[];
	/** Every token the sandbox issued, in order, interim two-factor tokens included. */
	issuedTokens: string[];
	/** For n8n's owner account (8 to 64 characters, a digit and a capital). */
	ownerPassword: string;
	tarball: string;
}

export function log(line: string): void {
	process.stdout.write(`[e2e] ${line}\n`);
}

export function userNamed(world: E2eWorld, username: string): SandboxUser {
	const user = world.users.find((candidate) => candidate.username === username);
	if (!user) throw new Error(`No sandbox user ${username}`);
	return user;
}

/**
 * Records every token the sandbox issues, whoever asked: POST /token and the tests' own
 * shortcuts all go through the model's issueToken.
 */
function recordIssuedTokens(sandbox: EtnaSandbox): string[] {
	const issued: string[] = [];
	const issue = sandbox.model.issueToken.bind(sandbox.model);
	sandbox.model.issueToken = (username: string, interim?: boolean): string => {
		const token = issue(username, interim);
		issued.push(token);
		return token;
	};
	return issued;
}

export async function startWorld(): Promise<E2eWorld> {
	const install = await ensureN8n(log);
	const tarball = await packPackage();
	const tail = randomBytes(6).toString('hex');
	const appKey = `e2e-key-${tail}`;
	// A PIN of 9 random digits: long enough that finding it in n8n's files means a leak.
	const pin = String(randomInt(100_000_000, 999_999_999));
	const users = DEFAULT_USERS.map((user) => ({
		...user,
		password: `${user.password}-${tail}`,
		...(user.securityPin !== undefined ? { securityPin: pin } : {}),
	}));
	const sandbox = await startEtnaSandbox({ appKeys: [appKey], users });
	const issuedTokens = recordIssuedTokens(sandbox);
	const n8n = await createN8nInstance(install, tarball);
	log(`${N8N_LABEL} in ${n8n.userFolder}, sandbox at ${sandbox.apiUrl}`);
	const ownerPassword = `Owner-${tail}-1`;
	return { sandbox, n8n, appKey, users, issuedTokens, ownerPassword, tarball };
}

export async function stopWorld(world: E2eWorld | undefined): Promise<void> {
	if (!world) return;
	await world.sandbox.close();
	// Each run's n8n folder is ~50 MB; ETNA_KEEP_E2E=1 keeps it for a look after a failure.
	if (!process.env.ETNA_KEEP_E2E) {
		rmSync(world.n8n.userFolder, { recursive: true, force: true });
		rmSync(path.dirname(world.tarball), { recursive: true, force: true });
	}
}

/** An ETNA Trader API credential's data for the sandbox: token method unless `changes` say otherwise. */
export function credentialData(world: E2eWorld, changes: IDataObject): IDataObject {
	return {
		baseUrl: `${world.sandbox.apiUrl}/`,
		apiVersion: '1.0',
		appKey: world.appKey,
		authMethod: 'token',
		...changes,
	};
}

/** A login-method credential's data for one of the sandbox's users (`changes`, e.g. a pinCode). */
export function loginCredentialData(
	world: E2eWorld,
	username: string,
	password = userNamed(world, username).password,
	changes: IDataObject = {},
): IDataObject {
	return credentialData(world, { authMethod: 'login', username, password, ...changes });
}

export function example(name: string): IDataObject {
	return JSON.parse(
		readFileSync(path.join(projectRoot(), 'examples', name), 'utf8'),
	) as IDataObject;
}

/** The example's node of that name, to change a parameter the way a user would. */
export function nodeOf(workflow: IDataObject, name: string): IDataObject {
	const node = (workflow.nodes as IDataObject[]).find((candidate) => candidate.name === name);
	if (!node) throw new Error(`The workflow ${String(workflow.id)} has no node "${name}"`);
	return node;
}

/**
 * Everything n8n keeps in its folder (the SQLite database and its journal, event logs, config),
 * as text, for the leak checks. The installed package itself (nodes/) is code, not data.
 */
export function storedText(n8n: N8nInstance): string {
	const root = path.join(n8n.userFolder, '.n8n');
	const texts: string[] = [];
	const walk = (folder: string) => {
		for (const name of readdirSync(folder)) {
			const file = path.join(folder, name);
			if (file === path.join(root, 'nodes')) continue;
			if (statSync(file).isDirectory()) walk(file);
			else texts.push(readFileSync(file).toString('latin1'));
		}
	};
	walk(root);
	return texts.join('\n');
}

export async function waitFor(
	what: string,
	condition: () => boolean,
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
