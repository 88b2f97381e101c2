// The API's route table: which endpoint a request is for (faults and counters need to know
// before handling it), then the app key and token checks, then the route's handler.
import {
	missingBody,
	missingBodyAnswer,
	missingParameterAnswer,
	missingRequired,
} from '../contract';
import type { SandboxEndpoint } from '../faults';
import { answer, headerValue, refusal, type ApiAnswer } from '../http';
import { accountUsers, addUser, removeUser } from './access';
import { createAccount, updateAccount } from './accountEdits';
import { getAccount, listAccounts } from './accounts';
import {
	ACCOUNT_ID_SEGMENT,
	type ApiCall,
	type RouteHandler,
	type SandboxContext,
} from './context';
import { getOrder, listOrders, listPositions, positionBySymbol } from './holdings';
import { getAccountInfo } from './info';
import { deposit, withdraw } from './money';
import { handleToken } from './token';
import { listTransactions } from './transactions';
import { createUser, getUser, listUsers, updateUser, userAccounts } from './users';

const ACCEPTED_VERSIONS = new Set(['1.0', '1']);

const APP_KEY_ERROR = { error: 'Application key is not defined or does not exist' };
const DENIED = 'Authorization has been denied for this request.';

/** Placeholders in a route's path: the version segment (v1.0), then values the handler reads. */
const VERSION = Symbol('version');
const ACCOUNT_ID = Symbol('accountId');
const USER_ID = Symbol('userId');
const ORDER_ID = Symbol('orderId');
const SYMBOL = Symbol('symbol');

type Placeholder =
	| typeof VERSION
	| typeof ACCOUNT_ID
	| typeof USER_ID
	| typeof ORDER_ID
	| typeof SYMBOL;

interface ApiRoute {
	endpoint: SandboxEndpoint;
	/** Any method when absent (the handler answers 405 itself). */
	method?: string;
	path: ReadonlyArray<string | Placeholder>;
	handle: RouteHandler;
}

const ROUTES: readonly ApiRoute[] = [
	{ endpoint: 'token', path: ['token'], handle: handleToken },
	{ endpoint: 'list', method: 'GET', path: [VERSION, 'accounts'], handle: listAccounts },
	{
		endpoint: 'account',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID],
		handle: getAccount,
	},
	{
		endpoint: 'info',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'info'],
		handle: getAccountInfo,
	},
	{
		endpoint: 'transactions',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'transactions'],
		handle: listTransactions,
	},
	{
		endpoint: 'withdrawal',
		method: 'POST',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'withdrawal'],
		handle: withdraw,
	},
	{
		endpoint: 'deposit',
		method: 'POST',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'deposit'],
		handle: deposit,
	},
	{ endpoint: 'users', method: 'GET', path: [VERSION, 'users'], handle: listUsers },
	{ endpoint: 'user', method: 'GET', path: [VERSION, 'users', USER_ID], handle: getUser },
	{ endpoint: 'createUser', method: 'POST', path: [VERSION, 'users'], handle: createUser },
	{ endpoint: 'updateUser', method: 'PUT', path: [VERSION, 'users', USER_ID], handle: updateUser },
	{
		endpoint: 'userAccounts',
		method: 'GET',
		path: [VERSION, 'users', USER_ID, 'accounts'],
		handle: userAccounts,
	},
	{ endpoint: 'createAccount', method: 'POST', path: [VERSION, 'accounts'], handle: createAccount },
	{
		endpoint: 'updateAccount',
		method: 'PUT',
		path: [VERSION, 'accounts', ACCOUNT_ID],
		handle: updateAccount,
	},
	{
		endpoint: 'accountUsers',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'users'],
		handle: accountUsers,
	},
	{
		endpoint: 'addUser',
		method: 'PUT',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'users', USER_ID],
		handle: addUser,
	},
	{
		endpoint: 'removeUser',
		method: 'DELETE',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'users', USER_ID],
		handle: removeUser,
	},
	{
		endpoint: 'positions',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'positions'],
		handle: listPositions,
	},
	{
		endpoint: 'position',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'positions', SYMBOL],
		handle: positionBySymbol,
	},
	{
		endpoint: 'orders',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'orders'],
		handle: listOrders,
	},
	{
		endpoint: 'order',
		method: 'GET',
		path: [VERSION, 'accounts', ACCOUNT_ID, 'orders', ORDER_ID],
		handle: getOrder,
	},
];

