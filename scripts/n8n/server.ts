// `n8n start` for the e2e suite and the demo: the editor and the webhooks of a private instance.
import { spawn, type ChildProcess } from 'node:child_process';

import type { N8nInstance } from './instance';

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

/** `n8n start`: the editor and the webhooks, ready when /healthz answers. */
export async function startN8n(
	instance: N8nInstance,
	{ readyTimeoutMs = 120_000 }: { readyTimeoutMs?: number } = {},
): Promise<RunningN8n> {
	const child = spawn(instance.install.nodeBinary, [instance.install.n8nBinary, 'start'], {
		cwd: instance.userFolder,
		env: instance.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const collect = (chunk: Buffer) => instance.output.push(chunk.toString('utf8'));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const url = `http://127.0.0.1:${instance.port}`;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(killer);
		}
	};
	const deadline = Date.now() + readyTimeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) break;
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) return { url, process: child, stop };
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await stop();
	throw new Error(`n8n did not come up on ${url}:\n${instance.output.join('').slice(-4000)}`);
}

/**
 * Waits until a published POST webhook is live. n8n answers /healthz before it has mounted the
 * webhooks; a GET (which runs nothing) then says the path exists for POST.
 */
export async function waitForPostWebhook(
	server: RunningN8n,
	webhookPath: string,
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const response = await fetch(`${server.url}/webhook/${webhookPath}`).catch(() => undefined);
		const text = response ? await response.text() : '';
		if (/registered for GET requests\. Did you mean to make a POST request/.test(text)) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`The webhook ${webhookPath} did not come up on ${server.url}`);
}

/**
 * n8n 2.x runs the published version of a sub-workflow, and only a running `n8n start` turns a
 * publish of the CLI into one (its publication service). Starts n8n until the published
 * workflows' POST webhooks are live, then stops it: `n8n execute` then finds them published.
 */
export async function applyPublications(
	instance: N8nInstance,
	webhookPaths: string[],
): Promise<void> {
	const server = await startN8n(instance);
	try {
		for (const webhookPath of webhookPaths) await waitForPostWebhook(server, webhookPath);
	} finally {
		await server.stop();
	}
}
