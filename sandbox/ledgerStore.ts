// Each account's transactions, as GET /accounts/{id}/transactions lists them (etna-api.md).
// The only way a client can learn, after a timeout or a 5xx, whether a withdrawal went through.

/** ETNA's documented ledger Types. */
export type TransactionType =
	| 'Undefined'
	| 'Commission'
	| 'OrderExecution'
	| 'OptionExpiration'
	| 'Payment'
	| 'ManualManipulation'
	| 'Clearing'
	| 'Rpl';

/** A transaction as the API shows it: money in dollars, Value signed (negative takes money out). */
export interface Transaction {
	Id: number;
	AccountId: number;
	/** ISO 8601, UTC. */
	Date: string;
	Value: number;
	Type: TransactionType;
	Description: string;
	/** The traded security; null for money moved in or out. */
	SecurityId: number | null;
	Quantity: number;
	Fee: number;
}

/** A transaction to record; money in cents, so sums never drift by float rounding. */
export interface LedgerEntry {
	accountId: number;
	date: string;
	valueCents: number;
	type: TransactionType;
	description: string;
	securityId: number | null;
	quantity: number;
	feeCents: number;
}

/** ETNA writes times with seven fractional digits (.NET ticks), in UTC. */
export function etnaTimestamp(date: Date): string {
	return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

interface StoredEntry extends LedgerEntry {
	id: number;
	/** Written but not visible yet, as a row of a transaction that commits later. */
	hidden?: boolean;
}

function publicTransaction(entry: StoredEntry): Transaction {
	return {
		Id: entry.id,
		AccountId: entry.accountId,
		Date: entry.date,
		Value: entry.valueCents / 100,
		Type: entry.type,
		Description: entry.description,
		SecurityId: entry.securityId,
		Quantity: entry.quantity,
		Fee: entry.feeCents / 100,
	};
}

export class Ledger {
	private entries: StoredEntry[] = [];

	/** The same entries by account, so a ledger read costs the account's rows, not everyone's. */
	private byAccount = new Map<number, StoredEntry[]>();

	private lastId = 0;

	/** Records a transaction under the next Id (one sequence for all accounts, as in ETNA). */
	append(entry: LedgerEntry): Transaction {
		const stored = { ...entry, id: ++this.lastId };
		this.entries.push(stored);
		const rows = this.byAccount.get(entry.accountId);
		if (rows) rows.push(stored);
		else this.byAccount.set(entry.accountId, [stored]);
		return publicTransaction(stored);
	}

	/** The account's visible transactions, oldest Id first. */
	of(accountId: number): Transaction[] {
		return (this.byAccount.get(accountId) ?? [])
			.filter((entry) => !entry.hidden)
			.map(publicTransaction);
	}

	/** Hides or shows a row: a row that becomes visible late keeps the Id it was written with. */
	setHidden(id: number, hidden: boolean): void {
		const entry = this.entries.find((candidate) => candidate.id === id);
		if (!entry) throw new Error(`No sandbox transaction ${id}`);
		entry.hidden = hidden;
	}

	/** Rewrites a row's Date as given, e.g. a date without a zone or one that does not parse. */
	setDate(id: number, date: string): void {
		const entry = this.entries.find((candidate) => candidate.id === id);
		if (!entry) throw new Error(`No sandbox transaction ${id}`);
		entry.date = date;
	}

	clear(): void {
		this.entries = [];
		this.byAccount = new Map();
		this.lastId = 0;
	}
}
