// ETNA's routes, each once (as stripe-node declares its endpoints): method, path, the query
// parameters its docs require, its paging and sort names, its body, and how its answers read.
// Every request the node, the trigger and the credential's Test send is built here from this
// table, so no operation writes a path or a query name of its own. The sandbox keeps its own
// table of the same routes (sandbox/contract.ts); the contract test holds the two together.
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { EtnaConnection } from './connection';

/** The routes by name; the sandbox names its endpoints the same (faults, contract). */
export type RouteName =
	| 'token'
	| 'list'
	| 'account'
	| 'info'
	| 'transactions'
	| 'withdrawal'
	| 'deposit'
	| 'users'
	| 'user'
	| 'createUser'
	| 'updateUser'
	| 'userAccounts'
	| 'createAccount'
	| 'updateAccount'
	| 'accountUsers'
	| 'addUser'
	| 'removeUser'
	| 'positions'
	| 'position'
	| 'orders'
	| 'order';

/** The values a path names: ids and a ticker symbol. */
export type PathParameter = 'accountId' | 'userId' | 'orderId' | 'symbol';

/** A list's page and sort parameters, in the route's own spelling. */
export interface ListPaging {
	sortParameter: 'propertyName' | 'sortBy' | 'sortField';
	directionParameter: 'isAscending' | 'isDesc' | 'desc';
	/** What `true` in the direction parameter means. */
	trueMeans: 'ascending' | 'descending';
	/** The largest page the route serves (ETNA's docs: positions 99, orders 100). */
	maxPageSize: number;
}

/** The record a route's answer says is missing: the route exists, the record does not. */
export type MissingRecord = 'account' | 'user' | 'order';

export interface EtnaRoute {
	method: IHttpRequestMethods;
	/** Below /v{version}/, or below the API root when `versioned` is false (/token). */
	path: ReadonlyArray<string | { parameter: PathParameter }>;
	versioned: boolean;
	/** Query parameters ETNA's docs require: without one ETNA finds no route (404). */
	requiredQuery: readonly string[];
	/** Optional query parameters the node may send. */
	optionalQuery: readonly string[];
	paging?: ListPaging;
	/** Body fields the docs require (ETNA answers 500 "Unexpected server error" without one). */
	requiredBody?: readonly string[];
	/** The whole model a body writes: a PUT resets every field it leaves out. */
	bodyFields?: readonly string[];
	/** Of those, the fields that are money or limits: a PUT that cannot send them back unchanged would move money. */
	moneyFields?: readonly string[];
	/** What a 200 carries: one record, a page of records (or a bare list), a list, a payment. */
	answer: 'record' | 'page' | 'list' | 'payment' | 'token';
	/** Which record a 404 (not "no such route") or a 409 names as missing. */
	missing?: Partial<Record<404 | 409, MissingRecord>>;
	/** A 409 that is not a missing record: a conflict, e.g. a Login another user has. */
	conflict?: true;
}

const ACCOUNT = { parameter: 'accountId' } as const;
const USER = { parameter: 'userId' } as const;

