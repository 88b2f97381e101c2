// `npm run bench`: a sweep of N withdrawals over many accounts, through the node as n8n-core's
// engine runs it, against the sandbox (in its own process, with a fixed latency), beside the same
// N requests from a plain Node.js HTTP client with keep-alive at the same concurrency. Prints
// figures; it asserts nothing (speed goals live here, never in a timed test).
// Then a month-end sweep with both rails on (Skip If Already Paid Since and Reconcile Unknown
// Outcomes), one item per account, with the requests it cost per item; and a sweep with an
// Idempotency Key per item beside the same sweep without, with n8n's deduplication store
// modelled in memory (test/support/processedData.ts: statements counted, no database latency).
//   BENCH_ITEMS (2000), BENCH_LATENCY_MS (20), BENCH_CONCURRENCY ("1,8,32"),
//   BENCH_MEMORY_ITEMS (10000), BENCH_ACCOUNTS (1000)
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';

import type { IDataObject } from 'n8n-workflow';

import { runEtnaNode, type NodeRun } from '../test/support/n8nEngine';
import { processedData } from '../test/support/processedData';
import {
	FIRST_GENERATED,
	requestCounts,
	sandboxCredentials,
	startSandbox,
	type Sandbox,
} from './sandbox';

const ITEMS = Number(process.env.BENCH_ITEMS ?? '2000');
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? '20');
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number);
const MEMORY_ITEMS = Number(process.env.BENCH_MEMORY_ITEMS ?? '10000');
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? '1000');
const APP_KEY = `bench-${randomBytes(6).toString('hex')}`;

async function startTheSandbox(): Promise<Sandbox> {
	return await startSandbox({ appKey: APP_KEY, accounts: ACCOUNTS, latencyMs: LATENCY_MS });
}

/** Item i withdraws 1 from the i-th generated account, round and round: every account sees a few. */
function sweepItems(count: number): IDataObject[] {
	const accounts = ACCOUNTS - (FIRST_GENERATED - 1001);
	return Array.from({ length: count }, (_, index) => ({
		accountId: FIRST_GENERATED + (index % accounts),
		amount: 1,
	}));
}

interface Measured {
	seconds: number;
	cpuMs: number;
}

async function measure(run: () => Promise<void>): Promise<Measured> {
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	await run();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const used = process.cpuUsage(cpu);
	return { seconds, cpuMs: (used.user + used.system) / 1000 };
}

async function throughTheNode(
	sandbox: Sandbox,
	items: IDataObject[],
	concurrency: number,
	options: IDataObject = {},
): Promise<NodeRun> {
	const result = await runEtnaNode({
		parameters: {
			resource: 'tradingAccount',
			operation: 'withdraw',
			accountId: '={{ $json.accountId }}',
			amount: '={{ $json.amount }}',
			options: { concurrency, ...options },
		},
		items,
		credentials: sandboxCredentials(sandbox, APP_KEY),
		onError: 'continueErrorOutput',
	});
	if (result.nodeError || result.errorOutput.length || result.main.length !== items.length) {
		throw new Error(
			`The node did not withdraw every item: ${result.main.length} done, ${result.errorOutput.length} failed: ${String(result.errorOutput[0]?.json.error ?? result.nodeError?.message ?? '')}`,
		);
	}
	return result;
}

/** The same requests from Node.js's own client, keep-alive, `concurrency` at a time. */
async function throughPlainHttp(sandbox: Sandbox, items: IDataObject[], concurrency: number) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const headers = { 'Et-App-Key': APP_KEY, Authorization: `Bearer ${sandbox.token}` };
	const send = (item: IDataObject) =>
		new Promise<void>((resolve, reject) => {
			const url = `${sandbox.apiUrl}/v1.0/accounts/${String(item.accountId)}/withdrawal?withdrowalValue=${String(item.amount)}`;
			const request = http.request(url, { method: 'POST', headers, agent }, (response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Amount?: unknown };
					if (response.statusCode !== 200 || typeof body.Amount !== 'number') {
						reject(new Error(`HTTP ${response.statusCode}`));
					} else resolve();
				});
			});
			request.on('error', reject);
			request.end();
		});
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items.length) await send(items[next++]);
		}),
	);
	agent.destroy();
}

