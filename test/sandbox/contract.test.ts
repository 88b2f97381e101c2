// ETNA's contract, as its docs state it: the query parameters and body fields each endpoint
// requires, and what ETNA gives a request that leaves one out. The sandbox must refuse each
// omission as ETNA does, the node's routes table (transport/routes.ts) must list exactly the
// sandbox's routes with the same methods, paths and required parameters, and the set-up in
// test/support/etnaContract.ts fails any test after which a request lacked one (or went to a
// route ETNA does not have).
import { REQUIRED_BODY, REQUIRED_QUERY, takeContractViolations } from '../../sandbox/contract';
import { SANDBOX_ENDPOINTS, type SandboxEndpoint } from '../../sandbox/faults';
import { describedRoutes } from '../../sandbox/routes/api';
import { ETNA_ROUTES, ROUTE_NAMES } from '../../nodes/EtnaTrader/transport';
import { DEFAULT_SORT, listRequestOf } from '../../nodes/EtnaTrader/transport/paging';
import { sandboxUnderTest } from './sandboxUnderTest';

const etna = sandboxUnderTest();

interface Documented {
	method: string;
	/** The docs' path, its values named: /v{version}/accounts/{accountId}. */
	route: string;
	/** A path the sandbox serves for it. */
	path: string;
	required: string[];
	/** Body fields the docs mark required, and a body that has them. */
	body?: { required: string[]; sample: Record<string, unknown> };
}

const USER_SAMPLE = {
	FirstName: 'Robert',
	LastName: 'Techie',
	EmailAddress: 'robert@example.com',
	Login: 'robert.techie',
};
const ACCOUNT_SAMPLE = { ClearingAccount: 'CLR-NEW-1', Currency: 'USD' };

/**
 * Written from ETNA's API reference (shared etna-api.md, etnatrader/gitbookHelp), not from the
 * sandbox nor the node: every endpoint the node calls, with what the docs mark required. A new
 * endpoint needs a line here, in the sandbox and in the node's routes table.
 */
const DOCUMENTED: Record<SandboxEndpoint, Documented> = {
	token: { method: 'POST', route: '/token', path: '/token', required: [] },
	list: {
		method: 'GET',
		route: '/v{version}/accounts',
		path: '/v1.0/accounts',
		required: ['pageNumber', 'pageSize', 'propertyName', 'isAscending'],
	},
	account: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}',
		path: '/v1.0/accounts/1001',
		required: [],
	},
	info: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}/info',
		path: '/v1.0/accounts/1001/info',
		required: [],
	},
	transactions: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}/transactions',
		path: '/v1.0/accounts/1001/transactions',
		required: ['pageNumber', 'pageSize', 'sortBy', 'isDesc'],
	},
	withdrawal: {
		method: 'POST',
		route: '/v{version}/accounts/{accountId}/withdrawal',
		path: '/v1.0/accounts/1004/withdrawal',
		required: ['withdrowalValue'],
	},
	deposit: {
		method: 'POST',
		route: '/v{version}/accounts/{accountId}/deposit',
		path: '/v1.0/accounts/1004/deposit',
		required: ['depositValue'],
	},
	users: {
		method: 'GET',
		route: '/v{version}/users',
		path: '/v1.0/users',
		required: ['pageNumber', 'pageSize', 'sortBy', 'isDesc'],
	},
	user: {
		method: 'GET',
		route: '/v{version}/users/{userId}',
		path: '/v1.0/users/7001',
		required: [],
	},
	createUser: {
		method: 'POST',
		route: '/v{version}/users',
		path: '/v1.0/users',
		required: ['sendInvitationEmail'],
		body: { required: Object.keys(USER_SAMPLE), sample: USER_SAMPLE },
	},
	updateUser: {
		method: 'PUT',
		route: '/v{version}/users/{userId}',
		path: '/v1.0/users/7001',
		required: ['sendInvitationEmail'],
		body: { required: Object.keys(USER_SAMPLE), sample: USER_SAMPLE },
	},
	userAccounts: {
		method: 'GET',
		route: '/v{version}/users/{userId}/accounts',
		path: '/v1.0/users/7001/accounts',
		required: [],
	},
	createAccount: {
		method: 'POST',
		route: '/v{version}/accounts',
		path: '/v1.0/accounts',
		required: [],
		body: { required: Object.keys(ACCOUNT_SAMPLE), sample: ACCOUNT_SAMPLE },
	},
	updateAccount: {
		method: 'PUT',
		route: '/v{version}/accounts/{accountId}',
		path: '/v1.0/accounts/1004',
		required: [],
		body: { required: Object.keys(ACCOUNT_SAMPLE), sample: ACCOUNT_SAMPLE },
	},
	accountUsers: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}/users',
		path: '/v1.0/accounts/1001/users',
		required: [],
	},
	addUser: {
		method: 'PUT',
		route: '/v{version}/accounts/{accountId}/users/{userId}',
		path: '/v1.0/accounts/1004/users/7001',
		required: ['accessType'],
	},
	removeUser: {
		method: 'DELETE',
		route: '/v{version}/accounts/{accountId}/users/{userId}',
		path: '/v1.0/accounts/1001/users/7002',
		required: [],
	},
	positions: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}/positions',
		path: '/v1.0/accounts/1003/positions',
		required: ['pageNumber', 'pageSize', 'sortField', 'desc'],
	},
	position: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}/positions/{symbol}',
		path: '/v1.0/accounts/1003/positions/AAPL',
		required: [],
	},
	orders: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}/orders',
		path: '/v1.0/accounts/1001/orders',
		required: ['pageNumber', 'pageSize'],
	},
	order: {
		method: 'GET',
		route: '/v{version}/accounts/{accountId}/orders/{orderId}',
		path: '/v1.0/accounts/1001/orders/73001',
		required: [],
	},
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
	sendInvitationEmail: 'false',
	accessType: 'ReadOnly',
	sortField: 'Id',
	desc: 'false',
};

