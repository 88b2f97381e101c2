// The one table of ETNA's routes: every request is built from it and checked against it, and
// ETNA's filter text is spelled in one place.
import {
	allOf,
	classifyReply,
	ETNA_ROUTES,
	EtnaRouteError,
	filterOn,
	ROUTE_NAMES,
	routeCall,
	type RouteName,
} from '../../../../nodes/EtnaTrader/transport';
import { listRequestOf } from '../../../../nodes/EtnaTrader/transport/paging';

describe('routeCall', () => {
	it('builds the path from the route and its values, with the query and body as given', () => {
		expect(
			routeCall('addUser', {
				params: { accountId: 1001, userId: 7 },
				query: { accessType: 'Full' },
				timeoutMs: 5,
			}),
		).toEqual({
			route: 'addUser',
			method: 'PUT',
			path: ['accounts', 1001, 'users', 7],
			versioned: true,
			query: { accessType: 'Full' },
			timeoutMs: 5,
		});
	});

	it('refuses, before anything is sent, a request without a required query parameter', () => {
		expect(() => routeCall('createUser', { body: {}, timeoutMs: 5 })).toThrow(
			new EtnaRouteError(
				'createUser: lacks sendInvitationEmail; body lacks FirstName, LastName, EmailAddress, Login',
			),
		);
	});

	it('refuses a query parameter the route does not have, and a path value left out', () => {
		expect(() =>
			routeCall('positions', {
				params: { accountId: 1 },
				query: { pageNumber: '0', pageSize: '1', sortBy: 'Id', sortField: 'Id', desc: 'false' },
				timeoutMs: 5,
			}),
		).toThrow(/has no query parameter sortBy/);
		expect(() => routeCall('user', { timeoutMs: 5 })).toThrow(/no userId for the path/);
	});

	it('names every paged list with its own sort parameters and page cap', () => {
		const sort = { field: 'Id', descending: true };
		expect(
			(['accounts', 'users'] as const).map((kind) => listRequestOf({ kind }, sort).query),
		).toEqual([
			{ propertyName: 'Id', isAscending: 'false' },
			{ sortBy: 'Id', isDesc: 'true' },
		]);
		expect(
			(['transactions', 'positions', 'orders'] as const).map((kind) => {
				const request = listRequestOf({ kind, accountId: 1 }, sort);
				return [request.route, request.query, request.maxPageSize];
			}),
		).toEqual([
			['transactions', { sortBy: 'Id', isDesc: 'true' }, 100],
			['positions', { sortField: 'Id', desc: 'true' }, 99],
			['orders', { sortField: 'Id', desc: 'true' }, 100],
		]);
	});

	it('lists each route once, every paged route with its paging', () => {
		expect(new Set(ROUTE_NAMES).size).toBe(ROUTE_NAMES.length);
		for (const name of ROUTE_NAMES) {
			expect([name, ETNA_ROUTES[name].answer === 'page']).toEqual([
				name,
				ETNA_ROUTES[name].paging !== undefined,
			]);
		}
	});
});

describe("ETNA's filter text", () => {
	it('spells numbers plain, text in single quotes, instants between pound signs to the second', () => {
		expect(
			allOf([
				filterOn.idAbove(7),
				undefined,
				filterOn.dateFrom(Date.parse('2026-11-25T02:00:00.123Z')),
				filterOn.textIs('Login', "o'neil"),
			]),
		).toBe("Id > 7 and Date >= #2026-11-25T02:00:00Z# and Login = 'o''neil'");
		expect(allOf([])).toBeUndefined();
		expect(filterOn.typeIn(['Payment', 'Rpl'])).toBe("Type in ('Payment', 'Rpl')");
	});

	it('refuses an Id that is not a whole number rather than writing it into a filter', () => {
		expect(() => filterOn.idAbove(1.5)).toThrow(RangeError);
	});
});

describe('a reply read by its route', () => {
	const reply = (route: RouteName | undefined, status: number) =>
		classifyReply({ answered: true, route, status, body: { Message: 'x' } }).kind;

	it("reads ETNA's 409 as a missing user on the user routes, a conflict on a user's write, invalid elsewhere", () => {
		expect(
			['user', 'userAccounts', 'addUser', 'createUser', 'updateUser', 'account'].map((route) =>
				reply(route as RouteName, 409),
			),
		).toEqual(['userNotFound', 'userNotFound', 'userNotFound', 'conflict', 'conflict', 'invalid']);
		expect(reply(undefined, 409)).toBe('invalid');
	});

	it("reads a 404 as the record the route names: an order's, else an account's", () => {
		expect([reply('order', 404), reply('positions', 404), reply(undefined, 404)]).toEqual([
			'orderNotFound',
			'accountNotFound',
			'accountNotFound',
		]);
	});
});