const megabytes = (bytes: number) => bytes / 2 ** 20;

/**
 * Memory growth while `run` runs, in MB. Without `collectEvery`, the peaks include garbage V8
 * has not collected yet; with it, a full collection runs that often, so the peak is what the
 * sweep really held at once.
 */
async function memoryGrowth(
	run: () => Promise<void>,
	collectEvery?: number,
): Promise<{ peakHeapMb: number; retainedMb: number; peakRssMb: number }> {
	const gc = global.gc;
	if (!gc) throw new Error('Run with node --expose-gc (npm run bench does)');
	gc();
	const before = process.memoryUsage();
	let peakHeap = before.heapUsed;
	let peakRss = before.rss;
	const sample = () => {
		const now = process.memoryUsage();
		peakHeap = Math.max(peakHeap, now.heapUsed);
		peakRss = Math.max(peakRss, now.rss);
	};
	const sampler = collectEvery
		? setInterval(() => {
				gc();
				sample();
			}, collectEvery)
		: setInterval(sample, 10);
	await run();
	clearInterval(sampler);
	gc();
	const held = process.memoryUsage().heapUsed;
	return {
		peakHeapMb: megabytes(Math.max(peakHeap, held) - before.heapUsed),
		retainedMb: megabytes(held - before.heapUsed),
		peakRssMb: megabytes(peakRss - before.rss),
	};
}

const figure = (value: number, digits = 1) => value.toFixed(digits).padStart(8);

/**
 * A month-end sweep as brokers run it: one withdrawal per account, Skip If Already Paid Since
 * (nothing paid yet since its time) and Reconcile Unknown Outcomes on. What it costs in requests.
 */
async function sweepWithBothRails(sandbox: Sandbox, concurrency: number): Promise<void> {
	const accounts = ACCOUNTS - (FIRST_GENERATED - 1001);
	const items = Array.from({ length: accounts }, (_, index) => ({
		accountId: FIRST_GENERATED + index,
		amount: 2.5,
	}));
	const rails = { skipIfPaidSince: new Date().toISOString(), reconcileUnknown: true };
	const before = await requestCounts(sandbox);
	const node = await measure(async () => {
		await throughTheNode(sandbox, items, concurrency, rails);
	});
	const after = await requestCounts(sandbox);
	const sent = (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0);
	process.stdout.write(
		[
			``,
			`month-end sweep with both rails (Skip If Already Paid Since, Reconcile Unknown Outcomes): ${items.length} accounts, one withdrawal each, concurrency ${concurrency}:`,
			`  ${node.seconds.toFixed(2)} s, ${figure(items.length / node.seconds)} items/s; per item: ${(sent('transactions') / items.length).toFixed(2)} ledger reads, ${(sent('withdrawal') / items.length).toFixed(2)} withdrawals, ${((sent('info') + sent('other')) / items.length).toFixed(2)} other requests`,
			'',
		].join('\n'),
	);
}

/**
 * The same sweep with and without an Idempotency Key per item: the time and CPU a claim adds, and
 * the statements it sends to n8n's database per item. The store is modelled in memory, so a real
 * database adds its round trips (12 per item) on top.
 */
