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

/**
 * The README's pictures: with ETNA_DOCS_SCREENSHOTS set (`npm run docs:screenshots`), the suite
 * also saves the screens the README shows into docs/images, under their fixed names.
 */
export function docsImagesDir(): string | undefined {
	return process.env.ETNA_DOCS_SCREENSHOTS ? path.join(projectRoot(), 'docs', 'images') : undefined;
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

	/** A screen the README shows (`name`.png in docs/images), when docs screenshots are on. */
	async forDocs(page: Page, name: string): Promise<void> {
		const folder = docsImagesDir();
		if (!folder) return;
		mkdirSync(folder, { recursive: true });
		const file = path.join(folder, `${name}.png`);
		await page.screenshot({ path: file, animations: 'disabled' });
		log(`docs picture ${file}`);
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
