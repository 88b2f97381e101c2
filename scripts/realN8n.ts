// A real n8n for the end-to-end suite and the demo: the pinned version, installed once into a
// cached folder on Node.js 24, with this package put into it the way n8n's own installer does.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

export const PACKAGE_NAME = 'n8n-nodes-etna-trader';

/** The project's root: the folder whose package.json is this package's. */
export function projectRoot(): string {
	let folder = __dirname;
	while (folder !== path.dirname(folder)) {
		const manifest = path.join(folder, 'package.json');
		if (
			existsSync(manifest) &&
			(JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
		) {
			return folder;
		}
		folder = path.dirname(folder);
	}
	throw new Error(`No ${PACKAGE_NAME} package.json above ${__dirname}`);
}

export interface Pins {
	n8n: string;
	node: string;
}

/** The versions, written once: package.json "config". */
export function pins(): Pins {
	const manifest = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
		config: { n8nVersion: string; n8nNodeJsVersion: string };
	};
	return { n8n: manifest.config.n8nVersion, node: manifest.config.n8nNodeJsVersion };
}

export interface N8nInstall {
	dir: string;
	pins: Pins;
	nodeBinary: string;
	n8nBinary: string;
}

type Log = (line: string) => void;

/** Where installs are kept: ETNA_N8N_CACHE_DIR, or the git-ignored .cache of the project. */
export function cacheRoot(): string {
	return process.env.ETNA_N8N_CACHE_DIR ?? path.join(projectRoot(), '.cache');
}

interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

function run(
	command: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
		const timer = options.timeoutMs
			? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
			: undefined;
		child.on('error', reject);
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			resolve({
				code,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			});
		});
	});
}

async function runOrFail(
	command: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (${result.code}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-4000)}`,
		);
	}
	return result;
}

/**
 * Installs the pinned n8n once (see shared n8n-notes: scripts off, then the two native pieces
 * rebuilt) and reuses it while its marker says the same versions.
 */
export async function ensureN8n(log: Log = () => undefined): Promise<N8nInstall> {
	const versions = pins();
	const dir = path.join(cacheRoot(), `n8n-${versions.n8n}`);
	const install: N8nInstall = {
		dir,
		pins: versions,
		nodeBinary: path.join(dir, 'node_modules', 'node', 'bin', 'node'),
		n8nBinary: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	const marker = path.join(dir, '.installed.json');
	if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(versions))
		return install;

	log(
		`Installing n8n ${versions.n8n} on Node.js ${versions.node} into ${dir} (first run only: about 5 to 8 minutes, 2.8 GB)`,
	);
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		path.join(dir, 'package.json'),
		`${JSON.stringify({ name: 'etna-n8n-runtime', private: true, dependencies: { n8n: versions.n8n, node: versions.node } }, null, 2)}\n`,
	);
	const started = Date.now();
	const heartbeat = setInterval(
		() => log(`  still installing (${Math.round((Date.now() - started) / 1000)} s)`),
		30_000,
	);
	try {
		log('  npm install (install scripts off: they would download binaries)');
		await runOrFail(
			'npm',
			['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
			{ cwd: dir },
		);
		log('  fetching the Node.js 24 binary (npm rebuild node)');
		await runOrFail('npm', ['rebuild', 'node', '--ignore-scripts=false'], { cwd: dir });
		log('  compiling sqlite3 from source (about 2 minutes)');
		await runOrFail('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: dir });
	} finally {
		clearInterval(heartbeat);
	}
	const nodeVersion = (
		await runOrFail(install.nodeBinary, ['--version'], { cwd: dir })
	).stdout.trim();
	const n8nVersion = (
		await runOrFail(install.nodeBinary, [install.n8nBinary, '--version'], { cwd: dir })
	).stdout.trim();
	if (nodeVersion !== `v${versions.node}` || n8nVersion !== versions.n8n) {
		throw new Error(
			`The install gave Node.js ${nodeVersion} and n8n ${n8nVersion}, not ${versions.node} and ${versions.n8n}`,
		);
	}
	writeFileSync(marker, JSON.stringify(versions));
	log(
		`  n8n ${n8nVersion} ready on Node.js ${nodeVersion} after ${Math.round((Date.now() - started) / 1000)} s`,
	);
	return install;
}

/** `npm pack` of the built package (the caller builds first), as the registry would serve it. */
export async function packPackage(): Promise<string> {
	const destination = mkdtempSync(path.join(tmpdir(), 'etna-pack-'));
	const result = await runOrFail(
		'npm',
		['pack', '--ignore-scripts', '--pack-destination', destination],
		{ cwd: projectRoot() },
	);
	const file = result.stdout.trim().split('\n').pop() ?? '';
	return path.join(destination, file);
}

/**
 * Puts the tarball into an n8n user folder as n8n's community-package installer does: unpack
 * into nodes/node_modules, drop dev, peer and optional dependencies, npm install there.
 */
export async function installPackage(userFolder: string, tarball: string): Promise<void> {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	await runOrFail('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { cwd: target });
	const manifestPath = path.join(target, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	await runOrFail(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--install-strategy=shallow',
			'--package-lock=false',
			'--no-audit',
			'--no-fund',
		],
		{ cwd: target },
	);
}

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

/** A private n8n (its own folder, database, ports and encryption key) with the package in it. */
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

export async function publishWorkflow(instance: N8nInstance, id: string): Promise<void> {
	await n8nCli(instance, ['publish:workflow', `--id=${id}`]);
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

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

/** `n8n start`: the editor and the webhooks, ready when /healthz answers. */
export async function startN8n(
	instance: N8nInstance,
	{ readyTimeoutMs = 120_000 }: { readyTimeoutMs?: number } = {},
): Promise<RunningN8n> {
	const child = spawn(instance.install.nodeBinary, [instance.install.n8nBinary, 'start'], {
		cwd: instance.userFolder,
		env: instance.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const collect = (chunk: Buffer) => instance.output.push(chunk.toString('utf8'));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const url = `http://127.0.0.1:${instance.port}`;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(killer);
		}
	};
	const deadline = Date.now() + readyTimeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) break;
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) return { url, process: child, stop };
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await stop();
	throw new Error(`n8n did not come up on ${url}:\n${instance.output.join('').slice(-4000)}`);
}

/**
 * Waits until a published POST webhook is live. n8n answers /healthz before it has mounted the
 * webhooks; a GET (which runs nothing) then says the path exists for POST.
 */
export async function waitForPostWebhook(
	server: RunningN8n,
	webhookPath: string,
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const response = await fetch(`${server.url}/webhook/${webhookPath}`).catch(() => undefined);
		const text = response ? await response.text() : '';
		if (/registered for GET requests\. Did you mean to make a POST request/.test(text)) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`The webhook ${webhookPath} did not come up on ${server.url}`);
}
