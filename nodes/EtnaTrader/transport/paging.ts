// ETNA's list endpoints, page by page: {"Result": [...], "TotalCount": n, "NextPageLink": ...}.
// Pages are asked for by number only; the links ETNA returns are never followed, so the token
// only ever goes to the credential's own Base URL. ETNA answers a list read that lacks one of
// its required query parameters with a 404, so every read here carries all of them: the page,
// the sort field and the direction, in each list's own names (routes.ts), and no page larger
// than the list serves.
import type { IDataObject } from 'n8n-workflow';

import type { EtnaConnection } from './connection';
import type { EtnaReply } from './replies';
import { callRoute, type EtnaContext } from './request';
import { ETNA_ROUTES, type PathParameter, type RouteName } from './routes';

/** Pages are asked for at this size, or the list's own largest page when smaller (positions: 99). */
export const PAGE_SIZE = 100;

/** ETNA's paged lists. */
export type EtnaList =
	| { kind: 'accounts' }
	| { kind: 'transactions'; accountId: number }
	| { kind: 'users' }
	| { kind: 'positions'; accountId: number }
	| { kind: 'orders'; accountId: number };

/** A list's order: ETNA requires one on most list reads (no default on its side). */
export interface ListSort {
	/** The field, as ETNA names it, e.g. Id, Cash, Date. */
	field: string;
	descending: boolean;
}

/** The order when the user picks none: by Id, oldest first. */
export const DEFAULT_SORT: ListSort = { field: 'Id', descending: false };

const LIST_ROUTES = {
	accounts: 'list',
	transactions: 'transactions',
	users: 'users',
	positions: 'positions',
	orders: 'orders',
} as const satisfies Record<EtnaList['kind'], RouteName>;

export interface ListRequest {
	route: (typeof LIST_ROUTES)[EtnaList['kind']];
	params: Partial<Record<PathParameter, number>>;
	/** The sort, in the list's own parameter names. */
	query: Record<string, string>;
	/** The largest page the list serves. */
	maxPageSize: number;
}

/**
 * The route and the sort parameters of a list, besides the page: the account list takes
 * `propertyName` and `isAscending`, the ledger and the users `sortBy` and `isDesc`, positions and
 * orders `sortField` and `desc` (ETNA's docs).
 */
export function listRequestOf(list: EtnaList, sort: ListSort): ListRequest {
	const route = LIST_ROUTES[list.kind];
	const paging = ETNA_ROUTES[route].paging;
	if (!paging) throw new Error(`${route} is not a paged list`);
	const trueMeansDescending = paging.trueMeans === 'descending';
	return {
		route,
		params: 'accountId' in list ? { accountId: list.accountId } : {},
		query: {
			[paging.sortParameter]: sort.field,
			[paging.directionParameter]: String(sort.descending === trueMeansDescending),
		},
		maxPageSize: paging.maxPageSize,
	};
}

export interface PagedRead {
	list: EtnaList;
	sort: ListSort;
	/** ETNA's filter syntax, e.g. `Id > 7`; none when absent or empty. */
	filter?: string;
	/** Stop once this many items are read; all of them when absent. */
	limit?: number;
	/** Stop after this many pages (a poll's cap); all of them when absent. */
	maxPages?: number;
	timeoutMs: number;
}

export type PagedResult =
	/** `more`: the list went on past what was read (reading stopped at `limit`). */
	{ ok: true; items: IDataObject[]; more: boolean } | { ok: false; reply: EtnaReply };

interface Page {
	Result: IDataObject[];
	TotalCount?: number;
	NextPageLink?: unknown;
	/** The answer was a bare list (ETNA's positions page shows one): a full page may have more. */
	bare?: true;
}

function asPage(body: unknown): Page | undefined {
	if (Array.isArray(body)) return { Result: body as IDataObject[], bare: true };
	if (typeof body !== 'object' || body === null) return undefined;
	const page = body as Record<string, unknown>;
	if (!Array.isArray(page.Result)) return undefined;
	return {
		Result: page.Result as IDataObject[],
		TotalCount: typeof page.TotalCount === 'number' ? page.TotalCount : undefined,
		NextPageLink: page.NextPageLink,
	};
}

