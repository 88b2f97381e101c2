// Long-lived children (n8n, PostgreSQL, Redis) that must not outlive the tests, however they end:
// each leads its own process group, is killed by stop(), by the exit and signal hooks, and by a
// watchdog shell that outlives this process if it is killed outright (SIGKILL, a CI timeout).
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';

export interface ManagedProcess {
	name: string;
	child: ChildProcess;
	/** Everything it printed, stdout and stderr interleaved as they came. */
	output: string[];
	/** Resolves once the process has exited (by itself or killed). */
	exited: Promise<void>;
	/** Whether it is still running. */
	running(): boolean;
	/** SIGKILL to its whole group (the process and any children it started); waits for the exit. */
	kill(): Promise<void>;
	/**
	 * Asks it to stop with `signal`, waits up to `graceMs`, then SIGKILLs its group; a group
	 * member left behind (n8n's task runner) is killed too.
	 */
	stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface SpawnManagedOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** Run as this user and group (root only): PostgreSQL refuses to run as root. */
	uid?: number;
	gid?: number;
	/** Where to collect its output (e.g. an n8n instance's `output`); a new array when absent. */
	output?: string[];
	/** Keep only about the last this many characters of output (a process that prints its whole run). */
	outputLimit?: number;
}

/** Process groups and folders to clean up if this process ends without stop(). */
const groups = new Map<number, string>();
const folders = new Set<string>();
let hooksInstalled = false;
let watchdog: ChildProcess | undefined;
const stateFile = path.join(tmpdir(), `etna-queue-watchdog-${process.pid}.txt`);

function writeState(): void {
	const lines = [
		...[...groups.keys()].map((pgid) => `group ${pgid}`),
		...[...folders].map((folder) => `folder ${folder}`),
	];
	writeFileSync(stateFile, lines.length ? `${lines.join('\n')}\n` : '');
}

// The watchdog reads its stdin, a pipe from this process, until it closes: when this process
// ends, however it ends. It then kills what the state file lists and removes the folders. stop()
// empties the file, so after a clean stop it finds nothing to do. (No sleep loop: a killed
// `sleep` would stay a zombie on machines whose init does not reap.)
const WATCHDOG_SCRIPT = `
state="$1"
while read -r _; do :; done
[ -f "$state" ] || exit 0
while read -r kind value; do [ "$kind" = group ] && kill -9 "-$value" 2>/dev/null; done < "$state"
while read -r kind value; do [ "$kind" = folder ] && rm -rf -- "$value"; done < "$state"
rm -f -- "$state"
`;

function killEverythingNow(): void {
	for (const pgid of groups.keys()) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	groups.clear();
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
	folders.clear();
	stopWatchdog();
}

function stopWatchdog(): void {
	if (watchdog?.pid !== undefined && watchdog.exitCode === null && watchdog.signalCode === null) {
		try {
			process.kill(-watchdog.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	watchdog = undefined;
	rmSync(stateFile, { force: true });
}

function ensureGuards(): void {
	if (!hooksInstalled) {
		hooksInstalled = true;
		process.once('exit', killEverythingNow);
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
			process.once(signal, () => {
				killEverythingNow();
				// The listener is gone now: the signal's usual effect (or jest's own handler) follows.
				process.kill(process.pid, signal);
			});
		}
	}
	if (!watchdog) {
		writeState();
		watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'etna-queue-watchdog', stateFile], {
			detached: true,
			stdio: ['pipe', 'ignore', 'ignore'],
		});
		// The pipe stays open while this process lives, without keeping it alive.
		(watchdog.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
		watchdog.unref();
	}
}

/** A folder to remove when this process ends without having removed it (stop() removes it). */
export function removeOnExit(folder: string): void {
	ensureGuards();
	folders.add(folder);
	writeState();
}

/** Leaves the folder in place (kept for a look after a failure) and forgets it. */
export function keepFolder(folder: string): void {
	folders.delete(folder);
	writeState();
	if (groups.size === 0 && folders.size === 0) stopWatchdog();
}

/** Removes the folder now and forgets it. */
export function removeFolder(folder: string): void {
	rmSync(folder, { recursive: true, force: true });
	folders.delete(folder);
	writeState();
	if (groups.size === 0 && folders.size === 0) stopWatchdog();
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// the group is empty: nothing left to signal
	}
}

/** Spawns a long-lived child in its own process group, under the exit hooks and the watchdog. */
export function spawnManaged(
	name: string,
	command: string,
	args: string[],
	options: SpawnManagedOptions,
): ManagedProcess {
	ensureGuards();
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		uid: options.uid,
		gid: options.gid,
		// Its own group, so a kill reaches the children it starts (n8n's task runner, PostgreSQL's backends).
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	// A missing program is reported by 'error' later on; without a listener it would crash jest.
	child.once('error', () => undefined);
	const pgid = child.pid;
	if (pgid === undefined) throw new Error(`${name} did not start: could not run ${command}`);
	groups.set(pgid, name);
	writeState();
	const output = options.output ?? [];
	let kept = 0;
	const collect = (chunk: Buffer) => {
		const text = chunk.toString('utf8');
		output.push(text);
		kept += text.length;
		const limit = options.outputLimit;
		// Oldest chunks go first; the newest chunk stays whole.
		while (limit !== undefined && kept > limit && output.length > 1) {
			kept -= (output.shift() ?? '').length;
		}
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const exited = new Promise<void>((resolve) => {
		child.once('exit', () => {
			// Whatever it started (n8n's task runner) goes with it.
			killGroup(pgid, 'SIGKILL');
			groups.delete(pgid);
			writeState();
			if (groups.size === 0 && folders.size === 0) stopWatchdog();
			resolve();
		});
	});
	const running = () => child.exitCode === null && child.signalCode === null;
	return {
		name,
		child,
		output,
		exited,
		running,
		async kill() {
			killGroup(pgid, 'SIGKILL');
			await exited;
		},
		async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000) {
			if (running()) {
				child.kill(signal);
				const killer = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
				await exited;
				clearTimeout(killer);
			}
			killGroup(pgid, 'SIGKILL');
		},
	};
}
