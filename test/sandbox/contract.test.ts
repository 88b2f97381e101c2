// ETNA's contract, as its docs state it: the query parameters each endpoint requires, and the 404
// ETNA gives a request that leaves one out. The sandbox must refuse each omission as ETNA does,
// the node's requests must carry every one of them, and the set-up in test/support/etnaContract.ts
// fails any test after which a request lacked one (or went to a route ETNA does not have).
import { REQUIRED_QUERY, takeContractViolations } from '../../sandbox/contract';
import { SANDBOX_ENDPOINTS, type SandboxEndpoint } from '../../sandbox/faults';
import { DEFAULT_SORT, listRequestOf } from '../../nodes/EtnaTrader/transport/paging';
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

/**
 * Written from ETNA's API reference (shared etna-api.md), not from the sandbox: every endpoint
 * the node calls, with what the docs mark required. A new endpoint needs a line here.
 */
const DOCUMENTED: Record<SandboxEndpoint, { method: string; path: string; required: string[] }> = {
	token: { method: 'POST', path: '/token', required: [] },
	list: {
		method: 'GET',
		path: '/v1.0/accounts',
		required: ['pageNumber', 'pageSize', 'propertyName', 'isAscending'],
	},
	account: { method: 'GET', path: '/v1.0/accounts/1001', required: [] },
	info: { method: 'GET', path: '/v1.0/accounts/1001/info', required: [] },
	transactions: {
		method: 'GET',
		path: '/v1.0/accounts/1001/transactions',
		required: ['pageNumber', 'pageSize', 'sortBy', 'isDesc'],
	},
	withdrawal: {
		method: 'POST',
		path: '/v1.0/accounts/1004/withdrawal',
		required: ['withdrowalValue'],
	},
	deposit: { method: 'POST', path: '/v1.0/accounts/1004/deposit', required: ['depositValue'] },
};

/** A value for each required parameter that the endpoint accepts. */
const GOOD_VALUES: Record<string, string> = {
	pageNumber: '0',
	pageSize: '2',
	propertyName: 'Id',
	isAscending: 'true',
	sortBy: 'Id',
	isDesc: 'false',
	withdrowalValue: '1',
	depositValue: '1',
};

const omissions = SANDBOX_ENDPOINTS.flatMap((endpoint) =>
	DOCUMENTED[endpoint].required.map((parameter) => [endpoint, parameter] as const),
);

function query(parameters: readonly string[]): string {
	return new URLSearchParams(
		parameters.map((name): [string, string] => [name, GOOD_VALUES[name]]),
	).toString();
}

describe("ETNA's documented required parameters", () => {
	it('are stated for every endpoint the sandbox serves, and the sandbox requires exactly those', () => {
		expect(Object.keys(DOCUMENTED).sort()).toEqual([...SANDBOX_ENDPOINTS].sort());
		for (const endpoint of SANDBOX_ENDPOINTS) {
			expect([endpoint, REQUIRED_QUERY[endpoint]]).toEqual([
				endpoint,
				DOCUMENTED[endpoint].required,
			]);
		}
	});

	it.each(SANDBOX_ENDPOINTS.filter((endpoint) => endpoint !== 'token'))(
		'%s: a request with all of them is served and leaves no violation',
		async (endpoint) => {
			const { method, path, required } = DOCUMENTED[endpoint];

			const reply = await etna.call(method, `${path}?${query(required)}`, etna.admin());

			expect(reply.status).toBe(200);
			expect(takeContractViolations()).toEqual([]);
		},
	);

	it.each(omissions)(
		'%s without %s: ETNA finds no route (404), as the docs show',
		async (endpoint, missing) => {
			const { method, path, required } = DOCUMENTED[endpoint];
			const rest = query(required.filter((name) => name !== missing));
			const sent = rest ? `${path}?${rest}` : path;

			const reply = await etna.call(method, sent, etna.admin());

			expect(reply.status).toBe(404);
			if (endpoint === 'transactions') {
				expect(reply.body).toEqual({
					Error: {
						Code: 'UnsupportedApiVersion',
						Message:
							"The requested resource with API version '1.0' does not support HTTP method 'GET'.",
					},
				});
			} else {
				expect(reply.body).toEqual({
					Message: `No HTTP resource was found that matches the request URI '${etna.sandbox.origin}/api${sent}'.`,
				});
			}
			// Nothing was done: the money endpoints moved nothing.
			expect(etna.sandbox.model.cashOf(1004)).toBe(750.5);
			expect(takeContractViolations()).toEqual([
				{ method, url: `/api${sent}`, endpoint, missing: [missing] },
			]);
		},
	);

	it('counts an empty value as missing', async () => {
		const reply = await etna.call(
			'GET',
			'/v1.0/accounts?pageNumber=0&pageSize=1&propertyName=&isAscending=true',
			etna.admin(),
		);

		expect(reply.status).toBe(404);
		expect(takeContractViolations()).toEqual([
			expect.objectContaining({ endpoint: 'list', missing: ['propertyName'] }),
		]);
	});

	it('writes down a request to a route ETNA does not have, so a call to an endpoint nobody stated fails the suite', async () => {
		const reply = await etna.call('GET', '/v1.0/accounts/1001/positions', etna.admin());

		expect(reply.status).toBe(404);
		expect(takeContractViolations()).toEqual([
			{ method: 'GET', url: '/api/v1.0/accounts/1001/positions', missing: [] },
		]);
	});
});

describe("the node's list requests", () => {
	it.each([
		['list', { kind: 'accounts' } as const],
		['transactions', { kind: 'transactions', accountId: 1001 } as const],
	] as const)('to %s carry every required parameter, with the default sort', (endpoint, list) => {
		const { query: sortQuery } = listRequestOf(list, DEFAULT_SORT);
		// readPages adds the page to every request it sends.
		const sent = [...Object.keys(sortQuery), 'pageNumber', 'pageSize'];

		expect(sent.sort()).toEqual([...DOCUMENTED[endpoint].required].sort());
		expect(Object.values(sortQuery)).toEqual(
			endpoint === 'list' ? ['Id', 'true'] : ['Id', 'false'],
		);
	});
});