const omissions = SANDBOX_ENDPOINTS.flatMap((endpoint) =>
	DOCUMENTED[endpoint].required.map((parameter) => [endpoint, parameter] as const),
);

const bodyOmissions = SANDBOX_ENDPOINTS.flatMap((endpoint) =>
	(DOCUMENTED[endpoint].body?.required ?? []).map((field) => [endpoint, field] as const),
);

/** A call with the app key, an administrator's token and, when given, a JSON body. */
async function send(method: string, path: string, body?: Record<string, unknown>) {
	const { status, body: answer } = await etna.call(method, path, etna.admin(), body);
	return { status, body: answer };
}

function query(parameters: readonly string[]): string {
	return new URLSearchParams(
		parameters.map((name): [string, string] => [name, GOOD_VALUES[name]]),
	).toString();
}

describe("ETNA's documented required parameters", () => {
	it('are stated for every endpoint the sandbox serves, and the sandbox requires exactly those', () => {
		expect(Object.keys(DOCUMENTED).sort()).toEqual([...SANDBOX_ENDPOINTS].sort());
		for (const endpoint of SANDBOX_ENDPOINTS) {
			expect([endpoint, REQUIRED_QUERY[endpoint], REQUIRED_BODY[endpoint] ?? []]).toEqual([
				endpoint,
				DOCUMENTED[endpoint].required,
				DOCUMENTED[endpoint].body?.required ?? [],
			]);
		}
	});

	it.each(SANDBOX_ENDPOINTS.filter((endpoint) => endpoint !== 'token'))(
		'%s: a request with all of them is served and leaves no violation',
		async (endpoint) => {
			const { method, path, required, body } = DOCUMENTED[endpoint];

			const reply = await send(method, `${path}?${query(required)}`, body?.sample);

			expect([endpoint, reply.status]).toEqual([endpoint, 200]);
			expect(takeContractViolations()).toEqual([]);
		},
	);

	it.each(bodyOmissions)(
		'%s without the body field %s: refused as ETNA does, and written down',
		async (endpoint, field) => {
			const { method, path, required, body } = DOCUMENTED[endpoint];
			const sample = { ...body?.sample };
			delete sample[field];
			const usersBefore = etna.sandbox.model.directory.all().length;
			const accountsBefore = etna.sandbox.model.accounts.size;

			const reply = await send(method, `${path}?${query(required)}`, sample);

			if (endpoint === 'createUser' || endpoint === 'updateUser') {
				// The user pages: "you'll receive the 500 status code and the following error message".
				expect(reply).toEqual({
					status: 500,
					body: {
						message: 'An error occurred while processing your request',
						error: 'Unexpected server error',
					},
				});
			} else {
				expect(reply).toEqual({
					status: 422,
					body: { Message: `The ${field} field is required.` },
				});
			}
			expect(etna.sandbox.model.directory.all()).toHaveLength(usersBefore);
			expect(etna.sandbox.model.accounts.size).toBe(accountsBefore);
			expect(takeContractViolations()).toEqual([
				expect.objectContaining({ endpoint, missing: [], missingBody: [field] }),
			]);
		},
	);

	it.each(omissions)(
		'%s without %s: ETNA finds no route (404), as the docs show',
		async (endpoint, missing) => {
			const { method, path, required } = DOCUMENTED[endpoint];
			const rest = query(required.filter((name) => name !== missing));
			const sent = rest ? `${path}?${rest}` : path;

			const reply = await send(method, sent, DOCUMENTED[endpoint].body?.sample);

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
		const reply = await etna.call('GET', '/v1.0/accounts/1001/statements', etna.admin());

		expect(reply.status).toBe(404);
		expect(takeContractViolations()).toEqual([
			{ method: 'GET', url: '/api/v1.0/accounts/1001/statements', missing: [] },
		]);
	});
});

