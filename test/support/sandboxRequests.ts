// Named views of the API requests the sandbox recorded, one definition each, so every suite
// means the same by "the withdrawals": the in-process fixture (support/etna.ts) and the sandbox
// world of the real-n8n suites (realN8n/sandboxWorld.ts) both carry them. Requests are matched by
// path whatever their method, so a request of the wrong method is counted, never missed.
import type { RecordedRequest } from '../../sandbox/server';

/**
 * `.../accounts/1001/withdrawal`: the account a request is about, and what of it. Loose on
 * purpose (any prefix, any account segment): a request to a wrong path still counts.
 */
const ACCOUNT_PATH = /\/accounts\/([^/]+)(?:\/([^/]+))?$/;

/** The account a request is about, when its path names one by number. */
export function accountOf(request: Pick<RecordedRequest, 'path'>): number | undefined {
	const segment = ACCOUNT_PATH.exec(request.path)?.[1] ?? '';
	return /^\d+$/.test(segment) ? Number(segment) : undefined;
}

/** What of an account a request is about (`withdrawal`, `transactions`, ...), if anything. */
function accountEndpointOf(request: Pick<RecordedRequest, 'path'>): string | undefined {
	return ACCOUNT_PATH.exec(request.path)?.[2];
}

/** A request as a failure or a log line shows it: method and url (no headers, so no secret). */
export function requestLine(request: Pick<RecordedRequest, 'method' | 'url'>): string {
	return `${request.method} ${request.url}`;
}

/** The urls (path and query) of `requests`, in order. */
export function urlsOf(requests: RecordedRequest[]): string[] {
	return requests.map((request) => request.url);
}

/** How many of `requests` went to each account. */
export function countByAccount(requests: RecordedRequest[]): Map<number, number> {
	const counts = new Map<number, number>();
	for (const request of requests) {
		const accountId = accountOf(request);
		if (accountId !== undefined) counts.set(accountId, (counts.get(accountId) ?? 0) + 1);
	}
	return counts;
}

/** The recorded API requests, by what they asked ETNA to do; each in the order received. */
export interface SandboxRequests {
	/** Requests to an account's withdrawal endpoint (of that account only, when given). */
	withdrawals(accountId?: number): RecordedRequest[];
	/** Requests to an account's deposit endpoint (of that account only, when given). */
	deposits(accountId?: number): RecordedRequest[];
	/** Withdrawals and deposits: every request that may move money. */
	moneyRequests(accountId?: number): RecordedRequest[];
	/** Reads of an account's ledger, /transactions (of that account only, when given). */
	ledgerReads(accountId?: number): RecordedRequest[];
	/** Requests to /token: logins, and the PIN step of a two-step one. */
	tokenRequests(): RecordedRequest[];
	/** Every request about that account (its path names it). */
	byAccount(accountId: number): RecordedRequest[];
}

/** The named views over `received`, which gives the API requests recorded so far. */
export function sandboxRequests(received: () => RecordedRequest[]): SandboxRequests {
	const about = (endpoints: string[], accountId?: number) =>
		received().filter(
			(request) =>
				endpoints.includes(accountEndpointOf(request) ?? '') &&
				(accountId === undefined || accountOf(request) === accountId),
		);
	return {
		withdrawals: (accountId) => about(['withdrawal'], accountId),
		deposits: (accountId) => about(['deposit'], accountId),
		moneyRequests: (accountId) => about(['withdrawal', 'deposit'], accountId),
		ledgerReads: (accountId) => about(['transactions'], accountId),
		tokenRequests: () => received().filter((request) => request.path === '/api/token'),
		byAccount: (accountId) => received().filter((request) => accountOf(request) === accountId),
	};
}
