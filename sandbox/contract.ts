// The query parameters and body fields ETNA's docs mark required, per endpoint, and what ETNA
// answers a request that leaves one out: for a query parameter the route is not found (404); for
// a user's body field a 500 "Unexpected server error". The sandbox refuses such a request as ETNA
// does and also writes it down, so a test suite can assert at its end that the node never sent one.
import type { SandboxEndpoint } from './faults';
import type { ApiAnswer } from './http';

/** ETNA's docs: the parameters each endpoint cannot do without (headers are checked apart). */
export const REQUIRED_QUERY: Readonly<Record<SandboxEndpoint, readonly string[]>> = {
	token: [],
	list: ['pageNumber', 'pageSize', 'propertyName', 'isAscending'],
	account: [],
	info: [],
	transactions: ['pageNumber', 'pageSize', 'sortBy', 'isDesc'],
	withdrawal: ['withdrowalValue'],
	deposit: ['depositValue'],
	users: ['pageNumber', 'pageSize', 'sortBy', 'isDesc'],
	user: [],
	createUser: ['sendInvitationEmail'],
	updateUser: ['sendInvitationEmail'],
	userAccounts: [],
	createAccount: [],
	updateAccount: [],
	accountUsers: [],
	addUser: ['accessType'],
	removeUser: [],
	positions: ['pageNumber', 'pageSize', 'sortField', 'desc'],
	position: [],
	orders: ['pageNumber', 'pageSize'],
	order: [],
};

/** The body fields the docs mark required: a user's four (the page), an account's two (the schema). */
const USER_BODY = ['FirstName', 'LastName', 'EmailAddress', 'Login'] as const;
const ACCOUNT_BODY = ['ClearingAccount', 'Currency'] as const;

export const REQUIRED_BODY: Readonly<Partial<Record<SandboxEndpoint, readonly string[]>>> = {
	createUser: USER_BODY,
	updateUser: USER_BODY,
	createAccount: ACCOUNT_BODY,
	updateAccount: ACCOUNT_BODY,
};

/** The body as JSON, or undefined when it is not a JSON object. */
export function jsonBodyOf(body: string): Record<string, unknown> | undefined {
	try {
		const parsed: unknown = JSON.parse(body);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** The required body fields a request lacks (absent, null or empty text). */
export function missingBody(endpoint: SandboxEndpoint, body: string): string[] {
	const required = REQUIRED_BODY[endpoint] ?? [];
	if (required.length === 0) return [];
	const fields = jsonBodyOf(body) ?? {};
	return required.filter((name) => {
		const value = fields[name];
		return value === undefined || value === null || (typeof value === 'string' && !value.trim());
	});
}

/**
 * ETNA's answer to a body without a required field: the user pages document a 500; the account
 * pages document none, and their schema's validation answers 422 (the status they list for it).
 */
export function missingBodyAnswer(endpoint: SandboxEndpoint, missing: string[]): ApiAnswer {
	if (endpoint === 'createUser' || endpoint === 'updateUser') {
		return {
			status: 500,
			body: {
				message: 'An error occurred while processing your request',
				error: 'Unexpected server error',
			},
		};
	}
	return { status: 422, body: { Message: `The ${missing[0]} field is required.` } };
}

/** The required parameters a request lacks (absent or empty), in the docs' order. */
export function missingRequired(endpoint: SandboxEndpoint, url: URL): string[] {
	return REQUIRED_QUERY[endpoint].filter((name) => !url.searchParams.get(name)?.trim());
}

/**
 * ETNA's 404 for a request without a required parameter. The ledger answers with its nested
 * error (the docs quote it); the other endpoints with ASP.NET Web API's "no route" message, the
 * answer the docs show for list endpoints whose required parameters are left out.
 */
export function missingParameterAnswer(
	endpoint: SandboxEndpoint,
	url: URL,
	origin: string,
	apiVersion: string,
	method: string,
): ApiAnswer {
	if (endpoint === 'transactions') {
		return { status: 404, body: ledgerNoRouteBody(apiVersion, method) };
	}
	return {
		status: 404,
		body: {
			Message: `No HTTP resource was found that matches the request URI '${origin}${url.pathname}${url.search}'.`,
		},
	};
}

/** The ledger's 404 body for a read without a required parameter, as ETNA's docs quote it. */
export function ledgerNoRouteBody(apiVersion = '1.0', method = 'GET') {
	return {
		Error: {
			Code: 'UnsupportedApiVersion',
			Message: `The requested resource with API version '${apiVersion}' does not support HTTP method '${method}'.`,
		},
	};
}

/** A request the docs say ETNA would not serve: a required parameter left out, or no such route. */
export interface ContractViolation {
	method: string;
	/** Path and query as received (no secrets: those travel in headers). */
	url: string;
	endpoint?: SandboxEndpoint;
	missing: string[];
	/** Required body fields left out; present only when some are. */
	missingBody?: string[];
}

/** Every violation seen by any sandbox of this process since the last take. */
const violations: ContractViolation[] = [];

/** Writes the request down when ETNA would not serve it; `endpoint` is absent for no route. */
export function checkContract(
	method: string,
	url: URL,
	endpoint: SandboxEndpoint | undefined,
	body = '',
): void {
	const missing = endpoint ? missingRequired(endpoint, url) : [];
	const lacking = endpoint ? missingBody(endpoint, body) : [];
	if (endpoint && missing.length === 0 && lacking.length === 0) return;
	violations.push({
		method,
		url: `${url.pathname}${url.search}`,
		endpoint,
		missing,
		...(lacking.length ? { missingBody: lacking } : {}),
	});
}

/**
 * Hands over the violations recorded so far and forgets them. Test set-up calls it after each
 * test and fails on any; a test that omits a parameter on purpose takes its own first.
 */
export function takeContractViolations(): ContractViolation[] {
	return violations.splice(0, violations.length);
}
