// The sandbox in a process of its own, so the benchmark's CPU figures are the client's alone.
// Prints one JSON line { apiUrl, token } once listening; stops on SIGTERM.
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
	// The benchmark reads nothing back: forgetting requests keeps this process small.
	const forget = setInterval(() => sandbox.clearRequests(), 1000);
	process.on('SIGTERM', () => {
		clearInterval(forget);
		void sandbox.close().then(() => process.exit(0));
	});
}

main().catch((error: unknown) => {
	process.stderr.write(`bench sandbox: ${String(error)}\n`);
	process.exit(1);
});
