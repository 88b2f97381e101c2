// PostgreSQL and Redis for n8n's queue mode: private, throwaway, loopback only, on free ports.
// PostgreSQL runs as an unprivileged user (it refuses root) from a data folder of its own.
import { randomBytes } from 'node:crypto';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from './instance';
import { removeFolder, removeOnExit, spawnManaged, type ManagedProcess } from './processes';
import { runOrFail } from './run';

export type Log = (line: string) => void;

/** How n8n reaches PostgreSQL: the DB_POSTGRESDB_* settings. */
export interface PostgresConnection {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
}

/** How n8n reaches Redis: the QUEUE_BULL_REDIS_* settings. */
export interface RedisConnection {
	host: string;
	port: number;
	password?: string;
}

export interface RunningService<Connection> {
	connection: Connection;
	/** Undefined when the service was given, not started here. */
	process?: ManagedProcess;
	stop(): Promise<void>;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Where PostgreSQL's server programs are: ETNA_PG_BIN_DIR, else the newest
 * /usr/lib/postgresql/N/bin (Debian's layout; initdb and postgres are not on PATH there).
 */
export function postgresBinDir(): string {
	const given = process.env.ETNA_PG_BIN_DIR;
	if (given) return given;
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((name) => /^\d+$/.test(name) && existsSync(path.join(root, name, 'bin', 'initdb')))
				.sort((left, right) => Number(right) - Number(left))
		: [];
	if (versions.length === 0) {
		throw new Error(
			'PostgreSQL is not installed: apt-get install -y postgresql (or set ETNA_PG_BIN_DIR to the folder of initdb and postgres)',
		);
	}
	return path.join(root, versions[0], 'bin');
}

/** A client program from PostgreSQL's own folder when there is one, else from PATH (a given server). */
function clientBinary(name: 'psql' | 'pg_dump'): string {
	try {
		const local = path.join(postgresBinDir(), name);
		if (existsSync(local)) return local;
	} catch {
		// no server programs here: a client on PATH will do
	}
	return name;
}

function clientEnv(connection: PostgresConnection): NodeJS.ProcessEnv {
	return { ...process.env, PGPASSWORD: connection.password, PGCONNECT_TIMEOUT: '10' };
}

/** The database's data as SQL text (pg_dump --data-only). */
/** Where a PostgreSQL client connects: host, port, user and database, as psql and pg_dump take them. */
function connectionArgs(connection: PostgresConnection): string[] {
	return [
		'-h',
		connection.host,
		'-p',
		String(connection.port),
		'-U',
		connection.user,
		'-d',
		connection.database,
	];
}

export async function dumpPostgres(connection: PostgresConnection): Promise<string> {
	const result = await runOrFail(
		clientBinary('pg_dump'),
		['--data-only', ...connectionArgs(connection)],
		{ cwd: tmpdir(), env: clientEnv(connection), timeoutMs: 120_000 },
	);
	return result.stdout;
}

/** Runs SQL and returns its rows as JSON objects (the query is wrapped in json_agg). */
export async function queryPostgres<Row>(
	connection: PostgresConnection,
	sql: string,
): Promise<Row[]> {
	const result = await runOrFail(
		clientBinary('psql'),
		[
			'-X',
			'-q',
			'-A',
			'-t',
			'-v',
			'ON_ERROR_STOP=1',
			...connectionArgs(connection),
			'-c',
			`SELECT coalesce(json_agg(row_to_json(rows)), '[]'::json) FROM (${sql}) AS rows`,
		],
		{
			cwd: tmpdir(),
			env: clientEnv(connection),
			timeoutMs: 60_000,
		},
	);
	return JSON.parse(result.stdout) as Row[];
}

/** The user PostgreSQL runs as: root cannot, so `postgres` (Debian's) when we are root. */
async function unprivilegedUser(): Promise<{ uid: number; gid: number } | undefined> {
	if (process.getuid?.() !== 0) return undefined;
	const name = process.env.ETNA_PG_USER ?? 'postgres';
	const id = async (flag: string) =>
		Number((await runOrFail('id', [flag, name], { cwd: tmpdir() })).stdout.trim());
	return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * A new PostgreSQL cluster in a temporary folder: initdb as an unprivileged user, password
 * login only, listening on 127.0.0.1 alone (no Unix socket), a free port, one database.
 * stop() shuts it down and removes the folder.
 */
export async function startPostgres(
	log: Log = () => undefined,
): Promise<RunningService<PostgresConnection>> {
	const bin = postgresBinDir();
	const owner = await unprivilegedUser();
	const base = mkdtempSync(path.join(tmpdir(), 'etna-pg-'));
	removeOnExit(base);
	if (owner) chownSync(base, owner.uid, owner.gid);
	chmodSync(base, 0o700);
	const data = path.join(base, 'data');
	const connection: PostgresConnection = {
		host: '127.0.0.1',
		port: await freePort(),
		user: 'n8n',
		password: randomBytes(18).toString('hex'),
		database: 'n8n',
	};
	const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
	const passwordFile = path.join(base, 'password');
	writeFileSync(passwordFile, connection.password, { mode: 0o600 });
	if (owner) chownSync(passwordFile, owner.uid, owner.gid);
	const initdb = spawnManaged(
		'initdb',
		path.join(bin, 'initdb'),
		[
			'-D',
			data,
			'-U',
			connection.user,
			`--pwfile=${passwordFile}`,
			'--auth=scram-sha-256',
			'--encoding=UTF8',
			'--no-locale',
			'--no-sync',
		],
		{ cwd: base, env, ...owner },
	);
	await initdb.exited;
	rmSync(passwordFile, { force: true });
	if (initdb.child.exitCode !== 0) {
		removeFolder(base);
		throw new Error(`initdb failed (${initdb.child.exitCode}):\n${initdb.output.join('')}`);
	}
	const server = spawnManaged(
		'postgres',
		path.join(bin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(connection.port),
			'-c',
			`listen_addresses=${connection.host}`,
			'-c',
			'unix_socket_directories=',
			// A throwaway database: durability only costs time here.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		{ cwd: base, env, ...owner },
	);
	const stop = async () => {
		// SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for every client.
		await server.stop('SIGINT', 15_000);
		removeFolder(base);
	};
	const admin = { ...connection, database: 'postgres' };
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (!server.running()) {
			await stop();
			throw new Error(`PostgreSQL stopped at start:\n${server.output.join('').slice(-3000)}`);
		}
		try {
			await queryPostgres(admin, 'SELECT 1');
			break;
		} catch (error) {
			if (Date.now() > deadline) {
				await stop();
				throw new Error(
					`PostgreSQL did not come up: ${String(error)}\n${server.output.join('').slice(-3000)}`,
				);
			}
			await wait(250);
		}
	}
	// CREATE DATABASE cannot run inside the json_agg wrapper (a transaction block): plain psql.
	await runOrFail(
		clientBinary('psql'),
		['-X', '-q', ...connectionArgs(admin), '-c', `CREATE DATABASE ${connection.database}`],
		{ cwd: tmpdir(), env: clientEnv(connection), timeoutMs: 60_000 },
	);
	log(
		`PostgreSQL (${path.basename(path.dirname(bin))}) on ${connection.host}:${connection.port}, data in ${data}`,
	);
	return { connection, process: server, stop };
}

/** Sends Redis commands on a fresh connection and returns what it answered (for readiness). */
async function redisSays(connection: RedisConnection, commands: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		const socket = connect(connection.port, connection.host);
		let answer = '';
		socket.setTimeout(2_000, () => socket.destroy(new Error('Redis did not answer')));
		socket.on('connect', () => socket.end(commands));
		socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
		socket.on('error', reject);
		socket.on('close', () => resolve(answer));
	});
}

/**
 * A private Redis: loopback only, a free port, a password, no persistence (no RDB, no AOF),
 * working folder in a temporary folder. stop() stops it and removes the folder.
 */
export async function startRedis(
	log: Log = () => undefined,
): Promise<RunningService<RedisConnection>> {
	const folder = mkdtempSync(path.join(tmpdir(), 'etna-redis-'));
	removeOnExit(folder);
	const connection: RedisConnection = {
		host: '127.0.0.1',
		port: await freePort(),
		password: randomBytes(18).toString('hex'),
	};
	const binary = process.env.ETNA_REDIS_SERVER ?? 'redis-server';
	// The password goes in a config file, not on the command line where ps would show it.
	const config = path.join(folder, 'redis.conf');
	writeFileSync(
		config,
		[
			`port ${connection.port}`,
			`bind ${connection.host}`,
			`requirepass ${connection.password}`,
			'save ""',
			'appendonly no',
			`dir ${folder}`,
			'protected-mode yes',
			'',
		].join('\n'),
		{ mode: 0o600 },
	);
	let server: ManagedProcess;
	try {
		server = spawnManaged('redis', binary, [config], {
			cwd: folder,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		});
	} catch (error) {
		removeFolder(folder);
		throw new Error(`${String(error)}: apt-get install -y redis-server (or set ETNA_REDIS_SERVER)`);
	}
	const stop = async () => {
		await server.stop('SIGTERM', 10_000);
		removeFolder(folder);
	};
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (!server.running()) {
			await stop();
			throw new Error(`Redis stopped at start:\n${server.output.join('').slice(-3000)}`);
		}
		const answer = await redisSays(connection, `AUTH ${connection.password}\r\nPING\r\n`).catch(
			() => '',
		);
		if (answer.includes('+PONG')) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`Redis did not come up:\n${server.output.join('').slice(-3000)}`);
		}
		await wait(100);
	}
	log(`Redis on ${connection.host}:${connection.port}, no persistence`);
	return { connection, process: server, stop };
}
