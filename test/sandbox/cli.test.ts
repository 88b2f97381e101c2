import { startSandboxCli } from '../../sandbox/cli';

it('prints a Base URL, an App Key and an admin token that work together', async () => {
	let printed = '';
	const sandbox = await startSandboxCli(0, (text) => {
		printed += text;
	});
	try {
		const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(printed)?.[1] ?? '';
		expect(field('ETNA sandbox listening')).toBe(sandbox.apiUrl);

		const response = await fetch(`${field('Base URL')}/v1.0/accounts/1001`, {
			headers: { 'Et-App-Key': field('App Key'), Authorization: `Bearer ${field('Token')}` },
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ Id: 1001, Cash: 100000 });
	} finally {
		await sandbox.close();
	}
});

it('prints curl commands for the ledger, the requests in flight and the control list that work', async () => {
	let printed = '';
	const sandbox = await startSandboxCli(0, (text) => {
		printed += text;
	});
	try {
		const curl = (label: string) =>
			new RegExp(`${label}: curl (http\\S+)`).exec(printed)?.[1] ?? 'not printed';

		const ledger = await fetch(curl('Ledger of account 1001'));
		const inFlight = await fetch(curl('Requests in flight'));
		const help = await fetch(/curl (http\S+\/help)/.exec(printed)?.[1] ?? 'not printed');

		expect(await ledger.json()).toEqual(
			expect.arrayContaining([expect.objectContaining({ Description: 'Initial deposit' })]),
		);
		expect(await inFlight.json()).toMatchObject({ now: 0 });
		expect(await help.json()).toHaveProperty(['POST /token-policy']);
	} finally {
		await sandbox.close();
	}
});
