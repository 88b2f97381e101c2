// Get Many: ETNA's paged lists, one output item per record, `returnAll` / `limit` as n8n's own
// nodes have them (reading stops once `limit` records are in hand). ETNA requires a sort on every
// list read: with none picked the node sorts by Id, and Sort Descending alone sorts by Id too.
import { checkAccountId, checkLimit } from '../../helpers/validation';
import { DEFAULT_SORT, readPages, type EtnaList, type ListSort } from '../../transport';
import { accept, optionsOf, parameterOf } from './items';
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

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

export function listRead(endpoint: ListEndpoint): Read<ListPlan> {
	return {
		plan(context, itemIndex, given) {
			let accountId: number | undefined;
			if (endpoint.perAccount) {
				given.accountId = parameterOf(context, 'accountId', itemIndex);
				accountId = accept(checkAccountId(given.accountId));
			}
			const returnAll = parameterOf(context, 'returnAll', itemIndex, false) === true;
			const limit = returnAll
				? undefined
				: accept(checkLimit(parameterOf(context, 'limit', itemIndex, 50)));
			const options = optionsOf(context, itemIndex);
			const sort: ListSort = {
				field: text(options.sortBy) || DEFAULT_SORT.field,
				descending: options.sortDescending === true,
			};
			return { accountId, limit, filter: text(options.filter), sort };
		},
		async run(context, connection, { accountId, limit, filter, sort, timeoutMs }) {
			const read = await readPages.call(context, connection, {
				list: endpoint.list(accountId),
				sort,
				filter,
				limit,
				timeoutMs,
			});
			if (read.ok) return { ok: true, results: read.items };
			return {
				ok: false,
				reply: read.reply,
				subject: { kind: 'read', what: endpoint.name(accountId), accountId },
			};
		},
	};
}