const PAGE = ['pageNumber', 'pageSize'] as const;
/** ETNA's docs mark these four body fields of a user required. */
const USER_BODY = ['FirstName', 'LastName', 'EmailAddress', 'Login'] as const;
/** UserModel's writable fields (the page's body sample; the schema's ModifyUserModel lacks Login). */
const USER_FIELDS = [
	...USER_BODY,
	'Middle',
	'Salutation',
	'Suffix',
	'Enabled',
	'TimeZoneInfoId',
	'ExpirationDate',
	'PhoneNumber',
	'EntitlementsPhoneNumber',
] as const;
/** AccountEditableModel's two required fields. */
const ACCOUNT_BODY = ['ClearingAccount', 'Currency'] as const;
/** AccountEditableModel's money and limit fields: never offered, always sent back as read. */
const ACCOUNT_MONEY = [
	'Cash',
	'BaseCash',
	'DayTradingBuyingPower',
	'ExcessEquity',
	'MarginInterestRate',
	'CashInterestRate',
	'CloseEquity',
	'OpenExcess',
	'SmaBalance',
	'HouseCall',
	'MaintenanceCall',
	'EquityCall',
	'InitialCall',
	'DayTradeCall',
	'TradeDayBalance',
	'MoneyMarket',
	'MarginEquity',
	'Sweep',
	'Cip',
] as const;
/** AccountEditableModel, every field (etnatrader/gitbookHelp, broker-api definitions). */
const ACCOUNT_FIELDS = [
	...ACCOUNT_BODY,
	'SubscriptionPlanId',
	'CreatedDate',
	'ModifiedDate',
	'Enabled',
	'IsChanged',
	'Status',
	'CommissionPlan',
	'RepCode',
	'OptionLevel',
	'MarginType',
	'Permissions',
	'OwnerType',
	'DayTrades',
	'IsAverageAccount',
	'ClearingFirm',
	...ACCOUNT_MONEY,
] as const;

const ACCOUNTS_PAGING: ListPaging = {
	sortParameter: 'propertyName',
	directionParameter: 'isAscending',
	trueMeans: 'ascending',
	maxPageSize: 100,
};
/** The ledger and the user list share `sortBy`/`isDesc`. */
const SORT_BY_PAGING: ListPaging = {
	sortParameter: 'sortBy',
	directionParameter: 'isDesc',
	trueMeans: 'descending',
	maxPageSize: 100,
};
const POSITIONS_PAGING: ListPaging = {
	sortParameter: 'sortField',
	directionParameter: 'desc',
	trueMeans: 'descending',
	maxPageSize: 99,
};
const ORDERS_PAGING: ListPaging = { ...POSITIONS_PAGING, maxPageSize: 100 };

const ON_ACCOUNT = { 404: 'account' } as const;
const ON_USER = { 409: 'user' } as const;

function route(fields: Partial<EtnaRoute> & Pick<EtnaRoute, 'method' | 'path' | 'answer'>) {
	return { versioned: true, requiredQuery: [], optionalQuery: [], ...fields };
}

