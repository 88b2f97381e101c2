// `npm run bench:scale -- --accounts 100000 [--workers N] [--shape one|batched] [--latency 20]`:
// a month-end payout of every account, in a REAL n8n (the pinned one, the package installed as
// n8n installs it) against the sandbox in a process of its own. Prints what it cost; asserts
// nothing (it is not a test):
//   the month-end's wall time (the parent execution's start to its end, as n8n stored them),
//   peak RSS of every n8n process (main, workers, task runners) and of all together,
//   the database's growth (SQLite file, or PostgreSQL's pg_database_size in queue mode),
//   API requests per payment, per endpoint, accounts paid twice (must be 0), accounts not paid,
//   and the executions' status.
// Shapes:
//   one (default): the README's single execution, Get Many (Return All) > Withdraw, `n8n execute`.
//   batched: examples/month-end-batched*.json: a parent that calls one page sub-workflow per
//     page of Ids; with --workers N in queue mode (main + N workers, PostgreSQL, Redis), where
//     the parent posts each page to the page workflow's webhook and the workers run the pages.
// Options: --heap MB (n8n's --max-old-space-size), --fields Id (Get Many's Fields option),
//   --kill-worker-at N (queue: SIGKILL worker 1 once N accounts are paid, then run again),
//   --concurrency K (queue: executions per worker, n8n's default 10),
//   --cpu-prof (shape one: V8's CPU profile of n8n, summarised by layer and top functions),
//   --heap-snapshots (shape one: a heap snapshot of n8n when half the accounts are paid and
//   right after the last payment, each summarised by bench/heapSummary.ts),
//   --examples DIR (the batched workflows from another folder than examples/),
//   --package DIR (pack the package from another built checkout, e.g. a baseline commit's).
import { randomBytes } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
} from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import type { IDataObject } from 'n8n-workflow';

import { createN8nCluster, type N8nCluster } from '../scripts/n8n/cluster';
import { ensureN8n, type N8nInstall } from '../scripts/n8n/install';
import {
	createN8nInstance,
	freePort,
	importCredentials,
	importWorkflows,
	publishWorkflow,
	type CredentialImport,
	type N8nInstance,
} from '../scripts/n8n/instance';
import { packPackage } from '../scripts/n8n/package';
import {
	removeFolder,
	removeOnExit,
	spawnManaged,
	type ManagedProcess,
} from '../scripts/n8n/processes';
import { runOrFail } from '../scripts/n8n/run';
import { applyPublications, waitForPostWebhook } from '../scripts/n8n/server';
import { projectRoot } from '../scripts/project';
import { summarizeCpuProfile, type CpuProfile } from './cpuProfile';
import { printHeapSummary } from './heapSummary';
import { MONTH_END } from '../test/realN8n/workflows';
import { cpuMsOf, RssSampler, type RssRoot } from './rss';
import { startBenchSandbox, type BenchSandbox } from './sandboxClient';

const ETNA_NODE_TYPE = 'n8n-nodes-etna-trader.etnaTrader';
const ETNA_CREDENTIAL = 'etnaSandboxCred1';
const KEY_CREDENTIAL = MONTH_END.keyCredential;
const ONE_WORKFLOW = 'etnaBenchScale01';
const BATCHED_PARENT = MONTH_END.parent;
const QUEUE_PARENT = MONTH_END.queueParent;
const PAGE_WORKFLOW = MONTH_END.page;
const PAGE_WEBHOOK = MONTH_END.pageWebhook;

interface Options {
	accounts: number;
	workers: number;
	shape: 'one' | 'batched';
	latencyMs: number;
	heapMb?: number;
	fields?: string;
	killWorkerAt?: number;
	concurrency?: number;
	heapSnapshots: boolean;
	/** Shape one: V8's CPU profile of `n8n execute`, summarised by layer (bench/cpuProfile.ts). */
	cpuProfile: boolean;
	/** Where the batched examples are read from: the project's examples/ unless --examples DIR. */
	examples: string;
	/** The package's folder (built) to pack: this project unless --package DIR (e.g. a baseline). */
	packageDir: string;
}

