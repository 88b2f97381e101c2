// What ETNA's ledger proves about a money movement. A withdrawal or deposit shows there as a row
// whose Value is the signed amount; ETNA gives no reference that ties it to a request, and its
// docs do not say which Type the row gets (`Payment` is likely; `ManualManipulation` or
// `Undefined` are possible). Matching errs on the side that cannot pay twice: every row that is
// not a trade may be the payment. Pure functions: the reads are in actions/shared/ledgerReads.ts.

export interface LedgerTransaction {
	Id: number;
	Value: number;
	Type: string;
	Date: string;
	[field: string]: unknown;
}

export function isLedgerTransaction(row: unknown): row is LedgerTransaction {
	if (typeof row !== 'object' || row === null) return false;
	const { Id, Value, Type } = row as Record<string, unknown>;
	return typeof Id === 'number' && typeof Value === 'number' && typeof Type === 'string';
}

/** The ledger rows of a read, the ones that are not transactions left out. */
export function ledgerTransactionsOf(rows: readonly unknown[]): LedgerTransaction[] {
	return rows.filter(isLedgerTransaction);
}

/** The ledger Types that come from trading (ETNA's documented list): never a payment. */
export const TRADING_TYPES: ReadonlySet<string> = new Set([
	'Commission',
	'OrderExecution',
	'OptionExpiration',
	'Clearing',
	'Rpl',
]);

/**
 * A row that may be a withdrawal or deposit of exactly this amount, signed as the ledger signs it
 * (negative: money out): any Type but a trading one, so `Payment`, `ManualManipulation`,
 * `Undefined` and any Type the docs do not list all count.
 */
export function mayBePaymentOf(transaction: LedgerTransaction, signedCents: number): boolean {
	return (
		!TRADING_TYPES.has(transaction.Type) && Math.round(transaction.Value * 100) === signedCents
	);
}

/** The earliest (lowest Id) of the rows that pass `keep`. */
function earliest(
	rows: readonly LedgerTransaction[],
	keep: (row: LedgerTransaction) => boolean,
): LedgerTransaction | undefined {
	let found: LedgerTransaction | undefined;
	for (const row of rows) if (keep(row) && (!found || row.Id < found.Id)) found = row;
	return found;
}

/**
 * Where a request's own row can be: above the newest Id read before it was sent (Ids only grow)
 * and, when the read covered only rows dated from an instant on, dated from that instant too.
 */
export interface Baseline {
	afterId: number;
	datedFrom?: number;
}

export function isAfter(row: LedgerTransaction, baseline: Baseline): boolean {
	return (
		row.Id > baseline.afterId &&
		(baseline.datedFrom === undefined || Date.parse(row.Date) >= baseline.datedFrom)
	);
}

/**
 * The row that proves a movement whose answer was lost: after the baseline, of exactly its
 * amount, not a trade; the earliest such row.
 */
export function paymentAfter(
	rows: readonly unknown[],
	baseline: Baseline,
	signedCents: number,
): LedgerTransaction | undefined {
	return earliest(
		ledgerTransactionsOf(rows),
		(row) => isAfter(row, baseline) && mayBePaymentOf(row, signedCents),
	);
}

/**
 * Skip If Already Paid Since, for one item: the earliest row of its exact amount made since its
 * time that no earlier item took (`taken`): one row excuses at most one item.
 */
export function excusingPayment(
	rows: readonly LedgerTransaction[],
	signedCents: number,
	since: number,
	taken: ReadonlySet<LedgerTransaction>,
): LedgerTransaction | undefined {
	return earliest(
		rows,
		(row) => !taken.has(row) && mayBePaymentOf(row, signedCents) && Date.parse(row.Date) >= since,
	);
}
