// Processes a run may leave behind, found by what only they carry (a folder of this run in their
// command line or environment), so the suite can prove it stopped them and end them if not.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { waitFor } from '../../realN8n/waitFor';

export interface Leftover {
	pid: number;
	command: string;
}

function read(file: string): string {
	try {
		return readFileSync(file).toString('utf8');
	} catch {
		// gone meanwhile, or not ours to read
		return '';
	}
}

/** Live processes whose command line contains `marker`, or whose environment has it as an entry. */
export function processesCarrying(marker: string): Leftover[] {
	const found: Leftover[] = [];
	for (const entry of readdirSync('/proc')) {
		const pid = Number(entry);
		if (!Number.isInteger(pid) || pid === process.pid) continue;
		const command = read(`/proc/${pid}/cmdline`).split('\0').join(' ').trim();
		// A zombie has an empty command line: it is already dead, only not reaped.
		if (!command) continue;
		if (command.includes(marker) || read(`/proc/${pid}/environ`).split('\0').includes(marker)) {
			found.push({ pid, command: command.slice(0, 200) });
		}
	}
	return found;
}

/** SIGKILL to each, by its id. */
export function killAll(leftovers: Leftover[]): void {
	for (const { pid } of leftovers) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}

/** Waits up to `timeoutMs` for the processes carrying `marker` to end; returns those still there. */
export async function waitUntilGone(marker: string, timeoutMs = 10_000): Promise<Leftover[]> {
	const gone = () => processesCarrying(marker).length === 0;
	// Only the timeout can throw here: what is left then is the answer.
	await waitFor(`the processes carrying ${marker} to end`, gone, timeoutMs, 250).catch(() => false);
	return processesCarrying(marker);
}

// ---- a watchdog for when the suite itself is killed -------------------------------------------
// Inside jest, `process.on('SIGTERM')` and `process.on('exit')` listen on jest's sandboxed copy of
// `process` and never fire; so a detached shell waits for this process to end and then kills
// whatever still carries a guarded marker, and removes the guarded folders. After a clean stop
// nothing is guarded any more and it is stopped.

export type GuardKind = 'env' | 'cmd' | 'folder';

const WATCHDOG_SCRIPT = `
parent="$1"; state="$2"
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
[ -f "$state" ] || exit 0
while read -r kind value; do
	for p in /proc/[0-9]*; do
		case "$kind" in
			env) tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qxF -- "$value" && kill -KILL "\${p#/proc/}" 2>/dev/null ;;
			cmd) tr '\\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qF -- "$value" && kill -KILL "\${p#/proc/}" 2>/dev/null ;;
		esac
	done
done < "$state"
sleep 1
while read -r kind value; do [ "$kind" = folder ] && rm -rf -- "$value"; done < "$state"
rm -f -- "$state"
`;

/** Lines of the state file: `kind value`. */
const guarded = new Set<string>();
let watchdog: ChildProcess | undefined;
const stateFile = path.join(tmpdir(), `etna-editor-watchdog-${process.pid}.txt`);

function writeState(): void {
	const lines = [...guarded];
	writeFileSync(stateFile, lines.length > 0 ? `${lines.join('\n')}\n` : '');
}

/**
 * Until unguard(value): if this process ends without cleaning up, kill the processes whose
 * environment has the entry `value` (env) or whose command line contains it (cmd), or remove the
 * folder `value` (folder).
 */
export function guard(kind: GuardKind, value: string): void {
	guarded.add(`${kind} ${value}`);
	writeState();
	if (!watchdog) {
		watchdog = spawn(
			'sh',
			['-c', WATCHDOG_SCRIPT, 'etna-editor-watchdog', String(process.pid), stateFile],
			{
				detached: true,
				stdio: 'ignore',
			},
		);
		watchdog.unref();
	}
}

/** Forgets `value`, whatever kinds it was guarded as. */
export function unguard(value: string): void {
	for (const kind of ['env', 'cmd', 'folder'] as const) guarded.delete(`${kind} ${value}`);
	writeState();
	if (guarded.size === 0 && watchdog?.pid !== undefined) {
		try {
			process.kill(-watchdog.pid, 'SIGKILL');
		} catch {
			// already gone
		}
		watchdog = undefined;
		rmSync(stateFile, { force: true });
	}
}