export const ETNA_ROUTES: Readonly<Record<RouteName, EtnaRoute>> = {
	token: route({ method: 'POST', path: ['token'], versioned: false, answer: 'token' }),
	list: route({
		method: 'GET',
		path: ['accounts'],
		requiredQuery: [...PAGE, 'propertyName', 'isAscending'],
		optionalQuery: ['filter'],
		paging: ACCOUNTS_PAGING,
		answer: 'page',
	}),
	account: route({
		method: 'GET',
		path: ['accounts', ACCOUNT],
		answer: 'record',
		missing: ON_ACCOUNT,
	}),
	info: route({
		method: 'GET',
		path: ['accounts', ACCOUNT, 'info'],
		answer: 'record',
		missing: ON_ACCOUNT,
	}),
	transactions: route({
		method: 'GET',
		path: ['accounts', ACCOUNT, 'transactions'],
		requiredQuery: [...PAGE, 'sortBy', 'isDesc'],
		optionalQuery: ['filter'],
		paging: SORT_BY_PAGING,
		answer: 'page',
		missing: ON_ACCOUNT,
	}),
	withdrawal: route({
		method: 'POST',
		path: ['accounts', ACCOUNT, 'withdrawal'],
		// The misspelling is the API's own.
		requiredQuery: ['withdrowalValue'],
		answer: 'payment',
		missing: ON_ACCOUNT,
	}),
	deposit: route({
		method: 'POST',
		path: ['accounts', ACCOUNT, 'deposit'],
		requiredQuery: ['depositValue'],
		answer: 'payment',
		missing: ON_ACCOUNT,
	}),
	users: route({
		method: 'GET',
		path: ['users'],
		requiredQuery: [...PAGE, 'sortBy', 'isDesc'],
		optionalQuery: ['filter'],
		paging: SORT_BY_PAGING,
		answer: 'page',
	}),
	// ETNA answers an unknown user id with 409 "User with specified id was not found", not 404.
	user: route({ method: 'GET', path: ['users', USER], answer: 'record', missing: ON_USER }),
	createUser: route({
		method: 'POST',
		path: ['users'],
		requiredQuery: ['sendInvitationEmail'],
		requiredBody: USER_BODY,
		bodyFields: USER_FIELDS,
		answer: 'record',
		conflict: true,
	}),
	updateUser: route({
		method: 'PUT',
		path: ['users', USER],
		requiredQuery: ['sendInvitationEmail'],
		requiredBody: USER_BODY,
		bodyFields: USER_FIELDS,
		answer: 'record',
		conflict: true,
	}),
	userAccounts: route({
		method: 'GET',
		path: ['users', USER, 'accounts'],
		answer: 'list',
		missing: ON_USER,
	}),
	createAccount: route({
		method: 'POST',
		path: ['accounts'],
		requiredBody: ACCOUNT_BODY,
		bodyFields: ACCOUNT_FIELDS,
		moneyFields: ACCOUNT_MONEY,
		answer: 'record',
	}),
	updateAccount: route({
		method: 'PUT',
		path: ['accounts', ACCOUNT],
		requiredBody: ACCOUNT_BODY,
		bodyFields: ACCOUNT_FIELDS,
		moneyFields: ACCOUNT_MONEY,
		answer: 'record',
		missing: ON_ACCOUNT,
	}),
	accountUsers: route({
		method: 'GET',
		path: ['accounts', ACCOUNT, 'users'],
		answer: 'list',
		missing: ON_ACCOUNT,
	}),
	addUser: route({
		method: 'PUT',
		path: ['accounts', ACCOUNT, 'users', USER],
		requiredQuery: ['accessType'],
		answer: 'list',
		missing: { 404: 'account', 409: 'user' },
	}),
	removeUser: route({
		method: 'DELETE',
		path: ['accounts', ACCOUNT, 'users', USER],
		answer: 'list',
		missing: { 404: 'account', 409: 'user' },
	}),
	positions: route({
		method: 'GET',
		path: ['accounts', ACCOUNT, 'positions'],
		requiredQuery: [...PAGE, 'sortField', 'desc'],
		optionalQuery: ['filter'],
		paging: POSITIONS_PAGING,
		answer: 'page',
		missing: ON_ACCOUNT,
	}),
	position: route({
		method: 'GET',
		path: ['accounts', ACCOUNT, 'positions', { parameter: 'symbol' }],
		optionalQuery: ['currency', 'exchange'],
		answer: 'list',
		missing: ON_ACCOUNT,
	}),
	orders: route({
		method: 'GET',
		path: ['accounts', ACCOUNT, 'orders'],
		// The docs make the sort optional here; the node always sends one.
		requiredQuery: [...PAGE],
		optionalQuery: ['filter', 'sortField', 'desc'],
		paging: ORDERS_PAGING,
		answer: 'page',
		missing: ON_ACCOUNT,
	}),
	order: route({
		method: 'GET',
		path: ['accounts', ACCOUNT, 'orders', { parameter: 'orderId' }],
		answer: 'record',
		missing: { 404: 'order' },
	}),
};

export const ROUTE_NAMES = Object.keys(ETNA_ROUTES) as RouteName[];

/** One request, as callEtna sends it: built by `routeCall` only. */
export interface EtnaCall {
	route: RouteName;
	method: IHttpRequestMethods;
	/** Segments after /v{version}/ (or the API root), each escaped on its own. */
	path: ReadonlyArray<string | number>;
	versioned: boolean;
	query?: Record<string, string>;
	/** A JSON body (POST and PUT of users and accounts). */
	body?: IDataObject;
	timeoutMs: number;
}

export interface RouteRequest {
	params?: Partial<Record<PathParameter, string | number>>;
	query?: Record<string, string>;
	body?: IDataObject;
	timeoutMs: number;
}

/**
 * A request the table says ETNA would not serve: a bug in the node, caught before anything is
 * sent (the operations check every value first, so this never reaches a user).
 */
