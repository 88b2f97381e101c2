// `npm start`: the demo. The ETNA sandbox, the pinned n8n with this package installed, a
// credential pointing at the sandbox and the "Withdraw on webhook" example, published.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_APP_KEY } from '../sandbox/model';
import { startEtnaSandbox } from '../sandbox/server';
import { cacheRoot, ensureN8n } from './n8n/install';
import {
	createN8nInstance,
	importCredentials,
	importWorkflows,
	publishWorkflow,
} from './n8n/instance';
import { packPackage } from './n8n/package';
import { startN8n, waitForPostWebhook } from './n8n/server';
import { projectRoot } from './project';

const N8N_PORT = Number(process.env.N8N_DEMO_PORT ?? '5678');
const SANDBOX_PORT = Number(process.env.ETNA_SANDBOX_PORT ?? '8787');
const WEBHOOK_WORKFLOW_ID = 'etnaWebhookPay01';
const EXAMPLE_CREDENTIAL_ID = 'etnaSandboxCred1';

interface DemoState {
	/** The sandbox administrator's token the demo credential holds, kept across restarts. */
	adminToken: string;
	/** What was imported: the sandbox URL and the example as it was then. */
	imported: string;
}

const log = (line: string) => process.stdout.write(`[demo] ${line}\n`);

async function main(): Promise<void> {
	const install = await ensureN8n(log);
	const userFolder = path.join(cacheRoot(), 'demo-n8n');
	const statePath = path.join(userFolder, 'demo-state.json');
	const previous = existsSync(statePath)
		? (JSON.parse(readFileSync(statePath, 'utf8')) as DemoState)
		: undefined;

	const sandbox = await startEtnaSandbox({ port: SANDBOX_PORT }).catch((error: unknown) => {
		throw new Error(
			`The ETNA sandbox could not listen on port ${SANDBOX_PORT} (set ETNA_SANDBOX_PORT): ${String(error)}`,
		);
	});
	const adminToken = previous?.adminToken ?? randomBytes(24).toString('base64url');
	sandbox.model.registerToken(adminToken, 'admin');

	log('installing this package into the demo n8n, as n8n installs community packages');
	const instance = await createN8nInstance(install, await packPackage(), {
		userFolder,
		port: N8N_PORT,
	});
	const exampleText = readFileSync(
		path.join(projectRoot(), 'examples', 'withdraw-on-webhook.json'),
		'utf8',
	);
	const imported = createHash('sha256').update(`${sandbox.apiUrl}\n${exampleText}`).digest('hex');
	if (previous?.imported !== imported) {
		log('first run: importing the credential and the "Withdraw on webhook" workflow');
		await importCredentials(instance, [
			{
				id: EXAMPLE_CREDENTIAL_ID,
				name: 'ETNA Trader API (sandbox)',
				type: 'etnaTraderApi',
				data: {
					baseUrl: sandbox.apiUrl,
					apiVersion: '1.0',
					appKey: SANDBOX_APP_KEY,
					authMethod: 'token',
					token: adminToken,
				},
			},
		]);
		await importWorkflows(instance, [JSON.parse(exampleText) as IDataObject]);
		await publishWorkflow(instance, WEBHOOK_WORKFLOW_ID);
		writeFileSync(statePath, JSON.stringify({ adminToken, imported } satisfies DemoState));
	}

	log(`starting n8n ${install.pins.n8n} on port ${N8N_PORT}`);
	const server = await startN8n(instance);
	let stopping = false;
	const shutdown = async () => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n and the sandbox');
		await server.stop();
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void shutdown());
	process.on('SIGTERM', () => void shutdown());
	server.process.once('exit', (code) => {
		// Ctrl-C reaches n8n too: only an exit nobody asked for is news.
		if (stopping) return;
		log(`n8n exited (${code}); its last lines:\n${instance.output.join('').slice(-3000)}`);
		void sandbox.close().then(() => process.exit(1));
	});

	await waitForPostWebhook(server, 'etna-withdraw');

	process.stdout.write(
		[
			'',
			'ETNA Trader demo is running.',
			`  n8n editor:    http://localhost:${N8N_PORT}  (first visit: create the owner account)`,
			`  ETNA sandbox:  ${sandbox.apiUrl}  (balances: ${sandbox.origin}/__sandbox/accounts)`,
			'',
			'Withdraw 25 USD from account 1001:',
			`  curl -X POST http://localhost:${N8N_PORT}/webhook/etna-withdraw -H 'content-type: application/json' -d '{"payoutId":"po_1","accountId":1001,"amount":25}'`,
			'A refused one (three decimals):',
			`  curl -X POST http://localhost:${N8N_PORT}/webhook/etna-withdraw -H 'content-type: application/json' -d '{"payoutId":"po_2","accountId":1001,"amount":1.005}'`,
			'',
			'Ctrl-C stops n8n and the sandbox.',
			'',
		].join('\n'),
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`[demo] ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
