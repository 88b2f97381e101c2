// Get Many: ETNA's paged lists, one output item per record, `returnAll` / `limit` as n8n's own
// nodes have them (reading stops once `limit` records are in hand). ETNA requires a sort on every
// list read: with none picked the node sorts by Id, and Sort Descending alone sorts by Id too.
import {
	allChecked,
	checkAccountId,
	checkLimit,
	mapChecked,
	type Checked,
} from '../../helpers/validation';
import { DEFAULT_SORT, readPages, type EtnaList, type ListSort } from '../../transport';
import { parameterOf } from './items';
import type { Read } from './readEach';

export interface ListEndpoint {
	/** Whether the list belongs to one account (its Account ID is then a parameter). */
	perAccount: boolean;
	list(accountId: number | undefined): EtnaList;
	/** How a message names it: "the account list", "the transactions of account 1001". */
	name(accountId: number | undefined): string;
}

interface ListPlan {
	accountId?: number;
	limit?: number;
	filter: string;
	sort: ListSort;
}

interface ListGiven {
	accountId?: unknown;
	returnAll: boolean;
	limit: unknown;
	options: Record<string, unknown>;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

const passed = <T>(value: T): Checked<T> => ({ ok: true, value });

export function listRead(endpoint: ListEndpoint): Read<ListGiven, ListPlan> {
	return {
		read: (context, itemIndex, options) => ({
			...(endpoint.perAccount ? { accountId: parameterOf(context, 'accountId', itemIndex) } : {}),
			returnAll: parameterOf(context, 'returnAll', itemIndex, false) === true,
			limit: parameterOf(context, 'limit', itemIndex, 50),
			options,
		}),
		check: (given) =>
			mapChecked(
				allChecked<{ accountId: number | undefined; limit: number | undefined }>({
					accountId: endpoint.perAccount ? checkAccountId(given.accountId) : passed(undefined),
					limit: given.returnAll ? passed(undefined) : checkLimit(given.limit),
				}),
				({ accountId, limit }) => ({
					accountId,
					limit,
					filter: text(given.options.filter),
					sort: {
						field: text(given.options.sortBy) || DEFAULT_SORT.field,
						descending: given.options.sortDescending === true,
					},
				}),
			),
		shown: (given) => (endpoint.perAccount ? { accountId: given.accountId } : {}),
		async run(context, connection, { accountId, limit, filter, sort, timeoutMs }) {
			const read = await readPages.call(context, connection, {
				list: endpoint.list(accountId),
				sort,
				filter,
				limit,
				timeoutMs,
			});
			if (read.ok) return { ok: true, records: read.items };
			return {
				ok: false,
				reply: read.reply,
				subject: { kind: 'read', what: endpoint.name(accountId), accountId },
			};
		},
	};
}
