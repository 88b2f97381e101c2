// The sandbox's modules import one way: no import circles, and the model (with the records, the
// seeds and the stores it is made of) knows nothing of the routes that stand on it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SANDBOX = path.join(__dirname, '../../sandbox');

function modules(): string[] {
	return [
		...readdirSync(SANDBOX).filter((name) => name.endsWith('.ts')),
		...readdirSync(path.join(SANDBOX, 'routes'))
			.filter((name) => name.endsWith('.ts'))
			.map((name) => `routes/${name}`),
	].map((name) => name.replace(/\.ts$/, ''));
}

/** Every relative import of a module (types included), as a module name. */
function importsOf(module: string): string[] {
	const text = readFileSync(path.join(SANDBOX, `${module}.ts`), 'utf8');
	return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) =>
		path.posix.normalize(path.posix.join(path.posix.dirname(module), match[1])),
	);
}

function cycleFrom(start: string, graph: Map<string, string[]>): string[] | undefined {
	const walk = (module: string, trail: string[]): string[] | undefined => {
		if (trail.includes(module)) return [...trail.slice(trail.indexOf(module)), module];
		for (const next of graph.get(module) ?? []) {
			const cycle = walk(next, [...trail, module]);
			if (cycle) return cycle;
		}
		return undefined;
	};
	return walk(start, []);
}

describe('the sandbox modules', () => {
	const graph = new Map(modules().map((module) => [module, importsOf(module)]));

	it('have no import circles', () => {
		const cycles = [...graph.keys()].map((module) => cycleFrom(module, graph)).filter(Boolean);

		expect(cycles).toEqual([]);
	});

	it('keep the model, its records, seeds and stores free of the routes and the server', () => {
		const modelSide = [
			'model',
			'records',
			'seed',
			'tokens',
			'directory',
			'holdings',
			'ledgerStore',
		];
		const upward = modelSide.flatMap((module) =>
			(graph.get(module) ?? [])
				.filter((imported) => imported.startsWith('routes/') || imported === 'server')
				.map((imported) => `${module} > ${imported}`),
		);

		expect(upward).toEqual([]);
	});
});
