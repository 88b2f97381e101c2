// What one batch of Withdraw or Deposit knows of each account's ledger. The ledger is read once
// per account, on the account's first item that needs it, and that one read serves both rails:
// Skip If Already Paid Since matches its rows, and Reconcile Unknown Outcomes takes from it the
// baseline of the account's first money request (every row a later request makes is newer than
// every row read). After a money request went out for the account, a later item's baseline is
// read anew, since that request's row may follow. Items of one account never run at once, so
// each account's entry is only ever used by one item at a time.
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	excusingPayment,
	type Baseline,
	type LedgerTransaction,
} from '../../helpers/ledgerMatching';
import type { EtnaConnection, EtnaReply } from '../../transport';
import {
	newestTransactionBaseline,
	toTheSecond,
	transactionsSince,
	type LedgerRead,
} from './ledgerReads';

interface AccountLedger {
	/** The read of the account's rows dated from `datedFrom` on. */
	read: LedgerRead;
	datedFrom: number;
	/** Rows that already excused an item: one row excuses one item. */
	taken: Set<LedgerTransaction>;
	/** Whether a money request went out for the account since the read. */
	sentSince: boolean;
}

export type LedgerAnswer<T> = { ok: true; value: T } | { ok: false; reply: EtnaReply };

/** An account's read for Skip If Already Paid Since: from when, and for how many items. */
export interface LedgerReadPlan {
	since: number;
	/** The account's items with Skip If Already Paid Since not settled yet. */
	items: number;
}

export class AccountLedgers {
	private readonly accounts = new Map<number, AccountLedger>();

	/**
	 * `reads`: per account with Skip If Already Paid Since, the earliest time its items give (its
	 * one read covers the rows from then on) and how many items it has.
	 */
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly connection: EtnaConnection,
		private readonly reads: Map<number, LedgerReadPlan>,
	) {}

	private async ledgerOf(accountId: number, timeoutMs: number): Promise<AccountLedger | undefined> {
		const known = this.accounts.get(accountId);
		if (known) return known;
		const since = this.reads.get(accountId)?.since;
		if (since === undefined) return undefined;
		const datedFrom = toTheSecond(since);
		const read = await transactionsSince(
			this.context,
			this.connection,
			accountId,
			datedFrom,
			timeoutMs,
		);
		const ledger: AccountLedger = { read, datedFrom, taken: new Set(), sentSince: false };
		// A failed read is kept too: the account's other items are not sent either.
		this.accounts.set(accountId, ledger);
		return ledger;
	}

	/**
	 * Skip If Already Paid Since: the row that excuses this item (it is taken: it excuses no
	 * other), or none. Items are matched in input order, each to the earliest row of its amount.
	 */
	async excusingRow(
		accountId: number,
		signedCents: number,
		since: number,
		timeoutMs: number,
	): Promise<LedgerAnswer<LedgerTransaction | undefined>> {
		const ledger = await this.ledgerOf(accountId, timeoutMs);
		if (!ledger) return { ok: true, value: undefined };
		if (!ledger.read.ok) return { ok: false, reply: ledger.read.reply };
		const row = excusingPayment(ledger.read.rows, signedCents, since, ledger.taken);
		if (row) ledger.taken.add(row);
		return { ok: true, value: row };
	}

	/**
	 * Where the row of a money request about to be sent will be: after the batch's read of the
	 * account while nothing was sent for it since (no request), else after its newest row now.
	 */
	async baselineBeforeSending(
		accountId: number,
		timeoutMs: number,
	): Promise<LedgerAnswer<Baseline>> {
		const ledger = this.accounts.get(accountId);
		if (ledger?.read.ok && !ledger.sentSince) {
			const rows = ledger.read.rows;
			const afterId = rows.reduce((newest, row) => Math.max(newest, row.Id), 0);
			// Rows dated before the read's start were not read: `datedFrom` keeps them out.
			return { ok: true, value: { afterId, datedFrom: ledger.datedFrom } };
		}
		const newest = await newestTransactionBaseline(
			this.context,
			this.connection,
			accountId,
			timeoutMs,
		);
		return newest.ok ? { ok: true, value: newest.baseline } : newest;
	}

	/**
	 * An item of the account settled. After its last item with Skip If Already Paid Since, the
	 * account's ledger is let go: a sweep of 100,000 accounts keeps only those in flight.
	 */
	itemDone(accountId: number, paidSince: number | undefined): void {
		if (paidSince === undefined) return;
		const read = this.reads.get(accountId);
		if (!read || --read.items > 0) return;
		this.reads.delete(accountId);
		this.accounts.delete(accountId);
	}

	/** A money request for the account went out: its row may follow the read. */
	sent(accountId: number): void {
		const ledger = this.accounts.get(accountId);
		if (ledger) ledger.sentSince = true;
	}
}
