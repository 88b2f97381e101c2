// Reads of an account's ledger that the money flow makes for itself: the newest transaction
// before a request, and the transactions after it when the request's answer was lost.
import type { IExecuteFunctions } from 'n8n-workflow';

import { isLedgerTransaction } from '../../helpers/ledger';
import { callEtna, readPages, type EtnaConnection, type EtnaReply } from '../../transport';

/** How many of the newest transactions are searched for the one a lost answer stood for. */
const RECENT_TRANSACTIONS = 200;

function transactionsPath(accountId: number) {
	return ['accounts', accountId, 'transactions'];
}

/** The Id of the account's newest transaction (0 for an empty ledger): one request. */
export async function newestTransactionId(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	accountId: number,
	timeoutMs: number,
): Promise<{ ok: true; id: number } | { ok: false; reply: EtnaReply }> {
	const reply = await callEtna.call(context, connection, {
		method: 'GET',
		path: transactionsPath(accountId),
		query: { pageNumber: '0', pageSize: '1', sortBy: 'Id', isDesc: 'true' },
		timeoutMs,
	});
	const rows = reply.answered && reply.status === 200 ? resultOf(reply.body) : undefined;
	if (!rows) return { ok: false, reply };
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
): Promise<{ ok: true; rows: unknown[] } | { ok: false; reply: EtnaReply }> {
	const read = await readPages.call(context, connection, {
		path: transactionsPath(accountId),
		query: { filter: `Id > ${afterId}`, sortBy: 'Id', isDesc: 'true' },
		limit: RECENT_TRANSACTIONS,
		timeoutMs,
	});
	return read.ok ? { ok: true, rows: read.items } : { ok: false, reply: read.reply };
}

function resultOf(body: unknown): unknown[] | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const result = (body as Record<string, unknown>).Result;
	return Array.isArray(result) ? result : undefined;
}

/** ETNA writes instants in filters between pound signs. */
function filterDate(instant: number): string {
	return `#${new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z')}#`;
}

/** The account's payments made at `since` or later, oldest first (as many pages as it takes). */
export async function paymentsSince(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	accountId: number,
	since: number,
	timeoutMs: number,
): Promise<{ ok: true; rows: unknown[] } | { ok: false; reply: EtnaReply }> {
	// The filter's time is rounded down to the second, so nothing at `since` itself is missed.
	const read = await readPages.call(context, connection, {
		path: transactionsPath(accountId),
		query: {
			filter: `Type = 'Payment' and Date >= ${filterDate(Math.floor(since / 1000) * 1000)}`,
			sortBy: 'Id',
			isDesc: 'false',
		},
		timeoutMs,
	});
	return read.ok ? { ok: true, rows: read.items } : { ok: false, reply: read.reply };
}
