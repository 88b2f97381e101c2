// Paged lists as ETNA answers them: pageNumber from 0, pageSize capped by the sandbox's
// maxPageSize (a bigger ask gets fewer items, and the links and TotalCount tell there are more).
// Both parameters are required (contract.ts refuses a request without them before it gets here).
import { QueryError } from './filters';

export const DEFAULT_MAX_PAGE_SIZE = 100;

export interface PageWindow {
	pageNumber: number;
	/** The size served: the one asked for, or maxPageSize when that was bigger. */
	pageSize: number;
}

export interface Page<T> {
	Result: T[];
	TotalCount: number;
	NextPageLink: string | null;
	PreviousPageLink: string | null;
}

/** `pageNumber` and `pageSize` from the query; throws QueryError when they are not usable. */
export function readPageWindow(url: URL, maxPageSize: number): PageWindow {
	const pageSize = Number(url.searchParams.get('pageSize'));
	const pageNumber = Number(url.searchParams.get('pageNumber'));
	if (
		!Number.isInteger(pageSize) ||
		pageSize < 1 ||
		!Number.isInteger(pageNumber) ||
		pageNumber < 0
	) {
		throw new QueryError('pageSize must be at least 1 and pageNumber at least 0.');
	}
	return { pageNumber, pageSize: Math.min(pageSize, maxPageSize) };
}

/**
 * One page of rows, with links on the sandbox's origin that repeat the query with the page
 * size actually served, so following them never skips rows. `noLink` is what ETNA writes when
 * there is no such page: null on the account list, an empty string on the ledger.
 */
export function pageOf<T>(
	rows: readonly T[],
	{ pageNumber, pageSize }: PageWindow,
	url: URL,
	origin: string,
	noLink: null | '',
): Page<T> {
	const link = (number: number) => {
		const target = new URL(`${url.pathname}${url.search}`, origin);
		target.searchParams.set('pageNumber', String(number));
		target.searchParams.set('pageSize', String(pageSize));
		return target.toString();
	};
	const start = pageNumber * pageSize;
	return {
		Result: rows.slice(start, start + pageSize),
		TotalCount: rows.length,
		NextPageLink: start + pageSize < rows.length ? link(pageNumber + 1) : noLink,
		PreviousPageLink: pageNumber > 0 ? link(pageNumber - 1) : noLink,
	};
}