function options(): Options {
	const { values } = parseArgs({
		options: {
			accounts: { type: 'string', default: '2000' },
			workers: { type: 'string', default: '0' },
			shape: { type: 'string', default: 'one' },
			latency: { type: 'string', default: '20' },
			heap: { type: 'string' },
			fields: { type: 'string' },
			'kill-worker-at': { type: 'string' },
			concurrency: { type: 'string' },
			'heap-snapshots': { type: 'boolean', default: false },
			'cpu-prof': { type: 'boolean', default: false },
			examples: { type: 'string' },
			package: { type: 'string' },
		},
	});
	const shape = values.shape;
	if (shape !== 'one' && shape !== 'batched') throw new Error('--shape is one or batched');
	const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
	const chosen: Options = {
		accounts: Number(values.accounts),
		workers: Number(values.workers),
		shape,
		latencyMs: Number(values.latency),
		heapMb: number(values.heap),
		fields: values.fields,
		killWorkerAt: number(values['kill-worker-at']),
		concurrency: number(values.concurrency),
		heapSnapshots: values['heap-snapshots'] ?? false,
		cpuProfile: values['cpu-prof'] ?? false,
		examples: values.examples ?? path.join(projectRoot(), 'examples'),
		packageDir: values.package ?? projectRoot(),
	};
	if (chosen.workers > 0 && shape === 'one') {
		throw new Error(
			'--workers needs --shape batched: `n8n execute` runs one execution in its own process',
		);
	}
	if (chosen.killWorkerAt !== undefined && chosen.workers === 0) {
		throw new Error('--kill-worker-at needs --workers');
	}
	return chosen;
}

const log = (line: string) => process.stdout.write(`[bench:scale] ${line}\n`);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The README's recommended single execution: every account from Get Many, one Withdraw each. */
function oneExecutionWorkflow(fields: string | undefined): IDataObject {
	const credentials = { etnaTraderApi: { id: ETNA_CREDENTIAL, name: 'ETNA Trader API (sandbox)' } };
	const node = (name: string, x: number, rest: IDataObject) => ({
		id: `bench-${name.toLowerCase().replace(/\W+/g, '-')}`,
		name,
		position: [x, 0],
		...rest,
	});
	return {
		id: ONE_WORKFLOW,
		name: 'Month-end payout, one execution (bench)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Run now', 0, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }),
			node('Get Many', 240, {
				type: ETNA_NODE_TYPE,
				typeVersion: 1,
				credentials,
				parameters: {
					resource: 'tradingAccount',
					operation: 'getAll',
					returnAll: true,
					options: fields ? { fields } : {},
				},
			}),
			node('Withdraw', 480, {
				type: ETNA_NODE_TYPE,
				typeVersion: 1,
				credentials,
				onError: 'continueErrorOutput',
				parameters: {
					resource: 'tradingAccount',
					operation: 'withdraw',
					accountId: '={{ $json.Id }}',
					amount: 1,
					options: {
						concurrency: 32,
						skipIfPaidSince: "={{ $now.startOf('month').toISO() }}",
						reconcileUnknown: true,
					},
				},
			}),
		],
		connections: {
			'Run now': { main: [[{ node: 'Get Many', type: 'main', index: 0 }]] },
			'Get Many': { main: [[{ node: 'Withdraw', type: 'main', index: 0 }]] },
		},
		pinData: {},
	};
}

function example(folder: string, name: string): IDataObject {
	const file = path.join(folder, name);
	if (!existsSync(file)) {
		throw new Error(
			`examples/${name} is not there yet (the batched shape needs the batched examples)`,
		);
	}
	return JSON.parse(readFileSync(file, 'utf8')) as IDataObject;
}

/** `value` with every `{ name: 'pageWebhookUrl', value }` (a Set node's field) set to `url`. */
function withPageUrl(value: unknown, url: string): { value: unknown; found: boolean } {
	if (Array.isArray(value)) {
		const items = value.map((item) => withPageUrl(item, url));
		return { value: items.map((item) => item.value), found: items.some((item) => item.found) };
	}
	if (typeof value !== 'object' || value === null) return { value, found: false };
	const record = value as IDataObject;
	if (record.name === 'pageWebhookUrl' && 'value' in record) {
		return { value: { ...record, value: url }, found: true };
	}
	let found = false;
	const copy: IDataObject = {};
	for (const [key, inner] of Object.entries(record)) {
		const changed = withPageUrl(inner, url);
		copy[key] = changed.value as IDataObject[keyof IDataObject];
		found ||= changed.found;
	}
	return { value: copy, found };
}

