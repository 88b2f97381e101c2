// The scan n8n runs before it verifies a community package (@n8n/scan-community-package),
// offline: on the tarball `npm pack` makes (what n8n downloads from the registry) and on the
// sources (its provenance leg, where inline eslint-disable comments do not count).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'etna-scan-'));
const tarball = execFileSync(
	'npm',
	['pack', '--ignore-scripts', '--silent', '--pack-destination', work],
	{ cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
)
	.trim()
	.split('\n')
	.pop();
const unpacked = path.join(work, 'package');
mkdirSync(unpacked);
execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', unpacked, '--strip-components=1']);

const checks = [
	[tarball, unpacked, undefined],
	['the sources', root, ['package.json', '{nodes,credentials}/**/*.{js,ts,json}']],
];
let failed = false;
for (const [what, dir, patterns] of checks) {
	const result = await analyzePackage(dir, patterns);
	console.log(
		`${result.passed ? 'passed' : 'FAILED'}: n8n's community-package scan of ${what}${result.message ? ` (${result.message})` : ''}`,
	);
	if (!result.passed) {
		failed = true;
		console.log(result.details ?? '');
	}
}
rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
