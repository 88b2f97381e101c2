// The node's modules depend one way: actions/ on helpers/ and transport/, helpers/ on transport/
// (its types and protocol reading), and transport/ on nothing of the node's own. So the request
// and its protocol can change without touching wording, and wording without touching HTTP.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const NODE_ROOT = path.join(__dirname, '../../../nodes/EtnaTrader');

function importsOf(folder: string): Array<{ file: string; from: string }> {
	return readdirSync(path.join(NODE_ROOT, folder))
		.filter((name) => name.endsWith('.ts'))
		.flatMap((name) => {
			const text = readFileSync(path.join(NODE_ROOT, folder, name), 'utf8');
			return [...text.matchAll(/from '([^']+)'/g)].map((match) => ({
				file: `${folder}/${name}`,
				from: match[1],
			}));
		});
}

describe('the layers of the node', () => {
	it('transport imports nothing from helpers or actions', () => {
		const upward = importsOf('transport').filter(({ from }) => /^\.\.\//.test(from));

		expect(importsOf('transport').length).toBeGreaterThan(10);
		expect(upward).toEqual([]);
	});

	it('helpers import nothing from actions', () => {
		const upward = importsOf('helpers').filter(({ from }) => from.includes('actions'));

		expect(upward).toEqual([]);
	});
});
