// The sandbox in its own process (sandboxProcess.ts), started and asked for its request counts
// by the benchmarks, so their CPU and memory figures are the client's alone.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface Sandbox {
	apiUrl: string;
	token: string;
	process: ChildProcess;
}

/** The ETNA Trader API credential (token method) for the sandbox, with its app key. */
export function sandboxCredentials(sandbox: Pick<Sandbox, 'apiUrl' | 'token'>, appKey: string) {
	return {
		baseUrl: sandbox.apiUrl,
		apiVersion: '1.0',
		appKey,
		authMethod: 'token',
		token: sandbox.token,
	};
}

export interface SandboxSettings {
	appKey: string;
	/** How many accounts it holds: 1001 to 1005 are its hand-made ones, the rest generated from 1006. */
	accounts: number;
	latencyMs: number;
}

/** The sandbox's generated accounts start here (1001 to 1005 are its hand-made ones). */
export const FIRST_GENERATED = 1006;

export async function startSandbox({
	appKey,
	accounts,
	latencyMs,
}: SandboxSettings): Promise<Sandbox> {
	const child = spawn(process.execPath, [path.join(__dirname, 'sandboxProcess.js')], {
		env: {
			...process.env,
			BENCH_APP_KEY: appKey,
			BENCH_ACCOUNTS: String(accounts),
			BENCH_LATENCY_MS: String(latencyMs),
		},
		stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
	});
	const firstLine = await new Promise<string>((resolve, reject) => {
		createInterface({ input: child.stdout! }).once('line', resolve);
		child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
	});
	const { apiUrl, token } = JSON.parse(firstLine) as { apiUrl: string; token: string };
	return { apiUrl, token, process: child };
}

/** The sandbox's API requests so far, per endpoint (transactions, withdrawal, info, other). */
export async function requestCounts(sandbox: Sandbox): Promise<Record<string, number>> {
	const answer = new Promise<Record<string, number>>((resolve) =>
		sandbox.process.once('message', (message) => resolve(message as Record<string, number>)),
	);
	sandbox.process.send('counts');
	return await answer;
}
