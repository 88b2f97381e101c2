// What `npm pack` ships is what n8n installs: check it holds what the `n8n` field points at.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	name: string;
	main: string;
	dependencies?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
};

/**
 * npm test builds before jest; `npm run test:unit` alone may find no build yet (a fresh clone),
 * so the package is built here when its entry is missing.
 */
function ensureBuilt(): void {
	const entry = path.join(root, manifest.n8n.nodes[0]);
	if (!existsSync(entry)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}

function packedFiles(): string[] {
	ensureBuilt();
	// --ignore-scripts: the build already ran (npm test builds first); prepack would build again.
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	});
	const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
	return pack.files.map((file) => file.path).sort();
}

describe('the published package', () => {
	const files = packedFiles();

	it('ships every file the n8n field names, with the icons beside them', () => {
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials])
			expect(files).toContain(entry);
		expect(files).toEqual(
			expect.arrayContaining([
				'dist/nodes/EtnaTrader/EtnaTrader.node.json',
				'dist/nodes/EtnaTrader/etnaTrader.svg',
				'dist/nodes/EtnaTrader/etnaTrader.dark.svg',
				'dist/nodes/EtnaTraderTrigger/EtnaTraderTrigger.node.json',
				'dist/nodes/EtnaTraderTrigger/etnaTrader.svg',
				'dist/nodes/EtnaTraderTrigger/etnaTrader.dark.svg',
				'dist/credentials/etnaTrader.svg',
				'dist/credentials/etnaTrader.dark.svg',
				'index.js',
				'package.json',
				'README.md',
				'LICENSE.md',
			]),
		);
	});

	it('ships no tests, sandbox, sources or source maps', () => {
		expect(
			files.filter(
				(file) =>
					/^(test|sandbox|scripts|examples)\/|\.ts$|\.map$/.test(file) && !file.endsWith('.d.ts'),
			),
		).toEqual([]);
	});

	it('has no runtime dependencies, as n8n verification requires', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	});

	it('exports the nodes and the credential from its main entry', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const entry = require(path.join(root, manifest.main)) as Record<
			string,
			new () => { description?: { name: string }; name?: string }
		>;
		expect(new entry.EtnaTrader().description?.name).toBe('etnaTrader');
		expect(new entry.EtnaTraderTrigger().description?.name).toBe('etnaTraderTrigger');
		expect(new entry.EtnaTraderApi().name).toBe('etnaTraderApi');
	});
});
