// Reads of an account's ledger that the money flow makes for itself: the newest transaction
// before a request, the transactions after it when the request's answer was lost, and the
// transactions since a time for Skip If Already Paid Since.
import type { IExecuteFunctions } from 'n8n-workflow';

import { isLedgerTransaction } from '../../helpers/ledger';
import { readPages, type EtnaConnection, type EtnaReply, type ListSort } from '../../transport';

/** How many of the newest transactions are searched for the one a lost answer stood for. */
const RECENT_TRANSACTIONS = 200;

const NEWEST_FIRST: ListSort = { field: 'Id', descending: true };
const OLDEST_FIRST: ListSort = { field: 'Id', descending: false };

type LedgerRead = { ok: true; rows: unknown[] } | { ok: false; reply: EtnaReply };

/** The Id of the account's newest transaction (0 for an empty ledger): one request. */
export async function newestTransactionId(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	accountId: number,
	timeoutMs: number,
): Promise<{ ok: true; id: number } | { ok: false; reply: EtnaReply }> {
	const read = await readPages.call(context, connection, {
		list: { kind: 'transactions', accountId },
		sort: NEWEST_FIRST,
		limit: 1,
		timeoutMs,
	});
	if (!read.ok) return read;
	const rows: readonly unknown[] = read.items;
	const newest = rows.find(isLedgerTransaction);
	return { ok: true, id: newest ? newest.Id : 0 };
}

/** The account's transactions newer than `afterId`, newest first. */
export async function transactionsAfter(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	accountId: number,
	afterId: number,
	timeoutMs: number,
): Promise<LedgerRead> {
	const read = await readPages.call(context, connection, {
		list: { kind: 'transactions', accountId },
		sort: NEWEST_FIRST,
		filter: `Id > ${afterId}`,
		limit: RECENT_TRANSACTIONS,
		timeoutMs,
	});
	return read.ok ? { ok: true, rows: read.items } : { ok: false, reply: read.reply };
}

/** ETNA writes instants in filters between pound signs. */
function filterDate(instant: number): string {
	return `#${new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z')}#`;
}

/**
 * The account's transactions made at `since` or later, oldest first (as many pages as it
 * takes). Every Type is read: which rows may be a payment is decided by the ledger matching,
 * since ETNA's docs do not say which Type a withdrawal made through the API gets.
 */
export async function transactionsSince(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	accountId: number,
	since: number,
	timeoutMs: number,
): Promise<LedgerRead> {
	// The filter's time is rounded down to the second, so nothing at `since` itself is missed.
	const read = await readPages.call(context, connection, {
		list: { kind: 'transactions', accountId },
		sort: OLDEST_FIRST,
		filter: `Date >= ${filterDate(Math.floor(since / 1000) * 1000)}`,
		timeoutMs,
	});
	return read.ok ? { ok: true, rows: read.items } : { ok: false, reply: read.reply };
}