export class EtnaRouteError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EtnaRouteError';
	}
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && !value.trim());
}

/**
 * The request for a route, checked against the table: every path value, every required query
 * parameter and body field present, and no query parameter the route does not have.
 */
export function routeCall(name: RouteName, request: RouteRequest): EtnaCall {
	const spec = ETNA_ROUTES[name];
	const path = spec.path.map((segment) => {
		if (typeof segment === 'string') return segment;
		const value = request.params?.[segment.parameter];
		if (isEmpty(value)) throw new EtnaRouteError(`${name}: no ${segment.parameter} for the path`);
		return value as string | number;
	});
	const query = request.query ?? {};
	const missing = spec.requiredQuery.filter((parameter) => isEmpty(query[parameter]));
	const unknown = Object.keys(query).filter(
		(parameter) =>
			!spec.requiredQuery.includes(parameter) && !spec.optionalQuery.includes(parameter),
	);
	const missingBody = (spec.requiredBody ?? []).filter((field) => isEmpty(request.body?.[field]));
	if (missing.length || unknown.length || missingBody.length) {
		throw new EtnaRouteError(
			`${name}: ${[
				missing.length ? `lacks ${missing.join(', ')}` : '',
				unknown.length ? `has no query parameter ${unknown.join(', ')}` : '',
				missingBody.length ? `body lacks ${missingBody.join(', ')}` : '',
			]
				.filter(Boolean)
				.join('; ')}`,
		);
	}
	return {
		route: name,
		method: spec.method,
		path,
		versioned: spec.versioned,
		...(Object.keys(query).length ? { query } : {}),
		...(request.body ? { body: request.body } : {}),
		timeoutMs: request.timeoutMs,
	};
}

/** The query parameter that carries a money route's amount, as the API spells it. */
export function amountParameterOf(name: 'withdrawal' | 'deposit'): string {
	return ETNA_ROUTES[name].requiredQuery[0];
}

export type WholeModel =
	| { ok: true; body: IDataObject }
	/** Money or limit fields the record lacks: a PUT without them would reset them. */
	| { ok: false; missingMoney: string[] };

/**
 * The body of a full-model PUT: every field of the route's model the current record carries,
 * with `changes` over them, so nothing the user did not choose is reset. A field the record does
 * not carry is left out (ETNA left it empty); a money or limit field it does not carry refuses.
 */
export function wholeModelOf(
	name: 'updateUser' | 'updateAccount',
	current: IDataObject,
	changes: IDataObject,
): WholeModel {
	const spec = ETNA_ROUTES[name];
	const missingMoney = (spec.moneyFields ?? []).filter(
		(field) => typeof current[field] !== 'number',
	);
	if (missingMoney.length) return { ok: false, missingMoney };
	const body: IDataObject = {};
	for (const field of spec.bodyFields ?? []) {
		if (current[field] !== undefined) body[field] = current[field];
	}
	return { ok: true, body: { ...body, ...changes } };
}

/** What a missing-record status of this route names, if it names one. */
export function missingRecordOf(name: RouteName, status: number): MissingRecord | undefined {
	const missing = ETNA_ROUTES[name].missing;
	return status === 404 || status === 409 ? missing?.[status] : undefined;
}

/** The URL of a path below /v{version}/ (or, `versioned` false, below the API root). */
export function urlOf(
	connection: EtnaConnection,
	path: EtnaCall['path'],
	versioned = true,
): string {
	const segments = path.map((segment) => encodeURIComponent(String(segment)));
	const root = versioned ? `${connection.apiRoot}/v${connection.apiVersion}` : connection.apiRoot;
	return `${root}/${segments.join('/')}`;
}

/** The URL a call goes to, with its query: what a Dry Run shows. */
export function callUrlOf(connection: EtnaConnection, call: EtnaCall): string {
	const query = new URLSearchParams(call.query ?? {}).toString();
	const url = urlOf(connection, call.path, call.versioned);
	return query ? `${url}?${query}` : url;
}
