// A private n8n (its own folder, database, ports and encryption key) and its command line.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { N8nInstall } from './install';
import { installPackage } from './package';
import { run, type CommandResult } from './run';

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export interface N8nInstance {
	install: N8nInstall;
	userFolder: string;
	port: number;
	env: NodeJS.ProcessEnv;
	/** Everything n8n printed, every process, for the leak checks. */
	output: string[];
}

/** A private n8n with the package in it (installed from `tarball`, as n8n's installer does). */
export async function createN8nInstance(
	install: N8nInstall,
	tarball: string,
	options: { userFolder?: string; port?: number } = {},
): Promise<N8nInstance> {
	const userFolder = options.userFolder ?? mkdtempSync(path.join(tmpdir(), 'etna-n8n-'));
	mkdirSync(userFolder, { recursive: true });
	await installPackage(userFolder, tarball);
	// Nothing of the calling process's n8n or jest settings: NODE_ENV=test silences n8n entirely.
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(
			([name]) => !/^(N8N_|JEST_|NODE_ENV$|NODE_OPTIONS$)/.test(name),
		),
	);
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const keyFile = path.join(userFolder, 'encryption-key');
	if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('hex'));
	return {
		install,
		userFolder,
		port,
		output: [],
		env: {
			...inherited,
			PATH: `${path.dirname(install.nodeBinary)}${path.delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: readFileSync(keyFile, 'utf8'),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PORT: String(port),
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			NODE_ENV: 'production',
		},
	};
}

/** Runs an n8n CLI command to its end; a non-zero exit throws unless `allowFailure`. */
export async function n8nCli(
	instance: N8nInstance,
	args: string[],
	{
		allowFailure = false,
		timeoutMs = 120_000,
	}: { allowFailure?: boolean; timeoutMs?: number } = {},
): Promise<CommandResult> {
	const result = await run(instance.install.nodeBinary, [instance.install.n8nBinary, ...args], {
		cwd: instance.userFolder,
		env: instance.env,
		timeoutMs,
	});
	instance.output.push(result.stdout, result.stderr);
	if (result.code !== 0 && !allowFailure) {
		throw new Error(
			`n8n ${args.join(' ')} failed (${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}
	return result;
}

async function importFile(
	instance: N8nInstance,
	kind: 'credentials' | 'workflow',
	data: unknown[],
): Promise<void> {
	const file = path.join(
		instance.userFolder,
		`import-${kind}-${randomBytes(4).toString('hex')}.json`,
	);
	writeFileSync(file, JSON.stringify(data));
	try {
		await n8nCli(instance, [`import:${kind}`, `--input=${file}`]);
	} finally {
		// The credentials file holds the token in clear: it lives only for the import.
		rmSync(file, { force: true });
	}
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: IDataObject;
}

export async function importCredentials(
	instance: N8nInstance,
	credentials: CredentialImport[],
): Promise<void> {
	await importFile(instance, 'credentials', credentials);
}

export async function importWorkflows(
	instance: N8nInstance,
	workflows: IDataObject[],
): Promise<void> {
	await importFile(instance, 'workflow', workflows);
}

/** Makes a workflow's triggers live at the next start: `publish` in 2.x, `active` in 1.x. */
export async function publishWorkflow(instance: N8nInstance, id: string): Promise<void> {
	await n8nCli(
		instance,
		instance.install.line === 'legacy'
			? ['update:workflow', `--id=${id}`, '--active=true']
			: ['publish:workflow', `--id=${id}`],
	);
}

/** What `n8n execute --rawOutput` prints: the run, as JSON, after n8n's start-up lines. */
export interface ExecutionResult {
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<{ json: IDataObject }> | null> } }>
			>;
			error?: { message: string; description?: string };
		};
	};
	status?: string;
}

export async function executeWorkflow(instance: N8nInstance, id: string): Promise<ExecutionResult> {
	// A failed execution makes the command exit non-zero; its run is printed all the same.
	const result = await n8nCli(instance, ['execute', `--id=${id}`, '--rawOutput'], {
		allowFailure: true,
	});
	// The run is pretty-printed: from a line that is "{" to the next line that is "}".
	const start = result.stdout.search(/^\{$/m);
	const end = start < 0 ? -1 : result.stdout.slice(start).search(/^\}$/m);
	if (start < 0 || end < 0) {
		throw new Error(
			`n8n execute printed no run (${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}
	return JSON.parse(result.stdout.slice(start, start + end + 1)) as ExecutionResult;
}
