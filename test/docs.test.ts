// The README's pictures come from the real editor (`npm run docs:screenshots` runs the editor
// suite, which saves them into docs/images): each must be there, a PNG, and shown by the README;
// every picture the README shows must be there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const imagesDir = path.join(root, 'docs', 'images');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The screens the editor suite saves for the README (test/editor/etnaTrader.editor.spec.ts). */
const PICTURES = [
	'nodes-panel',
	'withdraw-node',
	'credential-dialog',
	'error-item',
	'trigger-node',
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("the README's pictures", () => {
	it.each(PICTURES)('has docs/images/%s.png, a real screenshot', (name) => {
		const file = path.join(imagesDir, `${name}.png`);

		expect(existsSync(file)).toBe(true);
		expect(readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
		expect(statSync(file).size).toBeGreaterThan(10_000);
	});

	it.each(PICTURES)('shows docs/images/%s.png', (name) => {
		expect(readme).toContain(`](docs/images/${name}.png)`);
	});

	it('shows no picture that is not there, and keeps none it does not show', () => {
		const shown = [...readme.matchAll(/!\[[^\]]*\]\((docs\/images\/[^)]+)\)/g)].map(
			(match) => match[1],
		);
		const kept = readdirSync(imagesDir).map((name) => `docs/images/${name}`);

		expect(shown.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
		expect(kept.filter((file) => !shown.includes(file))).toEqual([]);
	});
});
