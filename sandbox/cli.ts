// `npm run sandbox`: the ETNA sandbox on its own, for trying the node by hand.
import { SANDBOX_APP_KEY } from './model';
import { startEtnaSandbox, type EtnaSandbox } from './server';

/** Starts the sandbox and prints what to put in an n8n credential. */
export async function startSandboxCli(
	port: number,
	print: (text: string) => void,
): Promise<EtnaSandbox> {
	const sandbox = await startEtnaSandbox({ port });
	const adminToken = sandbox.model.issueToken('admin');
	const userToken = sandbox.model.issueToken('trader');
	print(
		[
			`ETNA sandbox listening: ${sandbox.apiUrl}`,
			'',
			'Credential fields for n8n (ETNA Trader API):',
			`  Base URL:     ${sandbox.apiUrl}`,
			'  API Version:  1.0',
			`  App Key:      ${SANDBOX_APP_KEY}`,
			`  Token:        ${adminToken}   (an administrator's, valid 24 h)`,
			`  A non-admin token, to see the 401: ${userToken}`,
			'',
			'Logins for POST /token: admin / admin-password, trader / trader-password,',
			'admin2fa / admin2fa-password (two-factor, code 123456).',
			`Balances: curl ${sandbox.origin}/__sandbox/accounts`,
			`Ledger of account 1001: curl ${sandbox.origin}/__sandbox/accounts/1001/transactions`,
			`Requests received: curl ${sandbox.origin}/__sandbox/requests`,
			`Requests in flight: curl ${sandbox.origin}/__sandbox/in-flight`,
			`Tokens that expire after 3 uses: curl -d '{"maxUses": 3}' ${sandbox.origin}/__sandbox/token-policy`,
			`More (faults, latency, page size): see sandbox/README.md, or curl ${sandbox.origin}/__sandbox/help`,
			'Ctrl-C stops it.',
			'',
		].join('\n'),
	);
	return sandbox;
}

if (require.main === module) {
	startSandboxCli(Number(process.env.ETNA_SANDBOX_PORT ?? '8787'), (text) =>
		process.stdout.write(text),
	)
		.then((sandbox) => {
			const stop = () => void sandbox.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((error: unknown) => {
			process.stderr.write(`The sandbox could not start: ${String(error)}\n`);
			process.exit(1);
		});
}