/** The queue parent with its "Month-end settings" pointing at this cluster's page webhook. */
function queueParent(examples: string, pageWebhookUrl: string): IDataObject {
	const workflow = example(examples, 'month-end-batched-queue.json');
	const nodes = (workflow.nodes as IDataObject[]).map((node) => {
		if (node.name !== 'Month-end settings') return node;
		const changed = withPageUrl(node.parameters, pageWebhookUrl);
		if (!changed.found) {
			throw new Error(
				'month-end-batched-queue.json: no pageWebhookUrl field in "Month-end settings"',
			);
		}
		return { ...node, parameters: changed.value as IDataObject };
	});
	return { ...workflow, nodes };
}

function credentialsFor(sandbox: BenchSandbox, pageKey: string): CredentialImport[] {
	return [
		{
			id: ETNA_CREDENTIAL,
			name: 'ETNA Trader API (sandbox)',
			type: 'etnaTraderApi',
			data: {
				baseUrl: `${sandbox.apiUrl}/`,
				apiVersion: '1.0',
				appKey: sandbox.appKey,
				authMethod: 'token',
				token: sandbox.token,
			},
		},
		{
			id: KEY_CREDENTIAL,
			name: 'Month-end page key',
			type: 'httpHeaderAuth',
			data: { name: 'X-Month-End-Key', value: pageKey },
		},
	];
}

/** SQL against an n8n SQLite file, through the pinned n8n's own sqlite3 (built for its Node.js). */
async function sqlite<Row>(install: N8nInstall, file: string, sql: string): Promise<Row[]> {
	const script = `const sqlite3 = require(process.argv[1]);
const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY);
db.all(process.argv[3], (error, rows) => {
	if (error) { console.error(error.message); process.exit(1); }
	process.stdout.write(JSON.stringify(rows));
	db.close();
});`;
	const { stdout } = await runOrFail(
		install.nodeBinary,
		['-e', script, path.join(install.dir, 'node_modules', 'sqlite3'), file, sql],
		{ cwd: path.dirname(file), timeoutMs: 120_000 },
	);
	return JSON.parse(stdout) as Row[];
}

interface ExecutionRow {
	id: string;
	workflowId: string;
	status: string;
	startedAt: number | null;
	stoppedAt: number | null;
	dataBytes: number | null;
}

function sqliteTime(value: string | null): number | null {
	return value === null ? null : Date.parse(`${value.replace(' ', 'T')}Z`);
}

async function sqliteExecutions(install: N8nInstall, file: string): Promise<ExecutionRow[]> {
	const rows = await sqlite<{
		id: number;
		workflowId: string;
		status: string;
		startedAt: string | null;
		stoppedAt: string | null;
		dataBytes: number | null;
	}>(
		install,
		file,
		`SELECT e.id, e.workflowId, e.status, e.startedAt, e.stoppedAt, length(d.data) AS dataBytes
		FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id ORDER BY e.id`,
	);
	return rows.map((row) => ({
		...row,
		id: String(row.id),
		startedAt: sqliteTime(row.startedAt),
		stoppedAt: sqliteTime(row.stoppedAt),
	}));
}

async function postgresExecutions(cluster: N8nCluster): Promise<ExecutionRow[]> {
	return await cluster.query<ExecutionRow>(
		`SELECT e.id::text AS "id", e."workflowId", e.status,
		(extract(epoch from e."startedAt") * 1000)::bigint AS "startedAt",
		(extract(epoch from e."stoppedAt") * 1000)::bigint AS "stoppedAt",
		length(d.data) AS "dataBytes"
		FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id ORDER BY e.id`,
	);
}

function sqliteBytes(instance: N8nInstance): number {
	const base = path.join(instance.userFolder, '.n8n', 'database.sqlite');
	return ['', '-wal', '-shm'].reduce((sum, suffix) => {
		const file = `${base}${suffix}`;
		return sum + (existsSync(file) ? statSync(file).size : 0);
	}, 0);
}

