// Everything n8n and the node log during a test, for checks that no secret reaches a log:
// n8n's logger file (debug level, see jestEnv.ts), what goes through LoggerProxy before n8n's
// logger takes over, and the console (kept here instead of printed).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { LoggerProxy } from 'n8n-workflow';

const captured: string[] = [];

function record(level: string, parts: unknown[]): void {
	captured.push(
		`${level} ${parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')}`,
	);
}

LoggerProxy.init({
	error: (message, metadata) => record('error', [message, metadata]),
	warn: (message, metadata) => record('warn', [message, metadata]),
	info: (message, metadata) => record('info', [message, metadata]),
	debug: (message, metadata) => record('debug', [message, metadata]),
});

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	jest
		.spyOn(console, method)
		.mockImplementation((...args: unknown[]) => record(`console.${method}`, args));
}

function logFileText(): string {
	const file = process.env.N8N_LOG_FILE_LOCATION;
	return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/**
 * All log lines so far. n8n's file logger writes behind the code that logs, so the file is read
 * until it stops growing between two looks a few milliseconds apart (at most a second).
 */
export async function capturedLogs(): Promise<string> {
	let fromFile = logFileText();
	for (const deadline = Date.now() + 1000; Date.now() < deadline; ) {
		await new Promise((resolve) => setTimeout(resolve, 20));
		const again = logFileText();
		if (again === fromFile) break;
		fromFile = again;
	}
	return [...captured, fromFile].join('\n');
}

afterAll(() => {
	const file = process.env.N8N_LOG_FILE_LOCATION;
	if (file) rmSync(path.dirname(file), { recursive: true, force: true });
});
