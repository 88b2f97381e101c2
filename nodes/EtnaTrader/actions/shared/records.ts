// Reads of one record or one list by route, and the lookups a create makes before it writes:
// users by Login, trading accounts by Clearing Account. The routes, their query names and the
// filter text come from transport; here is what the node does with the answers.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	callRoute,
	filterOn,
	readFirstPage,
	type EtnaConnection,
	type EtnaReply,
	type RouteName,
	type RouteRequest,
} from '../../transport';
import { isJsonObject } from './items';

export type Answer<T> = { ok: true; value: T } | { ok: false; reply: EtnaReply };

/** One record (a user, an account, an order): a 200 with a JSON object. */
export async function readRecord(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	route: RouteName,
	request: RouteRequest,
): Promise<Answer<IDataObject>> {
	const reply = await callRoute.call(context, connection, route, request);
	if (reply.answered && reply.status >= 200 && reply.status < 300 && isJsonObject(reply.body)) {
		return { ok: true, value: reply.body };
	}
	return { ok: false, reply };
}

/**
 * The records of a 2xx that carries a list: a JSON array of objects, or one object (ETNA's docs
 * show some answers both ways, e.g. the access a PUT gives).
 */
export function recordsOf(body: unknown): IDataObject[] | undefined {
	if (isJsonObject(body)) return [body];
	if (!Array.isArray(body)) return undefined;
	return body.every(isJsonObject) ? body : undefined;
}

/** A route that answers a list (an account's users, a user's accounts, a symbol's positions). */
export async function readList(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	route: RouteName,
	request: RouteRequest,
): Promise<Answer<IDataObject[]>> {
	const reply = await callRoute.call(context, connection, route, request);
	const records =
		reply.answered && reply.status >= 200 && reply.status < 300 ? recordsOf(reply.body) : undefined;
	return records ? { ok: true, value: records } : { ok: false, reply };
}

/** How many matches a lookup reads: enough to see twins. */
const LOOKUP_PAGE = 10;

function sameText(value: unknown, wanted: string): boolean {
	return typeof value === 'string' && value.trim().toLowerCase() === wanted.toLowerCase();
}

/**
 * The users with this Login. ETNA compares without case; the answer is checked here too, so a
 * deployment that ignored the filter could not pass another user off as this one.
 */
export async function usersWithLogin(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	login: string,
	timeoutMs: number,
): Promise<Answer<IDataObject[]>> {
	const read = await readFirstPage.call(context, connection, {
		list: { kind: 'users' },
		sort: { field: 'Id', descending: false },
		filter: filterOn.textIs('Login', login),
		pageSize: LOOKUP_PAGE,
		timeoutMs,
	});
	if (!read.ok) return read;
	return { ok: true, value: read.items.filter((user) => sameText(user.Login, login)) };
}

/** The trading accounts with this Clearing Account (the docs promise no uniqueness: twins show). */
export async function accountsWithClearingAccount(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	clearingAccount: string,
	timeoutMs: number,
): Promise<Answer<IDataObject[]>> {
	const read = await readFirstPage.call(context, connection, {
		list: { kind: 'accounts' },
		sort: { field: 'Id', descending: false },
		filter: filterOn.textIs('ClearingAccount', clearingAccount),
		pageSize: LOOKUP_PAGE,
		timeoutMs,
	});
	if (!read.ok) return read;
	return {
		ok: true,
		value: read.items.filter((account) => sameText(account.ClearingAccount, clearingAccount)),
	};
}