async function postgresBytes(cluster: N8nCluster): Promise<number> {
	const [row] = await cluster.query<{ bytes: number }>(
		`SELECT pg_database_size(current_database()) AS bytes`,
	);
	return Number(row.bytes);
}

/** Per-account withdrawals now, to compare with a later tally. */
type Tally = Awaited<ReturnType<BenchSandbox['tally']>>;

interface Payments {
	paid: number;
	paidTwice: number;
	paidTwiceIds: number[];
	notPaid: number;
	notPaidIds: number[];
	withdrawals: number;
}

/** Accounts paid, paid twice and not paid, counting withdrawals made since `before`. */
function payments(before: Tally, after: Tally, sinceStart: Tally): Payments {
	const result: Payments = {
		paid: 0,
		paidTwice: 0,
		paidTwiceIds: [],
		notPaid: 0,
		notPaidIds: [],
		withdrawals: 0,
	};
	after.perAccount.forEach((total, index) => {
		const inRun = total - (before.perAccount[index] ?? 0);
		const overall = total - (sinceStart.perAccount[index] ?? 0);
		result.withdrawals += inRun;
		if (inRun > 0) result.paid += 1;
		// Twice over the whole benchmark (a re-run included), not only in this run.
		if (overall > 1) {
			result.paidTwice += 1;
			if (result.paidTwiceIds.length < 10) result.paidTwiceIds.push(after.firstId + index);
		}
		if (overall === 0) {
			result.notPaid += 1;
			if (result.notPaidIds.length < 10) result.notPaidIds.push(after.firstId + index);
		}
	});
	return result;
}

interface RunFigures {
	label: string;
	wallMs: number;
	processMs: number;
	counts: Record<string, number>;
	payments: Payments;
	dbBefore: number;
	dbAfter: number;
	dbKind: string;
	executions: ExecutionRow[];
	parentId: string;
	/** CPU the sandbox process used during the run: on a 2-core machine it competes with n8n. */
	sandboxCpuMs: number;
}

function diffCounts(before: Record<string, number>, after: Record<string, number>) {
	const out: Record<string, number> = {};
	for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
		const sent = (after[key] ?? 0) - (before[key] ?? 0);
		if (sent) out[key] = sent;
	}
	return out;
}