/** Each route's method and path, with its placeholders named: the contract test compares them. */
export function describedRoutes(): Array<{
	endpoint: SandboxEndpoint;
	method?: string;
	path: string;
}> {
	const names = new Map<Placeholder, string>([
		[VERSION, 'v{version}'],
		[ACCOUNT_ID, '{accountId}'],
		[USER_ID, '{userId}'],
		[ORDER_ID, '{orderId}'],
		[SYMBOL, '{symbol}'],
	]);
	return ROUTES.map(({ endpoint, method, path }) => ({
		endpoint,
		method,
		path: path
			.map((segment) => (typeof segment === 'string' ? segment : names.get(segment)))
			.join('/'),
	}));
}

function segmentMatches(expected: string | Placeholder, segment: string): boolean {
	if (expected === VERSION) {
		return segment.startsWith('v') && ACCEPTED_VERSIONS.has(segment.slice(1));
	}
	// Any value matches: the handler refuses one that is not an int32 (or no such symbol).
	if (typeof expected !== 'string') return segment !== '';
	return expected === segment;
}

export interface RouteMatch {
	route?: ApiRoute;
	/** The account the path is about, when it names one by number (for faults and counters). */
	accountId?: number;
}

export function matchApiRoute(method: string, segments: readonly string[]): RouteMatch {
	const route = ROUTES.find(
		(candidate) =>
			(candidate.method === undefined || candidate.method === method) &&
			candidate.path.length === segments.length &&
			candidate.path.every((expected, index) => segmentMatches(expected, segments[index])),
	);
	const accountSegment = segments[1] === 'accounts' ? segments[ACCOUNT_ID_SEGMENT] : undefined;
	const accountId =
		accountSegment !== undefined && /^\d+$/.test(accountSegment)
			? Number(accountSegment)
			: undefined;
	return { route, accountId };
}

/**
 * The app key first (403), then the token (401), then the route (404 when there is none, or when
 * a parameter ETNA's docs require is missing, with the body ETNA gives for that).
 */
export function authorizeAndRoute(
	context: SandboxContext,
	call: ApiCall,
	route: ApiRoute | undefined,
): ApiAnswer {
	const appKey = headerValue(call.request, 'et-app-key');
	if (appKey === undefined || !context.model.appKeys.has(appKey)) return answer(403, APP_KEY_ERROR);
	if (route?.endpoint === 'token') return route.handle(context, call);
	const authorization = headerValue(call.request, 'authorization') ?? '';
	const bearer = /^Bearer (\S+)$/.exec(authorization);
	const token = bearer ? context.model.useToken(bearer[1]) : undefined;
	// Every account endpoint here is an administrator's: a user's token gets the same 401.
	if (!token || token.interim || token.role !== 'admin') return refusal(401, DENIED);
	if (!route) {
		return refusal(
			404,
			`No HTTP resource was found that matches the request URI '${call.url.pathname}'.`,
		);
	}
	const missing = missingRequired(route.endpoint, call.url);
	if (missing.length > 0) {
		const version = call.segments[0].slice(1);
		return missingParameterAnswer(route.endpoint, call.url, context.origin, version, call.method);
	}
	const lacking = missingBody(route.endpoint, call.body);
	if (lacking.length > 0) return missingBodyAnswer(route.endpoint, lacking);
	return route.handle(context, call);
}