async function sweepWithKeys(sandbox: Sandbox, concurrency: number): Promise<void> {
	const store = processedData();
	const count = Math.min(ITEMS, 1000);
	const items = sweepItems(count).map((item, index) => ({ ...item, key: `bench-${index}` }));
	const off = await measure(async () => {
		await throughTheNode(sandbox, items, concurrency);
	});
	store.clear();
	const on = await measure(async () => {
		await throughTheNode(sandbox, items, concurrency, { idempotencyKey: '={{ $json.key }}' });
	});
	const statements = Object.values(store.statements).reduce((sum, value) => sum + value, 0);
	process.stdout.write(
		[
			``,
			`Idempotency Key, ${count} withdrawals, concurrency ${concurrency} (n8n's store in memory):`,
			`  off: ${((off.seconds * 1000) / count).toFixed(2)} ms and ${(off.cpuMs / count).toFixed(2)} CPU ms per item`,
			`  on:  ${((on.seconds * 1000) / count).toFixed(2)} ms and ${(on.cpuMs / count).toFixed(2)} CPU ms per item; ${(statements / count).toFixed(1)} database statements per item (${JSON.stringify(store.statements)})`,
			'',
		].join('\n'),
	);
}

async function main(): Promise<void> {
	const sandbox = await startTheSandbox();
	try {
		process.stdout.write(
			[
				`ETNA Trader node sweep benchmark: ${ITEMS} withdrawals over ${ACCOUNTS} accounts, sandbox latency ${LATENCY_MS} ms`,
				`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}, n8n-core engine in-process`,
				'',
				'concurrency   node items/s   plain items/s   node/plain time   node CPU ms/item   plain CPU ms/item',
			].join('\n') + '\n',
		);
		const items = sweepItems(ITEMS);
		// A short warm-up, so the first figures are not the JIT's.
		await throughTheNode(sandbox, sweepItems(50), 8);
		await throughPlainHttp(sandbox, sweepItems(50), 8);
		const nodeTimes = new Map<number, number>();
		for (const concurrency of CONCURRENCIES) {
			const node = await measure(async () => {
				await throughTheNode(sandbox, items, concurrency);
			});
			const plain = await measure(async () => await throughPlainHttp(sandbox, items, concurrency));
			nodeTimes.set(concurrency, node.seconds);
			process.stdout.write(
				`${String(concurrency).padStart(11)}   ${figure(ITEMS / node.seconds)}       ${figure(ITEMS / plain.seconds)}        ${figure(node.seconds / plain.seconds, 2)}x          ${figure(node.cpuMs / ITEMS, 2)}            ${figure(plain.cpuMs / ITEMS, 2)}\n`,
			);
		}
		const one = nodeTimes.get(1);
		const eight = nodeTimes.get(8);
		if (one !== undefined && eight !== undefined) {
			process.stdout.write(
				`\nnode at concurrency 8 is ${(one / eight).toFixed(2)}x faster than at 1\n`,
			);
		}
		await sweepWithBothRails(sandbox, Math.max(...CONCURRENCIES));
		await sweepWithKeys(sandbox, 8);
		const memoryConcurrency = Math.max(...CONCURRENCIES);
		// The output stays referenced until measured: n8n keeps a run's items too.
		const kept: { run?: NodeRun } = {};
		const sweep = async () => {
			kept.run = await throughTheNode(sandbox, sweepItems(MEMORY_ITEMS), memoryConcurrency);
		};
		const lazy = await memoryGrowth(sweep);
		kept.run = undefined;
		const live = await memoryGrowth(sweep, 250);
		process.stdout.write(
			[
				`memory for ${MEMORY_ITEMS} items at concurrency ${memoryConcurrency}:`,
				`  peak live heap growth ${live.peakHeapMb.toFixed(1)} MB (a full GC every 250 ms); held after the run ${live.retainedMb.toFixed(1)} MB (n8n's run data: every input and output item)`,
				`  peak heap growth ${lazy.peakHeapMb.toFixed(1)} MB with V8 collecting when it likes (garbage not yet collected included); process RSS growth ${lazy.peakRssMb.toFixed(1)} MB`,
			].join('\n') + '\n',
		);
	} finally {
		sandbox.process.kill('SIGTERM');
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