function printRun(figures: RunFigures, workerOf?: (executionId: string) => number | undefined) {
	const { payments: paid, counts } = figures;
	const requests = Object.values(counts).reduce((sum, value) => sum + value, 0);
	const parent = figures.executions.find((row) => row.id === figures.parentId);
	const others = figures.executions.filter((row) => row.id !== figures.parentId);
	const statuses = (rows: ExecutionRow[]) => {
		const by: Record<string, number> = {};
		for (const row of rows) by[row.status] = (by[row.status] ?? 0) + 1;
		return Object.entries(by)
			.map(([status, count]) => `${count} ${status}`)
			.join(', ');
	};
	log(`--- ${figures.label} ---`);
	log(`execution ${figures.parentId}: ${parent?.status ?? 'not stored'}`);
	log(
		`month-end wall time: ${seconds(figures.wallMs)} (execution start to end as stored); the n8n command took ${seconds(figures.processMs)}`,
	);
	log(`the sandbox process used ${seconds(figures.sandboxCpuMs)} of CPU meanwhile`);
	if (parent?.dataBytes) log(`stored run data of the execution: ${mb(parent.dataBytes / 1024)}`);
	if (others.length) {
		const dataKb = others.reduce((sum, row) => sum + (row.dataBytes ?? 0), 0) / 1024;
		log(
			`other executions: ${others.length} (${statuses(others)}); their stored run data ${mb(dataKb)}`,
		);
	}
	log(
		`database (${figures.dbKind}): ${mb(figures.dbBefore / 1024)} before, ${mb(figures.dbAfter / 1024)} after: grew ${mb((figures.dbAfter - figures.dbBefore) / 1024)}`,
	);
	log(
		`accounts paid in this run: ${paid.paid} (${paid.withdrawals} withdrawals); paid twice (whole bench): ${paid.paidTwice}${paid.paidTwiceIds.length ? ` e.g. ${paid.paidTwiceIds.join(', ')}` : ''}; never paid: ${paid.notPaid}${paid.notPaidIds.length ? ` e.g. ${paid.notPaidIds.join(', ')}` : ''}`,
	);
	const perEndpoint = Object.entries(counts)
		.map(([endpoint, count]) => `${endpoint} ${count}`)
		.join(', ');
	log(
		`API requests: ${requests} (${perEndpoint}); per account paid: ${paid.paid ? (requests / paid.paid).toFixed(2) : '-'}${
			paid.paid
				? ` (${Object.entries(counts)
						.map(([endpoint, count]) => `${endpoint} ${(count / paid.paid).toFixed(2)}`)
						.join(', ')})`
				: ''
		}`,
	);
	if (workerOf && others.length) {
		const byWorker = new Map<string, string[]>();
		for (const row of others) {
			const index = workerOf(row.id);
			const key = index === undefined ? 'no worker (main or the CLI)' : `worker ${index + 1}`;
			byWorker.set(key, [...(byWorker.get(key) ?? []), row.id]);
		}
		for (const [worker, ids] of byWorker) {
			const shown = ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, ...` : ids.join(', ');
			log(`  ${worker} ran ${ids.length} executions: ${shown}`);
		}
	}
}

/** n8n's output with the secrets it might echo (in a failed request's error) masked. */
function redacted(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) if (secret) out = out.split(secret).join('[secret]');
	// Whatever else looks like a key or token: n8n prints an execution's resumeToken.
	return out.replace(/[A-Za-z0-9_-]{32,}/g, '[masked]');
}

function sandboxCpuMs(sandbox: BenchSandbox): number {
	return sandbox.process.pid === undefined ? 0 : (cpuMsOf(sandbox.process.pid) ?? 0);
}

/** Runs `n8n execute --id` in its own process group, its output kept short (it prints the run). */
function startExecute(
	instance: N8nInstance,
	workflowId: string,
	env: NodeJS.ProcessEnv = {},
): ManagedProcess {
	return spawnManaged(
		'n8n execute',
		instance.install.nodeBinary,
		[instance.install.n8nBinary, 'execute', `--id=${workflowId}`],
		{ cwd: instance.userFolder, env: { ...instance.env, ...env }, outputLimit: 20_000 },
	);
}

/** Until `process` exits: at each `at` count of payments, calls its action once. */
async function watchPayments(
	sandbox: BenchSandbox,
	managed: ManagedProcess,
	marks: Array<{ at: number; action: () => Promise<void> | void }>,
): Promise<void> {
	const pending = [...marks].sort((left, right) => left.at - right.at);
	const began = Date.now();
	let lastLog = began;
	while (managed.running()) {
		const paid = await sandbox.paid();
		// A sign of life on long runs: withdrawals so far (since the sandbox started).
		if (Date.now() - lastLog >= 30_000) {
			lastLog = Date.now();
			log(`  ${seconds(lastLog - began)}: ${paid} withdrawals so far`);
		}
		while (pending.length && paid >= pending[0].at) {
			const mark = pending.shift();
			await mark?.action();
		}
		await wait(100);
	}
	await managed.exited;
}

function heapSnapshotsIn(folder: string): string[] {
	return readdirSync(folder)
		.filter((name) => name.endsWith('.heapsnapshot'))
		.map((name) => path.join(folder, name));
}

/** Until a new snapshot file has appeared in `folder` and stopped growing (or n8n exited). */
async function snapshotWritten(
	folder: string,
	countBefore: number,
	managed: ManagedProcess,
): Promise<void> {
	let lastSize = -1;
	while (managed.running()) {
		await wait(500);
		const files = heapSnapshotsIn(folder);
		if (files.length <= countBefore) continue;
		const size = Math.max(...files.map((file) => statSync(file).size));
		if (size > 0 && size === lastSize) return;
		lastSize = size;
	}
}

function printRss(report: ReturnType<RssSampler['stop']>): void {
	log(`peak RSS (${report.samples} samples, every 200 ms):`);
	for (const peak of report.processes.sort((left, right) => right.peakKb - left.peakKb)) {
		log(`  ${peak.label} (pid ${peak.pid}): ${mb(peak.peakKb)}, CPU ${seconds(peak.cpuMs)}`);
	}
	const sumOfPeaks = report.processes.reduce((sum, peak) => sum + peak.peakKb, 0);
	log(
		`  all together: ${mb(report.peakSumKb)} at the highest sample (sum of the peaks ${mb(sumOfPeaks)})`,
	);
}

function cpuProfileFolder(instance: N8nInstance): string {
	return path.join(instance.userFolder, 'cpu-profiles');
}

/**
 * `n8n execute`'s CPU profile (V8 writes it as the process exits), summarised by layer: the
 * largest file is n8n's own (its task runner writes a small one too).
 */
function printCpuProfile(instance: N8nInstance, accounts: number): void {
	const folder = cpuProfileFolder(instance);
	const files = existsSync(folder)
		? readdirSync(folder).map((name) => path.join(folder, name))
		: [];
	const largest = files.sort((left, right) => statSync(right).size - statSync(left).size)[0];
	if (!largest) {
		log('no CPU profile was written');
		return;
	}
	const profile = JSON.parse(readFileSync(largest, 'utf8')) as CpuProfile;
	log(`CPU profile of n8n execute (per account: ${accounts} accounts):`);
	process.stdout.write(`${summarizeCpuProfile(profile, 25, accounts)}\n`);
}

/** One process (SQLite): shape one, or the batched parent calling its page sub-workflow. */
async function single(
	install: N8nInstall,
	tarball: string,
	sandbox: BenchSandbox,
	chosen: Options,
	start: Tally,
): Promise<void> {
	const instance = await createN8nInstance(install, tarball);
	removeOnExit(instance.userFolder);
	try {
		const pageKey = randomBytes(18).toString('hex');
		const secrets = [sandbox.token, sandbox.appKey, pageKey];
		await importCredentials(instance, credentialsFor(sandbox, pageKey));
		const workflowId = chosen.shape === 'one' ? ONE_WORKFLOW : BATCHED_PARENT;
		await importWorkflows(
			instance,
			chosen.shape === 'one'
				? [oneExecutionWorkflow(chosen.fields)]
				: [
						example(chosen.examples, 'month-end-batched-page.json'),
						example(chosen.examples, 'month-end-batched.json'),
					],
		);
		if (chosen.shape === 'batched') {
			// n8n 2.x calls only the published version of a sub-workflow from a run that is not
			// manual, and only a running `n8n start` applies a publish (applyPublications).
			await publishWorkflow(instance, PAGE_WORKFLOW);
			await applyPublications(instance, [PAGE_WEBHOOK]);
		}
		const nodeOptions = [
			...(chosen.heapMb ? [`--max-old-space-size=${chosen.heapMb}`] : []),
			...(chosen.heapSnapshots ? ['--heapsnapshot-signal=SIGUSR2'] : []),
			...(chosen.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileFolder(instance)}`] : []),
		];
		const env: NodeJS.ProcessEnv = nodeOptions.length
			? { NODE_OPTIONS: nodeOptions.join(' ') }
			: {};
		const dbBefore = sqliteBytes(instance);
		const countsBefore = await sandbox.counts();
		const before = await sandbox.tally();
		const sandboxCpu = sandboxCpuMs(sandbox);
		const began = Date.now();
		const managed = startExecute(instance, workflowId, env);
		// `n8n execute` prints the whole run as indented JSON: part of what its memory holds.
		let printedBytes = 0;
		managed.child.stdout?.on('data', (chunk: Buffer) => (printedBytes += chunk.length));
		const sampler = new RssSampler(() =>
			managed.running() && managed.child.pid
				? [{ label: 'n8n execute', pid: managed.child.pid }]
				: [],
		);
		sampler.start();
		const snapshot = (moment: string) => async () => {
			log(`heap snapshot (${moment}) of pid ${managed.child.pid ?? '?'}`);
			const before = heapSnapshotsIn(instance.userFolder).length;
			managed.child.kill('SIGUSR2');
			// A second signal while V8 writes the first is lost: wait for the file to be complete.
			await snapshotWritten(instance.userFolder, before, managed);
		};
		// RSS when half the accounts and all of them are paid: what the run holds before n8n saves.
		let lastPaymentAt = 0;
		const rssAt = (moment: string, last: boolean) => () => {
			if (last) lastPaymentAt = Date.now();
			log(`${moment}: n8n's processes hold ${mb(sampler.lastSumKb)} RSS`);
		};
		const half = Math.floor(start.payableAtStart / 2);
		await watchPayments(sandbox, managed, [
			{ at: half, action: rssAt('half the accounts paid', false) },
			{ at: start.payableAtStart, action: rssAt('the last account paid', true) },
			...(chosen.heapSnapshots
				? [
						{ at: half, action: snapshot('half the accounts paid') },
						{ at: start.payableAtStart, action: snapshot('after the last payment') },
					]
				: []),
		]);
		const processMs = Date.now() - began;
		const rss = sampler.stop();
		const after = await sandbox.tally();
		const executions = await sqliteExecutions(
			install,
			path.join(instance.userFolder, '.n8n', 'database.sqlite'),
		);
		const parent = executions.find((row) => row.workflowId === workflowId);
		printRun({
			label: `shape ${chosen.shape}, one process (SQLite), ${chosen.accounts} accounts, latency ${chosen.latencyMs} ms${chosen.heapMb ? `, heap ${chosen.heapMb} MB` : ''}${chosen.fields ? `, fields ${chosen.fields}` : ''}`,
			wallMs:
				parent?.startedAt && parent.stoppedAt ? parent.stoppedAt - parent.startedAt : processMs,
			processMs,
			counts: diffCounts(countsBefore, await sandbox.counts()),
			payments: payments(before, after, start),
			dbBefore,
			dbAfter: sqliteBytes(instance),
			dbKind: 'SQLite file',
			executions,
			parentId: parent?.id ?? '?',
			sandboxCpuMs: sandboxCpuMs(sandbox) - sandboxCpu,
		});
		printRss(rss);
		if (lastPaymentAt) {
			log(`  the sum peaked ${seconds(rss.peakSumAt - lastPaymentAt)} after the last payment`);
		}
		log(`n8n execute printed ${mb(printedBytes / 1024)} (the run as JSON, after its end)`);
		if (managed.child.exitCode !== 0) {
			log(
				`n8n execute exited with ${managed.child.exitCode ?? managed.child.signalCode}; its last output:`,
			);
			process.stdout.write(`${redacted(managed.output.join('').slice(-3000), secrets)}\n`);
		}
		if (chosen.cpuProfile) printCpuProfile(instance, chosen.accounts);
		if (chosen.heapSnapshots) {
			const folder = path.join(projectRoot(), '.build', 'heap');
			mkdirSync(folder, { recursive: true });
			for (const file of heapSnapshotsIn(instance.userFolder)) {
				const kept = path.join(folder, path.basename(file));
				renameSync(file, kept);
				// Kept for DevTools; it holds the run's credentials (a throwaway sandbox's token).
				log(`heap snapshot ${kept} (${mb(statSync(kept).size / 1024)}; holds the run's secrets)`);
				printHeapSummary(kept, log);
			}
		}
	} finally {
		removeFolder(instance.userFolder);
	}
}

