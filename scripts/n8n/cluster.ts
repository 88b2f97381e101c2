// n8n in queue mode: one main (`n8n start`: editor, webhooks, the queue's producer) and workers
// (`n8n worker`: they run the executions), sharing one PostgreSQL, one Redis and one encryption
// key, each process with its own user folder, ports and copy of the package.
//
// Two steps, because n8n reads its workflows at start: createN8nCluster() starts the database and
// Redis and prepares the folders; the caller imports credentials and workflows through the CLI
// (the functions of ./instance.ts, given `cluster.main`); start() then starts main and workers.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import type { N8nInstall } from './install';
import { createN8nInstance, freePort, type ExecutionResult, type N8nInstance } from './instance';
import {
	keepFolder,
	removeFolder,
	removeOnExit,
	spawnManaged,
	type ManagedProcess,
} from './processes';
import type { RunningN8n } from './server';
import {
	dumpPostgres,
	queryPostgres,
	startPostgres,
	startRedis,
	type Log,
	type PostgresConnection,
	type RedisConnection,
	type RunningService,
} from './services';

export type { PostgresConnection, RedisConnection } from './services';

export interface N8nClusterOptions {
	/** How many `n8n worker` processes; 2 when absent. */
	workers?: number;
	/** Executions each worker runs at once (`--concurrency`); n8n's default 10 when absent. */
	concurrency?: number;
	/** An empty database to use instead of starting a PostgreSQL here. */
	postgres?: PostgresConnection;
	/** A Redis to use instead of starting one here. */
	redis?: RedisConnection;
	/** More n8n settings, for every process (e.g. QUEUE_WORKER_LOCK_DURATION). */
	env?: NodeJS.ProcessEnv;
	log?: Log;
}

export interface ClusterWorker {
	index: number;
	instance: N8nInstance;
	/** The worker's health server: /healthz and /healthz/readiness. */
	healthPort: number;
	process?: ManagedProcess;
}

/** A row of n8n's execution_entity: what n8n decided about an execution. */
export interface StoredExecution {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	/** Times in milliseconds since 1970 (UTC), as Date.now() gives them. */
	createdAt: number;
	startedAt: number | null;
	stoppedAt: number | null;
}

export interface ClusterTimings {
	/** PostgreSQL and Redis up (0 when both were given). */
	servicesMs: number;
	/** The package installed into every process's folder. */
	packagesMs: number;
	/** start(): from spawning main and the workers until all are ready. */
	processesMs: number;
}

export interface N8nCluster {
	/** Main's address, e.g. http://127.0.0.1:40123: the editor and the webhooks. */
	readonly url: string;
	/** Main: the target of CLI commands (imports, publish), which work on the shared database. */
	readonly main: N8nInstance;
	/** Main as `startN8n` gives it, for waitForPostWebhook (after start()). */
	mainServer(): RunningN8n;
	readonly workers: readonly ClusterWorker[];
	readonly postgres: PostgresConnection;
	readonly redis: RedisConnection;
	readonly timings: ClusterTimings;
	/** Starts main and the workers and waits until each is ready. */
	start(): Promise<void>;
	/** SIGKILL to one worker (and its task runner): no shutdown, as when its machine dies. */
	killWorker(index: number): Promise<void>;
	/** Which worker started an execution, by its log ("Worker started execution N"). */
	workerOf(executionId: string): number | undefined;
	/** Rows of SQL run against the shared database. */
	query<Row>(sql: string): Promise<Row[]>;
	/** Executions of a workflow, oldest first. */
	executionsOf(workflowId: string): Promise<StoredExecution[]>;
	/** An execution's stored run (resultData.runData per node), decoded as n8n does. */
	executionData(executionId: string): Promise<ExecutionResult['data'] | undefined>;
	/** The shared database's data as SQL (pg_dump), for checks that no secret was stored. */
	dumpDatabase(): Promise<string>;
	/** Stops everything it started and removes the folders (SIGTERM, then SIGKILL). */
	stop(): Promise<void>;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A time column as milliseconds since 1970, whatever the column's time zone handling. */
function epochMs(column: string): string {
	return `(extract(epoch from "${column}") * 1000)::bigint AS "${column}"`;
}

/** A worker's log line that names the execution it took from the queue. */
function startedExecution(executionId: string): RegExp {
	return new RegExp(`Worker started execution ${executionId.replace(/\D/g, '')} \\(job `);
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
		await response.text();
		return response.ok;
	} catch {
		return false;
	}
}

