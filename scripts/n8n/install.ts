// The pinned n8n, installed once per version into a cached folder, on the Node.js 24 it needs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { projectRoot } from '../project';
import { runOrFail } from './run';

/** Which n8n: `current` is the 2.x line, `legacy` the last 1.x. */
export type N8nLine = 'current' | 'legacy';

export const N8N_LINES: readonly N8nLine[] = ['current', 'legacy'];

export interface Pins {
	n8n: string;
	node: string;
}

export interface N8nInstall {
	line: N8nLine;
	dir: string;
	pins: Pins;
	nodeBinary: string;
	n8nBinary: string;
}

export type Log = (line: string) => void;

interface Config {
	n8nVersion: string;
	n8nLegacyVersion: string;
	n8nNodeJsVersion: string;
}

/** The versions, written once: package.json "config". Both lines run on the same Node.js 24. */
export function pins(line: N8nLine = 'current'): Pins {
	const { config } = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
		config: Config;
	};
	const n8n = line === 'legacy' ? config.n8nLegacyVersion : config.n8nVersion;
	return { n8n, node: config.n8nNodeJsVersion };
}

/**
 * The line ETNA_N8N_LINE names ("current", the default, or "legacy"): how the e2e suite and the
 * demo are pointed at n8n 1.x without a code change, e.g. `ETNA_N8N_LINE=legacy npm run test:e2e`.
 */
export function n8nLineFromEnv(): N8nLine {
	const value = process.env.ETNA_N8N_LINE;
	if (value === undefined || value === '') return 'current';
	const line = N8N_LINES.find((name) => name === value);
	if (!line) throw new Error(`ETNA_N8N_LINE is "${value}": use one of ${N8N_LINES.join(', ')}`);
	return line;
}

/** Where installs are kept: ETNA_N8N_CACHE_DIR, or the git-ignored .cache of the project. */
export function cacheRoot(): string {
	return process.env.ETNA_N8N_CACHE_DIR ?? path.join(projectRoot(), '.cache');
}

/** npm overrides per line. n8n-nodes-base 1.x takes xlsx from a CDN; this is the same SheetJS on npm. */
function overridesFor(line: N8nLine): Record<string, string> | undefined {
	return line === 'legacy' ? { xlsx: 'npm:@e965/xlsx@0.20.2' } : undefined;
}

/**
 * Installs a pinned n8n once (see shared n8n-notes: scripts off, then the two native pieces
 * rebuilt) and reuses it while its marker says the same versions. The line defaults to
 * ETNA_N8N_LINE, so the current 2.x unless that says otherwise.
 */
export async function ensureN8n(
	log: Log = () => undefined,
	line: N8nLine = n8nLineFromEnv(),
): Promise<N8nInstall> {
	const versions = pins(line);
	const overrides = overridesFor(line);
	const dir = path.join(cacheRoot(), `n8n-${versions.n8n}`);
	const install: N8nInstall = {
		line,
		dir,
		pins: versions,
		nodeBinary: path.join(dir, 'node_modules', 'node', 'bin', 'node'),
		n8nBinary: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	const marker = path.join(dir, '.installed.json');
	// The overrides are part of what was installed; without any, the marker is just the versions.
	const markerText = JSON.stringify(overrides ? { ...versions, overrides } : versions);
	if (existsSync(marker) && readFileSync(marker, 'utf8') === markerText) return install;

	log(
		`Installing n8n ${versions.n8n} on Node.js ${versions.node} into ${dir} (first run only: about 5 to 8 minutes, 2.8 GB)`,
	);
	mkdirSync(dir, { recursive: true });
	const manifest = {
		name: 'etna-n8n-runtime',
		private: true,
		dependencies: { n8n: versions.n8n, node: versions.node },
		...(overrides ? { overrides } : {}),
	};
	writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
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
	writeFileSync(marker, markerText);
	log(
		`  n8n ${n8nVersion} ready on Node.js ${nodeVersion} after ${Math.round((Date.now() - started) / 1000)} s`,
	);
	return install;
}
