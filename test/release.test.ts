// The release workflow cannot run here; its shape is checked instead: what n8n's verification
// asks (published from GitHub Actions with npm provenance) and what a money node needs (tests first).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	'continue-on-error'?: boolean;
}

interface Workflow {
	on: { push?: { tags?: string[]; branches?: string[] } };
	permissions: Record<string, string>;
	jobs: Record<string, { steps: Step[] }>;
}

const workflow = parse(
	readFileSync(path.resolve(__dirname, '..', '.github', 'workflows', 'publish.yml'), 'utf8'),
) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const indexOf = (pattern: RegExp) => steps.findIndex((step) => pattern.test(step.run ?? ''));

describe('the release workflow', () => {
	it('runs on version tags only', () => {
		expect(workflow.on.push?.tags).toEqual(['v*.*.*']);
		expect(workflow.on.push?.branches).toBeUndefined();
	});

	it('may sign npm provenance (id-token: write) and nothing more than read the code', () => {
		expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
	});

	it('installs from the lock file and runs the tests before it publishes', () => {
		const install = indexOf(/^npm ci\b/);
		const test = indexOf(/^npm test\b/);
		const publish = indexOf(/^npm publish\b/);

		expect(install).toBeGreaterThanOrEqual(0);
		expect(test).toBeGreaterThan(install);
		expect(publish).toBeGreaterThan(test);
		expect(steps.some((step) => step['continue-on-error'])).toBe(false);
	});

	it('publishes with provenance, publicly, from a tag that matches package.json', () => {
		const publish = steps[indexOf(/^npm publish\b/)];

		expect(publish.run).toMatch(/--provenance\b/);
		expect(publish.run).toMatch(/--access public\b/);
		expect(
			steps.some(
				(step) => /GITHUB_REF_NAME/.test(step.run ?? '') && /package\.json/.test(step.run ?? ''),
			),
		).toBe(true);
	});
});