async function waitUntilReady(
	name: string,
	managed: ManagedProcess,
	url: string,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!managed.running()) break;
		if (await answers(url)) return;
		await wait(500);
	}
	throw new Error(
		`${name} was not ready at ${url} (${managed.running() ? 'still starting' : 'exited'}):\n${managed.output.join('').slice(-4000)}`,
	);
}

/** n8n's own JSON codec for stored run data (flatted), from the pinned install. */
function flattedOf(install: N8nInstall): { parse(text: string): unknown } {
	// Loaded from the pinned n8n at run time: n8n's format, and not a dependency of this package.
	return require(path.join(install.dir, 'node_modules', 'flatted')) as {
		parse(text: string): unknown;
	};
}

/**
 * Starts (or takes) PostgreSQL and Redis and prepares main and the workers: a user folder each,
 * the package installed there as n8n installs community packages, one settings set.
 */
export async function createN8nCluster(
	install: N8nInstall,
	tarball: string,
	options: N8nClusterOptions = {},
): Promise<N8nCluster> {
	const log = options.log ?? (() => undefined);
	const workerCount = options.workers ?? 2;
	const concurrency = options.concurrency ?? 10;
	const started: Array<RunningService<unknown>> = [];
	const folders: string[] = [];
	const processes: ManagedProcess[] = [];

	const stopServices = async () => {
		for (const service of started.reverse()) await service.stop();
		started.length = 0;
	};
	const removeFolders = () => {
		// ETNA_KEEP_QUEUE=1 keeps n8n's folders (logs, config) for a look after a failure.
		for (const folder of folders) {
			if (process.env.ETNA_KEEP_QUEUE) {
				keepFolder(folder);
				log(`kept ${folder}`);
			} else removeFolder(folder);
		}
		folders.length = 0;
	};

	const servicesStart = Date.now();
	let postgres: PostgresConnection;
	let redis: RedisConnection;
	try {
		const [pg, rd] = await Promise.all([
			options.postgres ? undefined : startPostgres(log),
			options.redis ? undefined : startRedis(log),
		]);
		if (pg) started.push(pg);
		if (rd) started.push(rd);
		postgres = options.postgres ?? (pg as RunningService<PostgresConnection>).connection;
		redis = options.redis ?? (rd as RunningService<RedisConnection>).connection;
	} catch (error) {
		await stopServices();
		throw error;
	}
	const servicesMs = Date.now() - servicesStart;

	const packagesStart = Date.now();
	let main: N8nInstance;
	let workerInstances: N8nInstance[];
	try {
		// Each process its own folder, as each machine or container of a real deployment has.
		const instances = await Promise.all(
			Array.from({ length: workerCount + 1 }, async () => {
				const instance = await createN8nInstance(install, tarball);
				folders.push(instance.userFolder);
				removeOnExit(instance.userFolder);
				return instance;
			}),
		);
		[main, ...workerInstances] = instances;
	} catch (error) {
		removeFolders();
		await stopServices();
		throw error;
	}
	const packagesMs = Date.now() - packagesStart;

	const unique = randomBytes(4).toString('hex');
	const shared: NodeJS.ProcessEnv = {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		DB_POSTGRESDB_DATABASE: postgres.database,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		...(redis.password ? { QUEUE_BULL_REDIS_PASSWORD: redis.password } : {}),
		// Own keys in Redis, so a given Redis shared with another cluster does not mix queues.
		QUEUE_BULL_PREFIX: `bull-etna-${unique}`,
		N8N_REDIS_KEY_PREFIX: `n8n-etna-${unique}`,
		// One key for all: each process decrypts credentials another one stored.
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		// Main would otherwise call out to a registry at start.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
		...options.env,
	};
	Object.assign(main.env, shared);
	const workers: ClusterWorker[] = [];
	for (const [index, instance] of workerInstances.entries()) {
		const healthPort = await freePort();
		Object.assign(instance.env, shared, {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		workers.push({ index, instance, healthPort });
	}
	let mainProcess: ManagedProcess | undefined;
	const url = `http://127.0.0.1:${main.port}`;
	const timings: ClusterTimings = { servicesMs, packagesMs, processesMs: 0 };
	const flatted = flattedOf(install);

	const cluster: N8nCluster = {
		url,
		main,
		mainServer() {
			const managed = mainProcess;
			if (!managed) throw new Error('Main was not started');
			return { url, process: managed.child, stop: async () => await managed.stop() };
		},
		workers,
		postgres,
		redis,
		timings,
		async start() {
			const begin = Date.now();
			const spawnN8n = (name: string, instance: N8nInstance, args: string[]) => {
				const managed = spawnManaged(name, install.nodeBinary, [install.n8nBinary, ...args], {
					cwd: instance.userFolder,
					env: instance.env,
					output: instance.output,
				});
				processes.push(managed);
				return managed;
			};
			mainProcess = spawnN8n('n8n main', main, ['start']);
			for (const worker of workers) {
				worker.process = spawnN8n(`n8n worker ${worker.index}`, worker.instance, [
					'worker',
					`--concurrency=${concurrency}`,
				]);
			}
			const ready = [
				waitUntilReady('n8n main', mainProcess, `${url}/healthz`, 240_000),
				...workers.map((worker) =>
					waitUntilReady(
						`n8n worker ${worker.index}`,
						worker.process as ManagedProcess,
						`http://127.0.0.1:${worker.healthPort}/healthz/readiness`,
						240_000,
					),
				),
			];
			const outcomes = await Promise.allSettled(ready);
			const failure = outcomes.find(
				(outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
			);
			if (failure) throw failure.reason;
			timings.processesMs = Date.now() - begin;
			log(
				`main on ${url}, ${workers.length} workers (concurrency ${concurrency}) ready in ${Math.round(timings.processesMs / 1000)} s`,
			);
		},
		async killWorker(index) {
			const worker = workers[index];
			if (!worker?.process) throw new Error(`Worker ${index} was not started`);
			await worker.process.kill();
		},
		workerOf(executionId) {
			const pattern = startedExecution(executionId);
			const found = workers.find((worker) => pattern.test(worker.instance.output.join('')));
			return found?.index;
		},
		async query<Row>(sql: string) {
			return await queryPostgres<Row>(postgres, sql);
		},
		async executionsOf(workflowId) {
			const id = workflowId.replace(/'/g, "''");
			return await queryPostgres<StoredExecution>(
				postgres,
				`SELECT id::text AS "id", "workflowId", mode, status, finished,
				${epochMs('createdAt')}, ${epochMs('startedAt')}, ${epochMs('stoppedAt')}
				FROM execution_entity WHERE "workflowId" = '${id}' ORDER BY id`,
			);
		},
		async executionData(executionId) {
			const rows = await queryPostgres<{ data: string }>(
				postgres,
				`SELECT data FROM execution_data WHERE "executionId" = ${Number(executionId)}`,
			);
			return rows[0] ? (flatted.parse(rows[0].data) as ExecutionResult['data']) : undefined;
		},
		async dumpDatabase() {
			return await dumpPostgres(postgres);
		},
		async stop() {
			// n8n first, while the database and Redis it shuts down against are still there.
			await Promise.all(processes.map(async (managed) => await managed.stop('SIGTERM', 20_000)));
			processes.length = 0;
			await stopServices();
			removeFolders();
		},
	};
	return cluster;
}
