// The sandbox in a process of its own, so the benchmark's CPU figures are the client's alone.
// Prints one JSON line { apiUrl, token } once listening; stops on SIGTERM. Over IPC, 'counts'
// answers how many API requests it received per endpoint so far (the requests are tallied, then
// forgotten, every second, which keeps this process small). The other questions come as
// `{ ask, id }` and are answered `{ id, ... }` (see SandboxQuestion): the successful withdrawals
// per account, kept in a typed array (2 bytes an account) because the request log is forgotten.
import { startEtnaSandbox } from '../sandbox/server';

/** What the benchmark may ask besides 'counts'. */
export type SandboxQuestion =
	/** How many successful withdrawals so far, in all: cheap, for polling. */
	| { ask: 'paid'; id: number }
	/** Successful withdrawals per account (from `firstId`), and the accounts a withdrawal of 1 could pay. */
	| { ask: 'tally'; id: number };

export interface PaidAnswer {
	id: number;
	withdrawals: number;
}

export interface TallyAnswer {
	id: number;
	firstId: number;
	/** perAccount[i]: successful withdrawals of account firstId + i (capped at 65535). */
	perAccount: number[];
	/** Accounts enabled and with at least 1 (dollar) of excess at the start. */
	payableAtStart: number;
}

async function main(): Promise<void> {
	const sandbox = await startEtnaSandbox({
		appKeys: [process.env.BENCH_APP_KEY ?? 'bench-app-key'],
		accountCount: Number(process.env.BENCH_ACCOUNTS ?? '1000'),
		latencyMs: Number(process.env.BENCH_LATENCY_MS ?? '20'),
		// Generous cash, so thousands of withdrawals never run an account dry.
		tokenPolicy: { lifetimeMs: 24 * 60 * 60 * 1000 },
	});
	const token = sandbox.model.issueToken('admin');
	const { model } = sandbox;
	// The accounts are consecutive Ids (seeds from 1001, then generated ones): one slot per Id.
	const ids = [...model.accounts.keys()];
	const firstId = Math.min(...ids);
	const withdrawals = new Uint16Array(Math.max(...ids) - firstId + 1);
	let withdrawalsInAll = 0;
	const payableAtStart = ids.filter((accountId) => {
		const account = model.accounts.get(accountId);
		return account?.Enabled === true && model.excessOf(accountId) >= 1;
	}).length;
	// Every payment the API makes goes through recordPayment; a negative value is a withdrawal.
	const recordPayment = model.recordPayment.bind(model);
	model.recordPayment = (accountId, valueCents, at) => {
		const recorded = recordPayment(accountId, valueCents, at);
		const slot = accountId - firstId;
		if (valueCents < 0 && slot >= 0 && slot < withdrawals.length) {
			withdrawals[slot] = Math.min(withdrawals[slot] + 1, 0xffff);
			withdrawalsInAll += 1;
		}
		return recorded;
	};
	process.stdout.write(`${JSON.stringify({ apiUrl: sandbox.apiUrl, token })}\n`);
	const counts: Record<string, number> = {};
	const tally = () => {
		for (const request of sandbox.apiRequests()) {
			const endpoint =
				/\/(transactions|withdrawal|deposit|info)$/.exec(request.path)?.[1] ??
				(/\/accounts$/.test(request.path) ? 'accounts' : 'other');
			counts[endpoint] = (counts[endpoint] ?? 0) + 1;
		}
		sandbox.clearRequests();
	};
	const forget = setInterval(tally, 1000);
	process.on('message', (message: 'counts' | SandboxQuestion) => {
		if (message === 'counts') {
			tally();
			process.send?.({ ...counts });
		} else if (message.ask === 'paid') {
			process.send?.({ id: message.id, withdrawals: withdrawalsInAll } satisfies PaidAnswer);
		} else if (message.ask === 'tally') {
			process.send?.({
				id: message.id,
				firstId,
				perAccount: Array.from(withdrawals),
				payableAtStart,
			} satisfies TallyAnswer);
		}
	});
	// The benchmark ended without stopping it (killed, or crashed): go too.
	process.on('disconnect', () => process.exit(0));
	process.on('SIGTERM', () => {
		clearInterval(forget);
		void sandbox.close().then(() => process.exit(0));
	});
}

main().catch((error: unknown) => {
	process.stderr.write(`bench sandbox: ${String(error)}\n`);
	process.exit(1);
});
