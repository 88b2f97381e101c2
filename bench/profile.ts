// `npm run bench:profile`: the month-end sweep of issue 27 through the node in-process (n8n-core's
// engine), the sandbox in its own process. Where the CPU goes while Withdraw runs (self time by
// layer: the node's own code, n8n-workflow's expressions, HTTP, the engine), the heap each output
// item holds (Get Many full and with Fields: Id, Withdraw's), and what a run holds on top while
// it runs. Prints figures; it asserts nothing.
//   PROFILE_ITEMS (20000), PROFILE_LATENCY_MS (20), PROFILE_CONCURRENCY (32), PROFILE_TOP (25),
//   PROFILE_CPU_FILE (unset: where to save the .cpuprofile for Chrome's DevTools)
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runEtnaNode, type NodeRun } from '../test/support/n8nEngine';
import { summarizeCpuProfile, type CpuProfile } from './cpuProfile';
import {
	FIRST_GENERATED,
	requestCounts,
	sandboxCredentials,
	startSandbox,
	type Sandbox,
} from './sandbox';

const ITEMS = Number(process.env.PROFILE_ITEMS ?? '20000');
const LATENCY_MS = Number(process.env.PROFILE_LATENCY_MS ?? '20');
const CONCURRENCY = Number(process.env.PROFILE_CONCURRENCY ?? '32');
const TOP = Number(process.env.PROFILE_TOP ?? '25');
const WARM_UP = 200;
const APP_KEY = `bench-${randomBytes(6).toString('hex')}`;

/** The month-end Withdraw as brokers set it up (README, examples/month-end-payout.json). */
const MONTH_END: INodeParameters = {
	resource: 'tradingAccount',
	operation: 'withdraw',
	accountId: '={{ $json.Id }}',
	amount: 1,
	options: {
		concurrency: CONCURRENCY,
		skipIfPaidSince: "={{ $now.startOf('month').toISO() }}",
		reconcileUnknown: true,
	},
};

async function run(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items: IDataObject[],
): Promise<NodeRun> {
	const result = await runEtnaNode({
		parameters,
		items,
		credentials: sandboxCredentials(sandbox, APP_KEY),
		onError: 'continueErrorOutput',
	});
	if (result.nodeError || result.errorOutput.length) {
		throw new Error(
			`The node failed: ${String(result.errorOutput[0]?.json.error ?? result.nodeError?.message ?? '')}`,
		);
	}
	return result;
}

/** `{ Id }` of `count` generated accounts from the `from`-th: what Get Many with Fields: Id gives. */
function accountItems(from: number, count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({ Id: FIRST_GENERATED + from + index }));
}

function collect(): void {
	const gc = global.gc;
	if (!gc) throw new Error('Run with node --expose-gc (npm run bench:profile does)');
	gc();
	gc();
}

const heapUsed = () => process.memoryUsage().heapUsed;

/** Heap a run's result holds (kept until measured), per output item, after full collections. */
async function heldPerItem(work: () => Promise<NodeRun>) {
	collect();
	const before = heapUsed();
	const result = await work();
	collect();
	const held = heapUsed() - before;
	const items = result.main.length;
	return { items, perItem: held / items, heldMb: held / 2 ** 20 };
}

async function profiled<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
	const result = await work();
	const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
	session.disconnect();
	return { result, profile };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<void> {
	// Accounts: one range profiled, one measured for memory, one to warm up (each paid once).
	const sandbox = await startSandbox({
		appKey: APP_KEY,
		accounts: 2 * ITEMS + WARM_UP + (FIRST_GENERATED - 1001),
		latencyMs: LATENCY_MS,
	});
	const out = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);
	try {
		out([
			`ETNA Trader node profile: month-end Withdraw of ${ITEMS} accounts (concurrency ${CONCURRENCY}, Skip If Already Paid Since, Reconcile Unknown Outcomes), sandbox latency ${LATENCY_MS} ms`,
			`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}, n8n-core engine in-process`,
			'',
		]);
		await run(sandbox, MONTH_END, accountItems(2 * ITEMS, WARM_UP));

		// (a) Get Many's output items: every field, and Fields: Id.
		const list = (fields?: string): INodeParameters => ({
			resource: 'tradingAccount',
			operation: 'getAll',
			returnAll: true,
			options: fields ? { fields } : {},
		});
		const full = await heldPerItem(async () => await run(sandbox, list(), [{}]));
		const ids = await heldPerItem(async () => await run(sandbox, list('Id'), [{}]));
		out([
			`Get Many trading accounts (Return All, ${full.items} accounts), heap held per output item after full GCs:`,
			`  every field: ${full.perItem.toFixed(0)} bytes (${full.heldMb.toFixed(1)} MB)`,
			`  Fields: Id:  ${ids.perItem.toFixed(0)} bytes (${ids.heldMb.toFixed(1)} MB)`,
			'',
		]);

		// The CPU profile of one sweep.
		const profiledItems = accountItems(0, ITEMS);
		const before = await requestCounts(sandbox);
		const started = process.hrtime.bigint();
		const cpu = process.cpuUsage();
		const { profile } = await profiled(async () => await run(sandbox, MONTH_END, profiledItems));
		const used = process.cpuUsage(cpu);
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const after = await requestCounts(sandbox);
		const sent = Object.keys(after).reduce(
			(sum, key) => sum + (after[key] ?? 0) - (before[key] ?? 0),
			0,
		);
		if (process.env.PROFILE_CPU_FILE)
			writeFileSync(process.env.PROFILE_CPU_FILE, JSON.stringify(profile));
		out([
			`Withdraw, profiled: ${seconds.toFixed(1)} s (${((seconds * 1000) / ITEMS).toFixed(2)} ms/item), CPU ${((used.user + used.system) / 1000 / ITEMS).toFixed(2)} ms/item (with the profiler's own cost), ${(sent / ITEMS).toFixed(2)} requests/item`,
			summarizeCpuProfile(profile, TOP, ITEMS),
			'',
		]);

		// (b) and (c): Withdraw's output items, and what the run holds on top while it runs.
		const items = accountItems(ITEMS, ITEMS);
		collect();
		const base = heapUsed();
		let peak = base;
		const sampler = setInterval(() => {
			collect();
			peak = Math.max(peak, heapUsed());
		}, 500);
		const swept = await run(sandbox, MONTH_END, items);
		clearInterval(sampler);
		collect();
		const held = heapUsed() - base;
		out([
			`Withdraw, ${ITEMS} items, heap after full GCs (input items already counted before the run):`,
			`  held after the run (its output and n8n's run data): ${mb(held)}, ${(held / swept.main.length).toFixed(0)} bytes per output item`,
			`  peak while it ran (a full GC every 500 ms): ${mb(peak - base)}, ${((peak - base) / ITEMS).toFixed(0)} bytes per item; above what it holds after: ${mb(peak - base - held)}`,
		]);
	} finally {
		sandbox.process.kill('SIGTERM');
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
