// The API's route table: which endpoint a request is for (faults and counters need to know
// before handling it), then the app key and token checks, then the route's handler.
import { missingParameterAnswer, missingRequired } from '../contract';
import type { SandboxEndpoint } from '../faults';
import { answer, headerValue, refusal, type ApiAnswer } from '../http';
import { getAccount, listAccounts } from './accounts';
import {
	ACCOUNT_ID_SEGMENT,
	type ApiCall,
	type RouteHandler,
	type SandboxContext,
} from './context';
import { getAccountInfo } from './info';
import { deposit, withdraw } from './money';
import { handleToken } from './token';
import { listTransactions } from './transactions';

const ACCEPTED_VERSIONS = new Set(['1.0', '1']);

const APP_KEY_ERROR = { error: 'Application key is not defined or does not exist' };
const DENIED = 'Authorization has been denied for this request.';

/** Placeholders in a route's path: the version segment (v1.0) and the account id. */
const VERSION = Symbol('version');
const ACCOUNT_ID = Symbol('accountId');

interface ApiRoute {
	endpoint: SandboxEndpoint;
	/** Any method when absent (the handler answers 405 itself). */
	method?: string;
	path: ReadonlyArray<string | typeof VERSION | typeof ACCOUNT_ID>;
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
];

function segmentMatches(
	expected: string | typeof VERSION | typeof ACCOUNT_ID,
	segment: string,
): boolean {
	if (expected === VERSION) {
		return segment.startsWith('v') && ACCEPTED_VERSIONS.has(segment.slice(1));
	}
	// Any id matches: the handler answers 422 for one that is not an int32.
	if (expected === ACCOUNT_ID) return segment !== '';
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
	return route.handle(context, call);
}
