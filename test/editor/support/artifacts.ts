// Where the editor suite leaves its screenshots: one folder per run, emptied at the start, kept by
// CI as an artifact. Only PNG files go there (prettier and git have nothing to say about them).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { projectRoot } from '../../../scripts/project';

export function log(line: string): void {
	process.stdout.write(`[editor] ${line}\n`);
}

/** ETNA_EDITOR_ARTIFACTS, or test/editor/artifacts in the project. */
export function artifactsDir(): string {
	return (
		process.env.ETNA_EDITOR_ARTIFACTS ?? path.join(projectRoot(), 'test', 'editor', 'artifacts')
	);
}

function slug(text: string): string {
	return (
		text
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')
			.slice(0, 80) || 'step'
	);
}

/** Numbered screenshots, so the folder reads in the order the suite ran. */
export class Screenshots {
	private count = 0;

	readonly taken: string[] = [];

	constructor(readonly folder: string = artifactsDir()) {
		rmSync(folder, { recursive: true, force: true });
		mkdirSync(folder, { recursive: true });
		log(`screenshots in ${folder}`);
	}

	async take(page: Page, label: string): Promise<string> {
		this.count += 1;
		const file = path.join(
			this.folder,
			`${String(this.count).padStart(3, '0')}-${slug(label)}.png`,
		);
		await page.screenshot({ path: file, animations: 'disabled' });
		this.taken.push(file);
		log(`screenshot ${file}`);
		return file;
	}
}
