// What every e2e suite starts from: the sandbox (its own app key), and a private real n8n of the
// line ETNA_N8N_LINE names, with the package installed from its tarball as n8n installs it.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { ensureN8n, n8nLineFromEnv, pins, type N8nLine } from '../../../scripts/n8n/install';
import { createN8nInstance, type N8nInstance } from '../../../scripts/n8n/instance';
import { packPackage } from '../../../scripts/n8n/package';
import {
	credentialData,
	startSandboxWorld,
	userNamed,
	type SandboxWorld,
} from '../../realN8n/sandboxWorld';

/** The n8n line under test: read when the file loads, so test names can say it. */
export const LINE: N8nLine = n8nLineFromEnv();

/** "n8n 1.123.81 (legacy line)": how suite names say which n8n they ran on. */
export const N8N_LABEL = `n8n ${pins(LINE).n8n} (${LINE} line)`;

/** The credential id the examples point at, as they ship. */
export const EXAMPLE_CREDENTIAL_ID = 'etnaSandboxCred1';

export interface E2eWorld extends SandboxWorld {
	n8n: N8nInstance;
	tarball: string;
}

export function log(line: string): void {
	process.stdout.write(`[e2e] ${line}\n`);
}

export async function startWorld(sandbox: { accountCount?: number } = {}): Promise<E2eWorld> {
	const install = await ensureN8n(log);
	const tarball = await packPackage();
	// The e2e world also gives the PIN user a random PIN, for the leak checks.
	const sandboxWorld = await startSandboxWorld({
		keyPrefix: 'e2e-key',
		randomPins: true,
		accountCount: sandbox.accountCount,
	});
	const n8n = await createN8nInstance(install, tarball);
	log(`${N8N_LABEL} in ${n8n.userFolder}, sandbox at ${sandboxWorld.sandbox.apiUrl}`);
	return { ...sandboxWorld, n8n, tarball };
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

/**
 * The file's world: started, then `setUp` (the file's imports), before all its tests; stopped
 * after them, whatever failed.
 */
export function useWorld(
	setUp: (world: E2eWorld) => Promise<void>,
	sandbox: { accountCount?: number } = {},
): void {
	let started: E2eWorld | undefined;
	beforeAll(async () => {
		started = await startWorld(sandbox);
		await setUp(started);
	}, 20 * 60_000);
	afterAll(async () => {
		await stopWorld(started);
	});
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
