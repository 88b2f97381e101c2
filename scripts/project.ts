// Where this project lives: the scripts and tests find its files (examples, package.json) from here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

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
