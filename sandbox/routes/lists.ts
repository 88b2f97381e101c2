// What the account list and the ledger share: a page of rows, filtered and sorted as the query
// says, each list with its own names for the sort (required: contract.ts refuses a request
// without them before it gets here) and its own "no page" link.
import {
	QueryError,
	parseFilter,
	readBooleanParameter,
	sortRows,
	type FieldSchema,
	type Row,
} from '../filters';
import { answer, refusal, type ApiAnswer } from '../http';
import { pageOf, readPageWindow } from '../paging';
import type { SandboxContext } from './context';

export interface ListShape {
	fields: FieldSchema;
	/** The query parameter naming the sort field: propertyName or sortBy. */
	sortField: string;
	/** The direction's parameter, and whether `true` means descending (isDesc) or not (isAscending). */
	direction: { parameter: string; trueMeansDescending: boolean };
	/** What the list writes for a page that does not exist: null (accounts) or "" (ledger). */
	noLink: null | '';
	/** The largest page the list serves: a bigger `pageSize` is refused (positions 99, orders 100). */
	pageCap?: number;
	/** The sort parameters may be left out (orders): then by Id, ascending. */
	sortOptional?: boolean;
}

/**
 * One page of `rows`, or ETNA's 422 for a query it cannot read. `present` turns a row of the page
 * into the record the API shows, when rows carry only what filters and sorts read (building every
 * record of a long list for each request would make the sandbox the slowest part of a benchmark).
 */
export function listAnswer<T extends Row>(
	context: SandboxContext,
	url: URL,
	rows: readonly T[],
	shape: ListShape,
	present: (row: T) => unknown = (row) => row,
): ApiAnswer {
	try {
		const asked = Number(url.searchParams.get('pageSize'));
		if (shape.pageCap !== undefined && asked > shape.pageCap) {
			throw new QueryError(`pageSize must be at most ${shape.pageCap}.`);
		}
		const window = readPageWindow(url, context.settings.maxPageSize);
		const filter = url.searchParams.get('filter')?.trim();
		const kept = filter ? rows.filter(parseFilter(filter, shape.fields)) : rows;
		const sortLeftOut = shape.sortOptional && !url.searchParams.has(shape.direction.parameter);
		const flag = sortLeftOut ? false : readBooleanParameter(url, shape.direction.parameter);
		const descending = shape.direction.trueMeansDescending ? flag : !flag;
		const sortBy = url.searchParams.get(shape.sortField) ?? (shape.sortOptional ? 'Id' : '');
		const sorted = sortRows(kept, sortBy, descending, shape.fields);
		const page = pageOf(sorted, window, url, context.origin, shape.noLink);
		return answer(200, { ...page, Result: page.Result.map(present) });
	} catch (error) {
		if (error instanceof QueryError) return refusal(422, error.message);
		throw error;
	}
}
