// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot reach its
// host here), with a new empty profile, and a record of everything n8n sends to the page.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { log } from './artifacts';
import { guard, killAll, unguard, waitUntilGone } from './leftovers';

/** ETNA_CHROMIUM, or Debian's package (`apt-get install -y chromium`). */
export function chromiumPath(): string {
	return process.env.ETNA_CHROMIUM ?? '/usr/bin/chromium';
}

/** The flags shared n8n-notes gives for Chromium on these machines. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** One answer n8n gave the page: its address and, for anything but static files, its body. */
export interface RecordedResponse {
	url: string;
	status: number;
	body: string;
}

/** What reached the browser from n8n: HTTP answers and the push connection's messages. */
export interface Traffic {
	responses: RecordedResponse[];
	pushMessages: string[];
	/** Answers whose body was not kept: the editor's own static files (scripts, styles, fonts). */
	staticFiles: number;
	/** Errors the page's scripts threw, for the report. */
	pageErrors: string[];
}

export interface EditorBrowser {
	context: BrowserContext;
	page: Page;
	traffic: Traffic;
	/** Waits for every response body still being read. */
	settle(): Promise<void>;
	/** Closes Chromium, checks that no process of its profile is left, and removes the profile. */
	close(): Promise<void>;
}

// The editor's build output: the same files for every instance, so no secret can be in them.
const STATIC_FILE = /\/(assets|static)\/|\.(js|mjs|css|woff2?|ttf|png|svg|ico|wasm|map)(\?|$)/;

export async function launchEditorBrowser(
	n8nUrl: string,
	authCookie: string,
): Promise<EditorBrowser> {
	const executablePath = chromiumPath();
	if (!existsSync(executablePath)) {
		throw new Error(`No Chromium at ${executablePath}: apt-get install -y chromium`);
	}
	selectors.setTestIdAttribute('data-test-id');
	const profile = mkdtempSync(path.join(tmpdir(), 'etna-chromium-'));
	guard('folder', profile);
	// Chromium usually ends when its pipe to this process closes; its profile in the command line
	// finds any that does not.
	guard('cmd', profile);
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: { width: 1440, height: 900 },
			timeout: 60_000,
		});
	} catch (error) {
		killAll(await waitUntilGone(profile, 0));
		rmSync(profile, { recursive: true, force: true });
		unguard(profile);
		throw error;
	}
	const [name, ...value] = authCookie.split('=');
	await context.addCookies([{ name, value: value.join('='), url: n8nUrl }]);

	const traffic: Traffic = { responses: [], pushMessages: [], staticFiles: 0, pageErrors: [] };
	const reading: Array<Promise<void>> = [];
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(20_000);
	// Leaving a workflow with unsaved changes asks "leave the page?": yes.
	page.on('dialog', (dialog) => void dialog.accept());
	page.on('pageerror', (error) => traffic.pageErrors.push(error.message));
	page.on('response', (response) => {
		if (!response.url().startsWith(n8nUrl)) return;
		if (STATIC_FILE.test(new URL(response.url()).pathname)) {
			traffic.staticFiles += 1;
			return;
		}
		reading.push(
			response
				.body()
				.then((body) => {
					traffic.responses.push({
						url: response.url(),
						status: response.status(),
						body: body.toString('utf8'),
					});
				})
				// A redirect or an answer the page navigated away from has no body to read.
				.catch(() => undefined),
		);
	});
	page.on('websocket', (socket) => {
		socket.on('framereceived', ({ payload }) => {
			traffic.pushMessages.push(typeof payload === 'string' ? payload : payload.toString('utf8'));
		});
	});

	let closed = false;
	return {
		context,
		page,
		traffic,
		async settle() {
			while (reading.length > 0) await Promise.all(reading.splice(0));
		},
		async close() {
			if (closed) return;
			closed = true;
			await context.close().catch((error: unknown) => log(`closing Chromium: ${String(error)}`));
			const left = await waitUntilGone(profile);
			if (left.length > 0) {
				killAll(left);
				log(`Chromium processes left after close, killed: ${left.map((p) => p.pid).join(', ')}`);
			}
			rmSync(profile, { recursive: true, force: true });
			unguard(profile);
			if (left.length > 0) throw new Error(`Chromium did not stop: ${JSON.stringify(left)}`);
		},
	};
}
