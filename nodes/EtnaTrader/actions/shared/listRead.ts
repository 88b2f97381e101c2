// Get Many: ETNA's paged lists, one output item per record, `returnAll` / `limit` as n8n's own
// nodes have them (reading stops once `limit` records are in hand).
import { checkAccountId, checkLimit } from '../../helpers/validation';
import { readPages, type EtnaCall } from '../../transport';
import { accept, optionsOf, parameterOf } from './items';
import type { Read } from './readEach';

export interface ListEndpoint {
	/** Whether the list belongs to one account (its Account ID is then a parameter). */
	perAccount: boolean;
	path(accountId: number | undefined): EtnaCall['path'];
	/** How a message names it: "the account list", "the transactions of account 1001". */
	name(accountId: number | undefined): string;
	/** The endpoint's own names for the sort: propertyName/isAscending or sortBy/isDesc. */
	sortQuery(sortBy: string, descending: boolean): Record<string, string>;
}

interface ListPlan {
	accountId?: number;
	limit?: number;
	query: Record<string, string>;
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
			const filter = text(options.filter);
			const sortBy = text(options.sortBy);
			const descending = options.sortDescending === true;
			const query: Record<string, string> = {
				...(filter ? { filter } : {}),
				...(sortBy || descending ? endpoint.sortQuery(sortBy, descending) : {}),
			};
			return { accountId, limit, query };
		},
		async run(context, connection, { accountId, limit, query, timeoutMs }) {
			const read = await readPages.call(context, connection, {
				path: endpoint.path(accountId),
				query,
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