/** One page request: the list's required parameters, the filter when there is one. */
async function readPage(
	context: EtnaContext,
	connection: EtnaConnection,
	request: ListRequest,
	page: { filter?: string; pageNumber: number; pageSize: number; timeoutMs: number },
): Promise<{ page?: Page; reply: EtnaReply }> {
	const reply = await callRoute.call(context, connection, request.route, {
		params: request.params,
		query: {
			...(page.filter ? { filter: page.filter } : {}),
			...request.query,
			pageNumber: String(page.pageNumber),
			pageSize: String(page.pageSize),
		},
		timeoutMs: page.timeoutMs,
	});
	return { page: reply.answered && reply.status === 200 ? asPage(reply.body) : undefined, reply };
}

/** Reads pages from 0 until the list ends or `limit` items are in hand. */
export async function readPages(
	this: EtnaContext,
	connection: EtnaConnection,
	read: PagedRead,
): Promise<PagedResult> {
	const items: IDataObject[] = [];
	const request = listRequestOf(read.list, read.sort);
	// Small limits ask for a small page; the size then stays, since page numbers count in it.
	const largest = Math.min(PAGE_SIZE, request.maxPageSize);
	let pageSize = read.limit !== undefined ? Math.min(read.limit, largest) : largest;
	const filter = read.filter?.trim();
	for (let pages = 1; ; pages++) {
		const { page, reply } = await readPage(this, connection, request, {
			filter,
			pageNumber: items.length / pageSize,
			pageSize,
			timeoutMs: read.timeoutMs,
		});
		if (!page) {
			// A 200 without a list is reported as the reply it was: an answer without the data.
			return { ok: false, reply };
		}
		items.push(...page.Result);
		const total = page.TotalCount;
		const linksMore = typeof page.NextPageLink === 'string' && page.NextPageLink !== '';
		const more =
			total !== undefined
				? items.length < total
				: page.bare
					? page.Result.length >= pageSize
					: linksMore;
		if (read.maxPages !== undefined && pages >= read.maxPages && more) {
			return { ok: true, items, more: true };
		}
		if (read.limit !== undefined && items.length >= read.limit) {
			return {
				ok: true,
				items: items.slice(0, read.limit),
				more: more || items.length > read.limit,
			};
		}
		if (!more || page.Result.length === 0) return { ok: true, items, more: false };
		if (page.Result.length < pageSize) {
			// ETNA gave fewer than asked and there is more: its page size is smaller than ours.
			if (items.length % page.Result.length !== 0) return { ok: true, items, more: false };
			pageSize = page.Result.length;
		}
	}
}

/**
 * Where a list stands now: the Id of its newest row (0 when it is empty), in one request of one
 * row, newest first; with `filter`, of its newest row that matches. What a baseline before a
 * money request and a trigger's first poll both ask.
 */
export async function readNewestId(
	this: EtnaContext,
	connection: EtnaConnection,
	list: EtnaList,
	timeoutMs: number,
	filter?: string,
): Promise<{ ok: true; id: number } | { ok: false; reply: EtnaReply }> {
	const read = await readPages.call(this, connection, {
		list,
		sort: { field: 'Id', descending: true },
		filter,
		limit: 1,
		timeoutMs,
	});
	if (!read.ok) return read;
	const id = Number(read.items[0]?.Id);
	return { ok: true, id: Number.isFinite(id) ? id : 0 };
}

export interface FirstPageRead {
	list: EtnaList;
	sort: ListSort;
	filter?: string;
	pageSize: number;
	timeoutMs: number;
}

export type FirstPageResult =
	/** `totalCount`: ETNA's TotalCount, the rows the filter matches in all (absent when not given). */
	{ ok: true; items: IDataObject[]; totalCount?: number } | { ok: false; reply: EtnaReply };

/**
 * Page 0 of a list, alone: for keyset reads, which move the filter's bound rather than the page
 * number, so a row that appears or vanishes between two requests can neither repeat nor skip.
 */
export async function readFirstPage(
	this: EtnaContext,
	connection: EtnaConnection,
	read: FirstPageRead,
): Promise<FirstPageResult> {
	const request = listRequestOf(read.list, read.sort);
	const { page, reply } = await readPage(this, connection, request, {
		filter: read.filter?.trim(),
		pageNumber: 0,
		pageSize: Math.min(read.pageSize, request.maxPageSize),
		timeoutMs: read.timeoutMs,
	});
	if (!page) return { ok: false, reply };
	return { ok: true, items: page.Result, totalCount: page.TotalCount };
}
