// The README's claims about the examples, held to the files: the month-end payout follows the
// recommended production setup it names (every option the list gives, on its Withdraw), and the
// examples table lists exactly the files in examples/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

interface ExampleNode {
	name: string;
	type: string;
	parameters: { options?: Record<string, unknown> };
}

function example(file: string): { nodes: ExampleNode[] } {
	return JSON.parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as {
		nodes: ExampleNode[];
	};
}

/** A README section, from its heading to the next one. */
function section(heading: string): string {
	const start = readme.indexOf(`### ${heading}`);
	if (start < 0) throw new Error(`The README has no section "${heading}"`);
	const end = readme.indexOf('\n#', start + 4);
	return readme.slice(start, end < 0 ? undefined : end);
}

describe('the recommended production setup', () => {
	const setup = section('Recommended production setup for payouts');
	/** The options the list names, by their internal names: "(`maxAmount`)". */
	const options = [...setup.matchAll(/\(`(\w+)`\)/g)].map((match) => match[1]);

	it('names the options it recommends, and the example that follows it', () => {
		expect(options).toEqual(
			expect.arrayContaining([
				'maxAmount',
				'requireSufficientCash',
				'reconcileUnknown',
				'skipIfPaidSince',
				'idempotencyKey',
			]),
		);
		expect(setup).toContain('examples/month-end-payout.json');
	});

	it('is what examples/month-end-payout.json does: every option it names is set on Withdraw', () => {
		const withdraw = example('month-end-payout.json').nodes.find(
			(node) => node.type === 'n8n-nodes-etna-trader.etnaTrader',
		);
		const set = withdraw?.parameters.options ?? {};

		expect(options.filter((option) => !set[option])).toEqual([]);
		// A re-run-safe time: the start of the month, the same on a re-run.
		expect(set.skipIfPaidSince).toMatch(/startOf\('month'\)/);
	});
});

describe('the examples table', () => {
	it('lists exactly the files in examples/', () => {
		const listed = [...section('Example workflows').matchAll(/^\| `([\w-]+\.json)` \|/gm)].map(
			(match) => match[1],
		);
		const files = readdirSync(path.join(root, 'examples')).filter((file) => file.endsWith('.json'));

		expect([...listed].sort()).toEqual([...files].sort());
	});
});