describe("the node's routes table", () => {
	it('lists exactly the routes the sandbox serves: a route in one table and not the other fails', () => {
		expect([...ROUTE_NAMES].sort()).toEqual([...SANDBOX_ENDPOINTS].sort());
		expect(
			describedRoutes()
				.map((route) => route.endpoint)
				.sort(),
		).toEqual([...SANDBOX_ENDPOINTS].sort());
	});

	it.each([...SANDBOX_ENDPOINTS])(
		'%s: the same method, path, required query parameters and body fields as the docs and the sandbox',
		(endpoint) => {
			const route = ETNA_ROUTES[endpoint];
			const documented = DOCUMENTED[endpoint];
			const path = route.path
				.map((segment) => (typeof segment === 'string' ? segment : `{${segment.parameter}}`))
				.join('/');
			const served = describedRoutes().find((candidate) => candidate.endpoint === endpoint);

			expect({
				method: route.method,
				route: `${route.versioned ? '/v{version}' : ''}/${path}`,
				required: route.requiredQuery,
				body: route.requiredBody ?? [],
			}).toEqual({
				method: documented.method,
				route: documented.route,
				required: documented.required,
				body: documented.body?.required ?? [],
			});
			expect(`/${served?.path ?? ''}`).toBe(documented.route);
			expect(served?.method ?? documented.method).toBe(documented.method);
		},
	);
});

describe("the node's list requests", () => {
	it.each([
		['list', { kind: 'accounts' } as const, ['Id', 'true']],
		['transactions', { kind: 'transactions', accountId: 1001 } as const, ['Id', 'false']],
		['users', { kind: 'users' } as const, ['Id', 'false']],
		['positions', { kind: 'positions', accountId: 1003 } as const, ['Id', 'false']],
		['orders', { kind: 'orders', accountId: 1001 } as const, ['Id', 'false']],
	] as const)(
		'to %s carry every required parameter, with the default sort',
		(endpoint, list, sortValues) => {
			const request = listRequestOf(list, DEFAULT_SORT);
			// readPages adds the page to every request it sends.
			const sent = [...Object.keys(request.query), 'pageNumber', 'pageSize'];

			expect(request.route).toBe(endpoint);
			expect(sent).toEqual(expect.arrayContaining(DOCUMENTED[endpoint].required));
			expect(Object.values(request.query)).toEqual(sortValues);
		},
	);
});
