// The sandbox in a process of its own, so the benchmark's CPU figures are the client's alone.
// Prints one JSON line { apiUrl, token } once listening; stops on SIGTERM. Over IPC, 'counts'
// answers how many API requests it received per endpoint so far (the requests are tallied, then
// forgotten, every second, which keeps this process small).
import { startEtnaSandbox } from '../sandbox/server';

async function main(): Promise<void> {
	const sandbox = await startEtnaSandbox({
		appKeys: [process.env.BENCH_APP_KEY ?? 'bench-app-key'],
		accountCount: Number(process.env.BENCH_ACCOUNTS ?? '1000'),
		latencyMs: Number(process.env.BENCH_LATENCY_MS ?? '20'),
		// Generous cash, so thousands of withdrawals never run an account dry.
		tokenPolicy: { lifetimeMs: 24 * 60 * 60 * 1000 },
	});
	const token = sandbox.model.issueToken('admin');
	process.stdout.write(`${JSON.stringify({ apiUrl: sandbox.apiUrl, token })}\n`);
	const counts: Record<string, number> = {};
	const tally = () => {
		for (const request of sandbox.apiRequests()) {
			const endpoint =
				/\/(transactions|withdrawal|deposit|info)$/.exec(request.path)?.[1] ?? 'other';
			counts[endpoint] = (counts[endpoint] ?? 0) + 1;
		}
		sandbox.clearRequests();
	};
	const forget = setInterval(tally, 1000);
	process.on('message', (message) => {
		if (message !== 'counts') return;
		tally();
		process.send?.({ ...counts });
	});
	process.on('SIGTERM', () => {
		clearInterval(forget);
		void sandbox.close().then(() => process.exit(0));
	});
}

main().catch((error: unknown) => {
	process.stderr.write(`bench sandbox: ${String(error)}\n`);
	process.exit(1);
});
