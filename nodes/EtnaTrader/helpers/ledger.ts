// What ETNA's ledger proves about a money movement. A withdrawal or deposit shows there as a row
// whose Value is the signed amount; ETNA gives no reference that ties it to a request, and its
// docs do not say which Type the row gets (`Payment` is likely; `ManualManipulation` or
// `Undefined` are possible). Matching errs on the side that cannot pay twice: every row that is
// not a trade may be the payment.

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

/**
 * The payment that proves a movement whose answer was lost: made after the newest transaction
 * that was in the ledger before the request was sent (`baselineId`), of exactly its amount.
 */
export function paymentAfter(
	transactions: readonly unknown[],
	baselineId: number,
	signedCents: number,
): LedgerTransaction | undefined {
	return transactions
		.filter(isLedgerTransaction)
		.filter(
			(transaction) => transaction.Id > baselineId && mayBePaymentOf(transaction, signedCents),
		)
		.sort((left, right) => left.Id - right.Id)[0];
}

export interface PaidCheck {
	itemIndex: number;
	accountId: number;
	signedCents: number;
	/** Payments from this instant on may excuse the item. */
	since: number;
}

/**
 * Skip If Already Paid Since: which items the ledger already shows as paid. Items are matched in
 * input order, each to the earliest payment of its account and exact amount made since its time
 * that no earlier item took: one transaction excuses at most one item.
 */
export function paidAlready(
	checks: readonly PaidCheck[],
	paymentsOf: (accountId: number) => readonly unknown[],
): Map<number, LedgerTransaction> {
	const taken = new Set<LedgerTransaction>();
	const excused = new Map<number, LedgerTransaction>();
	for (const check of checks) {
		const payment = paymentsOf(check.accountId)
			.filter(isLedgerTransaction)
			.filter(
				(transaction) =>
					!taken.has(transaction) &&
					mayBePaymentOf(transaction, check.signedCents) &&
					Date.parse(transaction.Date) >= check.since,
			)
			.sort((left, right) => left.Id - right.Id)[0];
		if (payment) {
			taken.add(payment);
			excused.set(check.itemIndex, payment);
		}
	}
	return excused;
}
