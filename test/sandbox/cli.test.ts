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
