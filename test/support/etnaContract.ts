// After every test: no request that reached a sandbox lacked a parameter ETNA's docs require, or
// went to a route ETNA does not have (sandbox/contract.ts). ETNA would answer such a request with
// a 404, so a node that sent one would fail on a real deployment. A test that leaves a parameter
// out on purpose takes its own violations first (takeContractViolations).
import { takeContractViolations } from '../../sandbox/contract';

function assertNoViolations(when: string): void {
	const violations = takeContractViolations();
	if (violations.length > 0) {
		throw new Error(
			`${when}, ${violations.length} request(s) ETNA would refuse (missing a required parameter, or no such route):\n${violations
				.map(
					(violation) =>
						`  ${violation.method} ${violation.url}${violation.missing.length ? ` lacks ${violation.missing.join(', ')}` : ' matches no route'}`,
				)
				.join('\n')}`,
		);
	}
}

afterEach(() => assertNoViolations('In this test'));
afterAll(() => assertNoViolations('In this file'));
