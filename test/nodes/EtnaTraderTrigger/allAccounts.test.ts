// New Transaction with All Accounts: every account the credential can list is watched, accounts
// opened later join from the moment the trigger first sees them, and one that leaves ETNA's list
// is dropped. Run in n8n-core's PollContext against the sandbox.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../../support/etna';
import { PolledTrigger } from '../../support/n8nEngine';

const etna = useSandbox();

function allAccountsTrigger(options: INodeParameters = {}) {
	return new PolledTrigger(
		{ event: 'newTransaction', allAccounts: true, options },
		etna.credentials(),
	);
}

function eventIds(output: INodeExecutionData[][] | null): string[] {
	return (output?.[0] ?? []).map((item) => String(item.json.eventId));
}

const tx = (id: number) => `etna:tx:${id}`;

function pay(accountId: number, cents: number): number {
	return etna.sandbox.model.recordPayment(accountId, cents).Id;
}

/** The API requests since the last clear, by kind. */
function requestsByKind(): { list: number; ledger: number } {
	const requests = etna.sandbox.apiRequests();
	return {
		list: requests.filter((request) => request.path.endsWith('/accounts')).length,
		ledger: etna.ledgerReads().length,
	};
}

describe('All Accounts', () => {
	it('needs no Account IDs, emits nothing at first, then each new row of any account once', async () => {
		const trigger = allAccountsTrigger({ direction: 'in' });

		expect(await trigger.poll()).toBeNull();
		const rows = [pay(1005, 100), pay(1001, 200)];
		pay(1003, -300);

		const output = await trigger.poll();
		expect(eventIds(output)).toEqual(rows.map(tx));
		expect(output?.[0].map((item) => item.json.accountId)).toEqual([1005, 1001]);
		expect(await trigger.poll()).toBeNull();
	});

	it('reads the account list once and each ledger once a poll, at rest', async () => {
		const trigger = allAccountsTrigger();
		await trigger.poll();
		etna.sandbox.clearRequests();

		expect(await trigger.poll()).toBeNull();

		expect(requestsByKind()).toEqual({ list: 1, ledger: 5 });
	});

	it('lets an account opened later join from when it is first seen: its earlier rows are not events', async () => {
		const trigger = allAccountsTrigger();
		await trigger.poll();
		const opened = etna.sandbox.model.openAccount({ cash: 1000 });

		expect(await trigger.poll()).toBeNull();
		const deposit = pay(opened.Id, 500);
		const output = await trigger.poll();

		expect(eventIds(output)).toEqual([tx(deposit)]);
		expect(output?.[0][0].json.accountId).toBe(opened.Id);
	});

	it('stops watching an account that leaves the account list, without failing', async () => {
		const trigger = allAccountsTrigger();
		await trigger.poll();
		etna.sandbox.model.removeAccount(1004);
		const row = pay(1002, 100);

		expect(eventIds(await trigger.poll())).toEqual([tx(row)]);
		for (let poll = 0; poll < 4; poll++) expect(await trigger.poll()).toBeNull();
		etna.sandbox.clearRequests();
		await trigger.poll();

		expect(etna.byAccount(1004)).toEqual([]);
	});

	it('keeps the cursors of accounts it watched by ID when All Accounts is turned on', async () => {
		const byId = new PolledTrigger(
			{ event: 'newTransaction', accountIds: '1001', options: {} },
			etna.credentials(),
		);
		await byId.poll();
		const row = pay(1001, 100);
		const all = allAccountsTrigger();
		all.staticData = byId.staticData;

		expect(eventIds(await all.poll())).toEqual([tx(row)]);
		const other = pay(1002, 200);
		expect(eventIds(await all.poll())).toEqual([tx(other)]);
	});

	it('"Fetch test event" shows samples from the newest accounts', async () => {
		const trigger = allAccountsTrigger();
		const id = pay(1004, 100);

		const samples = (await trigger.poll({ mode: 'manual' }))?.[0] ?? [];

		expect(samples.at(-1)?.json).toMatchObject({
			Id: id,
			accountId: 1004,
			eventId: `etna:sample:tx:${id}`,
			sample: true,
		});
		expect(trigger.staticData).toEqual({});
	});
});
