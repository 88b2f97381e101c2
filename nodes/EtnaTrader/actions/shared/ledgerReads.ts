// Reads of an account's ledger that the money flow makes for itself: the newest transaction
// before a request, the transactions since a time (Skip If Already Paid Since, and a baseline),
// and the transactions after a baseline when a request's answer was lost.
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	ledgerTransactionsOf,
	type Baseline,
	type LedgerTransaction,
} from '../../helpers/ledgerMatching';
import {
	allOf,
	filterOn,
	readNewestId,
	readPages,
	type EtnaConnection,
	type EtnaReply,
	type ListSort,
} from '../../transport';

/** How many of the newest transactions are searched for the one a lost answer stood for. */
const RECENT_TRANSACTIONS = 200;

const NEWEST_FIRST: ListSort = { field: 'Id', descending: true };
const OLDEST_FIRST: ListSort = { field: 'Id', descending: false };

export type LedgerRead = { ok: true; rows: LedgerTransaction[] } | { ok: false; reply: EtnaReply };

/** The instant rounded down to the second, so a filter on it misses nothing at that instant. */
export function toTheSecond(instant: number): number {
	return Math.floor(instant / 1000) * 1000;
}

/** The account's newest transaction, as the baseline of a request about to be sent: one request. */
export async function newestTransactionBaseline(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	accountId: number,
	timeoutMs: number,
): Promise<{ ok: true; baseline: Baseline } | { ok: false; reply: EtnaReply }> {
	const newest = await readNewestId.call(
		context,
		connection,
		{ kind: 'transactions', accountId },
		timeoutMs,
	);
	return newest.ok ? { ok: true, baseline: { afterId: newest.id } } : newest;
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
	const read = await readPages.call(context, connection, {
		list: { kind: 'transactions', accountId },
		sort: OLDEST_FIRST,
		filter: filterOn.dateFrom(toTheSecond(since)),
		timeoutMs,
	});
	return read.ok ? { ok: true, rows: ledgerTransactionsOf(read.items) } : read;
}

/** The account's newest transactions after the baseline, newest first. */
export async function transactionsAfter(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	accountId: number,
	baseline: Baseline,
	timeoutMs: number,
): Promise<LedgerRead> {
	const filter = allOf([
		filterOn.idAbove(baseline.afterId),
		baseline.datedFrom === undefined ? undefined : filterOn.dateFrom(baseline.datedFrom),
	]);
	const read = await readPages.call(context, connection, {
		list: { kind: 'transactions', accountId },
		sort: NEWEST_FIRST,
		filter,
		limit: RECENT_TRANSACTIONS,
		timeoutMs,
	});
	return read.ok ? { ok: true, rows: ledgerTransactionsOf(read.items) } : read;
}
