// API requests being handled right now, overall and per account, with the maxima since the
// last reset: how a test sees whether a client sent requests to one account at the same time.

export interface InFlightStats {
	/** API requests being handled now (a hanging one counts until its connection closes). */
	now: number;
	/** The most at once since the last reset. */
	max: number;
	/** The most at once about any one account (GET /token and the list count only overall). */
	maxPerAccount: number;
	/** The most at once per account id, for the accounts that had any. */
	maxPerAccountById: Record<number, number>;
}

export class InFlightCounter {
	private now = 0;

	private max = 0;

	private readonly perAccount = new Map<number, number>();

	private readonly maxPerAccount = new Map<number, number>();

	/** Counts a request in; call the returned function once it is answered or dropped. */
	enter(accountId: number | undefined): () => void {
		this.now += 1;
		this.max = Math.max(this.max, this.now);
		if (accountId !== undefined) {
			const count = (this.perAccount.get(accountId) ?? 0) + 1;
			this.perAccount.set(accountId, count);
			this.maxPerAccount.set(accountId, Math.max(this.maxPerAccount.get(accountId) ?? 0, count));
		}
		let left = false;
		return () => {
			// 'finish' and 'close' both call this: count the request out once.
			if (left) return;
			left = true;
			this.now -= 1;
			if (accountId === undefined) return;
			const count = (this.perAccount.get(accountId) ?? 1) - 1;
			if (count === 0) this.perAccount.delete(accountId);
			else this.perAccount.set(accountId, count);
		};
	}

	stats(): InFlightStats {
		return {
			now: this.now,
			max: this.max,
			maxPerAccount: Math.max(0, ...this.maxPerAccount.values()),
			maxPerAccountById: Object.fromEntries(this.maxPerAccount),
		};
	}

	/** Maxima start again from what is in flight now. */
	resetMaxima(): void {
		this.max = this.now;
		this.maxPerAccount.clear();
		for (const [accountId, count] of this.perAccount) this.maxPerAccount.set(accountId, count);
	}
}
