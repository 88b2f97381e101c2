// What the editor suite runs against: the sandbox with a random app key and passwords, and the
// pinned real n8n with the package installed from its tarball as n8n installs it, its owner set
// up, and one credential imported through n8n's CLI for the execution steps.
import { rmSync } from 'node:fs';
import path from 'node:path';

import { ensureN8n } from '../../../scripts/n8n/install';
import {
	createN8nInstance,
	importCredentials,
	type N8nInstance,
} from '../../../scripts/n8n/instance';
import { packPackage } from '../../../scripts/n8n/package';
import { startN8n, type RunningN8n } from '../../../scripts/n8n/server';
import { ownerSession } from '../../realN8n/rest';
import {
	credentialData,
	etnaCredential,
	startSandboxWorld,
	type SandboxWorld,
} from '../../realN8n/sandboxWorld';
import { log } from './artifacts';
import {
	guard,
	killAll,
	processesCarrying,
	unguard,
	waitUntilGone,
	type Leftover,
} from './leftovers';

/** The credential the execution steps pick by name (imported, so they do not depend on the dialog). */
export const IMPORTED_CREDENTIAL = 'ETNA sandbox (imported)';

export interface EditorWorld extends SandboxWorld {
	n8n: N8nInstance;
	server: RunningN8n;
	/** The owner's login cookie, `n8n-auth=...`. */
	authCookie: string;
	tarball: string;
}

/** What must never reach the browser: app key, passwords and every token issued so far. */
export function secretsOf(world: EditorWorld): Array<{ name: string; value: string }> {
	return [
		{ name: 'the app key', value: world.appKey },
		...world.users.map((user) => ({ name: `${user.username}'s password`, value: user.password })),
		...world.issuedTokens.map((token, index) => ({
			name: `issued token #${index + 1}`,
			value: token,
		})),
	];
}

/** What n8n's processes carry: n8n its folder; its task runner, given few settings, its broker. */
function n8nMarkers(n8n: N8nInstance): string[] {
	return [
		`N8N_USER_FOLDER=${n8n.userFolder}`,
		`N8N_RUNNERS_TASK_BROKER_URI=http://127.0.0.1:${n8n.env.N8N_RUNNERS_BROKER_PORT ?? ''}`,
	];
}

export async function startEditorWorld(): Promise<EditorWorld> {
	const install = await ensureN8n(log);
	const tarball = await packPackage();
	guard('folder', path.dirname(tarball));
	const sandboxWorld = await startSandboxWorld({ keyPrefix: 'editor-key' });
	const { sandbox } = sandboxWorld;
	let n8n: N8nInstance | undefined;
	let server: RunningN8n | undefined;
	try {
		n8n = await createN8nInstance(install, tarball);
		guard('folder', n8n.userFolder);
		for (const marker of n8nMarkers(n8n)) guard('env', marker);
		await importCredentials(n8n, [
			etnaCredential(
				'etnaEditorCred01',
				credentialData(sandboxWorld, { token: sandbox.model.issueToken('admin') }),
				IMPORTED_CREDENTIAL,
			),
		]);
		const started = Date.now();
		server = await startN8n(n8n);
		const { cookie: authCookie } = await ownerSession(server, n8n, sandboxWorld.ownerPassword);
		log(
			`n8n ${install.pins.n8n} at ${server.url} ready in ${Date.now() - started} ms (folder ${n8n.userFolder}), sandbox at ${sandbox.apiUrl}`,
		);
		return { ...sandboxWorld, n8n, server, authCookie, tarball };
	} catch (error) {
		await server?.stop();
		await sandbox.close();
		if (n8n) {
			killAll(n8nMarkers(n8n).flatMap((marker) => processesCarrying(marker)));
			rmSync(n8n.userFolder, { recursive: true, force: true });
			for (const value of [n8n.userFolder, ...n8nMarkers(n8n)]) unguard(value);
		}
		rmSync(path.dirname(tarball), { recursive: true, force: true });
		unguard(path.dirname(tarball));
		throw error;
	}
}

/**
 * Stops n8n and checks that nothing of it is left (killing what is), then the sandbox, then
 * removes n8n's folder unless ETNA_KEEP_EDITOR is set.
 */
export async function stopEditorWorld(world: EditorWorld | undefined): Promise<void> {
	if (!world) return;
	await world.server.stop();
	const markers = n8nMarkers(world.n8n);
	const left: Leftover[] = [];
	for (const marker of markers) left.push(...(await waitUntilGone(marker)));
	killAll(left);
	await world.sandbox.close();
	const folders = [world.n8n.userFolder, path.dirname(world.tarball)];
	if (process.env.ETNA_KEEP_EDITOR) {
		log(`kept ${world.n8n.userFolder}`);
	} else {
		for (const folder of folders) rmSync(folder, { recursive: true, force: true });
	}
	for (const value of [...markers, ...folders]) unguard(value);
	if (left.length > 0) {
		throw new Error(`n8n processes were left and killed: ${JSON.stringify(left)}`);
	}
	log('n8n and the sandbox stopped');
}