/** Queue mode: main + N workers, PostgreSQL, Redis; the parent posts each page to the webhook. */
async function queue(
	install: N8nInstall,
	tarball: string,
	sandbox: BenchSandbox,
	chosen: Options,
	start: Tally,
): Promise<void> {
	const cluster = await createN8nCluster(install, tarball, {
		workers: chosen.workers,
		concurrency: chosen.concurrency,
		log,
		env: chosen.heapMb ? { NODE_OPTIONS: `--max-old-space-size=${chosen.heapMb}` } : {},
	});
	let cli: ManagedProcess | undefined;
	try {
		const pageKey = randomBytes(18).toString('hex');
		const secrets = [sandbox.token, sandbox.appKey, pageKey];
		await importCredentials(cluster.main, credentialsFor(sandbox, pageKey));
		await importWorkflows(cluster.main, [
			example(chosen.examples, 'month-end-batched-page.json'),
			queueParent(chosen.examples, `${cluster.url}/webhook/${PAGE_WEBHOOK}`),
		]);
		await publishWorkflow(cluster.main, PAGE_WORKFLOW);
		await cluster.start();
		await waitForPostWebhook(cluster.mainServer(), PAGE_WEBHOOK);
		const roots = (): RssRoot[] => {
			const list: RssRoot[] = [];
			const main = cluster.mainServer().process.pid;
			if (main) list.push({ label: 'n8n main', pid: main });
			for (const worker of cluster.workers) {
				const pid = worker.process?.running() ? worker.process.child.pid : undefined;
				if (pid) list.push({ label: `n8n worker ${worker.index + 1}`, pid });
			}
			const cliPid = cli?.running() ? cli.child.pid : undefined;
			if (cliPid) list.push({ label: 'n8n execute (parent)', pid: cliPid });
			return list;
		};
		const sampler = new RssSampler(roots);
		sampler.start();
		const runParent = async (label: string, killAt?: number) => {
			const dbBefore = await postgresBytes(cluster);
			const countsBefore = await sandbox.counts();
			const before = await sandbox.tally();
			const known = new Set((await postgresExecutions(cluster)).map((row) => row.id));
			const sandboxCpu = sandboxCpuMs(sandbox);
			const began = Date.now();
			// `n8n execute` runs the parent in its own process (it does not enqueue: regular mode),
			// against the cluster's database; each page it posts is enqueued by main for a worker.
			cli = startExecute(cluster.main, QUEUE_PARENT, {
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				N8N_PORT: String(await freePort()),
			});
			await watchPayments(
				sandbox,
				cli,
				killAt === undefined
					? []
					: [
							{
								at: killAt,
								action: async () => {
									log(`${killAt} accounts paid: SIGKILL to worker 1`);
									await cluster.killWorker(0);
								},
							},
						],
			);
			const processMs = Date.now() - began;
			const executions = (await postgresExecutions(cluster)).filter((row) => !known.has(row.id));
			const parent = executions.find((row) => row.workflowId === QUEUE_PARENT);
			const after = await sandbox.tally();
			printRun(
				{
					label,
					wallMs:
						parent?.startedAt && parent.stoppedAt
							? Number(parent.stoppedAt) - Number(parent.startedAt)
							: processMs,
					processMs,
					counts: diffCounts(countsBefore, await sandbox.counts()),
					payments: payments(before, after, start),
					dbBefore,
					dbAfter: await postgresBytes(cluster),
					dbKind: 'PostgreSQL pg_database_size',
					executions,
					parentId: parent?.id ?? '?',
					sandboxCpuMs: sandboxCpuMs(sandbox) - sandboxCpu,
				},
				(id) => cluster.workerOf(id),
			);
			if (cli.child.exitCode !== 0) {
				log(
					`n8n execute exited with ${cli.child.exitCode ?? cli.child.signalCode}; its last output:`,
				);
				process.stdout.write(`${redacted(cli.output.join('').slice(-3000), secrets)}\n`);
			}
		};
		const label = `shape batched, queue mode (main + ${chosen.workers} workers${chosen.concurrency ? `, concurrency ${chosen.concurrency}` : ''}), ${chosen.accounts} accounts, latency ${chosen.latencyMs} ms`;
		await runParent(label, chosen.killWorkerAt);
		if (chosen.killWorkerAt !== undefined) {
			// What the killed worker held turns to an error after n8n's stall check; the re-run must
			// pay only the rest.
			await runParent(`${label}: re-run after worker 1 was killed`);
		}
		printRss(sampler.stop());
	} finally {
		if (cli?.running()) await cli.stop();
		await cluster.stop();
	}
}

async function main(): Promise<void> {
	const chosen = options();
	const install = await ensureN8n(log);
	const tarball = await packPackage(chosen.packageDir);
	const appKey = `bench-${randomBytes(6).toString('hex')}`;
	log(`sandbox: ${chosen.accounts} accounts, ${chosen.latencyMs} ms latency, in its own process`);
	const sandbox = await startBenchSandbox(chosen.accounts, chosen.latencyMs, appKey);
	try {
		const start = await sandbox.tally();
		log(`${start.payableAtStart} of ${chosen.accounts} accounts can pay 1 at the start`);
		if (chosen.workers > 0) await queue(install, tarball, sandbox, chosen, start);
		else await single(install, tarball, sandbox, chosen, start);
	} finally {
		await sandbox.stop();
		rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
