// A community package as n8n gets it: packed like the registry serves it, installed like n8n does.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { projectRoot } from '../project';
import { runOrFail } from './run';

/** `npm pack` of the built package (the caller builds first), as the registry would serve it. */
export async function packPackage(folder: string = projectRoot()): Promise<string> {
	const destination = mkdtempSync(path.join(tmpdir(), 'etna-pack-'));
	const result = await runOrFail(
		'npm',
		['pack', '--ignore-scripts', '--pack-destination', destination],
		{ cwd: folder },
	);
	const file = result.stdout.trim().split('\n').pop() ?? '';
	return path.join(destination, file);
}

/**
 * Puts the tarball into an n8n user folder as n8n's community-package installer does: unpack
 * into nodes/node_modules/NAME, drop dev, peer and optional dependencies, npm install there.
 * Returns the package's folder.
 */
export async function installPackage(userFolder: string, tarball: string): Promise<string> {
	// The name comes from the tarball itself, as n8n knows it from the name it was asked to install.
	const { stdout } = await runOrFail('tar', ['-xzOf', tarball, 'package/package.json'], {
		cwd: userFolder,
	});
	const { name } = JSON.parse(stdout) as { name: string };
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', name);
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
	return target;
}
