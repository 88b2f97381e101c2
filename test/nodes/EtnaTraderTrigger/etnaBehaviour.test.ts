// The trigger under what ETNA really does (issue 22), run in n8n-core's PollContext against the
// sandbox over HTTP: rows and accounts that appear or vanish between two pages of one poll, ETNA
// dates that are not n8n's clock, filter changes, an account that fails beside healthy ones, a
// poll budget too short for every account, a busy account, samples, and settings from an
// expression that the trigger cannot honour. Each describe is one of the numbered points.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { SandboxEndpoint } from '../../../sandbox/server';
import { capturedLogs } from '../../support/captureLogs';
import { useSandbox } from '../../support/etna';
import { withFakeClock } from '../../support/fakeClock';
import { PolledTrigger } from '../../support/n8nEngine';
import { accountOf } from '../../support/sandboxRequests';
import { waitFor } from '../../realN8n/waitFor';

const etna = useSandbox();

const MINUTE = 60_000;

function transactionsTrigger(accountIds: string, options: INodeParameters = {}) {
	return new PolledTrigger({ event: 'newTransaction', accountIds, options }, etna.credentials());
}

/** The same trigger with other parameters, as after the user edits and saves it: same state. */
function edited(trigger: PolledTrigger, parameters: INodeParameters): PolledTrigger {
	const after = new PolledTrigger(parameters, etna.credentials());
	after.staticData = trigger.staticData;
	return after;
}

function eventIds(output: INodeExecutionData[][] | null): string[] {
	return (output?.[0] ?? []).map((item) => String(item.json.eventId));
}

const tx = (id: number) => `etna:tx:${id}`;

/** A payment written straight into the ledger (cents; negative takes money out): its Id. */
function pay(accountId: number, cents: number, at?: Date): number {
	return etna.sandbox.model.recordPayment(accountId, cents, at).Id;
}

/** The ledger reads the sandbox received: the account and the filter of each. */
function ledgerReads(): Array<{ accountId?: number; filter: string }> {
	return etna.ledgerReads().map((request) => ({
		accountId: accountOf(request),
		filter: request.query.filter?.[0] ?? '',
	}));
}

/**
 * Runs `change` while the sandbox holds back the `nth` request to `endpoint` (the change lands
 * between that request's arrival and its answer): data changing between two pages of one poll.
 */
async function duringRequest(
	endpoint: SandboxEndpoint,
	nth: number,
	change: () => void,
): Promise<void> {
	const arrived = () =>
		endpoint === 'list'
			? etna.sandbox.apiRequests().filter((request) => request.path.endsWith('/accounts')).length
			: etna.ledgerReads().length;
	const before = arrived();
	etna.sandbox.addFault({ endpoint, skip: nth - 1, times: 1, fault: { kind: 'delay', ms: 400 } });
	await waitFor(`request ${nth} to ${endpoint}`, () => arrived() >= before + nth, 5_000, 5);
	change();
}

/** Polls until nothing more comes (at most `polls`), every eventId emitted in order. */
async function drain(trigger: PolledTrigger, polls = 5): Promise<string[]> {
	const emitted: string[] = [];
	for (let poll = 0; poll < polls; poll++) emitted.push(...eventIds(await trigger.poll()));
	return emitted;
}

const repeated = (ids: string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);

describe('1. rows that appear or vanish between two pages of one poll', () => {
	it('a late row (lower Id) that appears while a poll pages: no row twice, the late one once', async () => {
		const trigger = transactionsTrigger('1004');
		await trigger.poll();
		etna.sandbox.maxPageSize = 2;
		const late = pay(1004, 1);
		etna.sandbox.model.hideTransaction(late);
		const rows = [2, 3, 4, 5, 6].map((cents) => pay(1004, cents));

		const [output] = await Promise.all([
			trigger.poll(),
			duringRequest('transactions', 2, () => etna.sandbox.model.revealTransaction(late)),
		]);
		const first = eventIds(output);
		const all = [...first, ...(await drain(trigger))];

		expect(repeated(first)).toEqual([]);
		expect(repeated(all)).toEqual([]);
		expect([...all].sort()).toEqual([late, ...rows].map(tx).sort());
	});

	it('New Trading Account: an account removed between two pages makes none of the others skip', async () => {
		etna.sandbox.maxPageSize = 2;
		const trigger = new PolledTrigger(
			{ event: 'newAccount', options: { startAfterId: 1000 } },
			etna.credentials(),
		);

		const [output] = await Promise.all([
			trigger.poll(),
			duringRequest('list', 2, () => etna.sandbox.model.removeAccount(1001)),
		]);
		const all = [...eventIds(output), ...(await drain(trigger))];

		expect(repeated(all)).toEqual([]);
		// Every account still listed is emitted (1001 may or may not have been read before it went).
		expect(all.filter((id) => id !== 'etna:account:1001').sort()).toEqual(
			[1002, 1003, 1004, 1005].map((id) => `etna:account:${id}`),
		);
	});
});

describe("2. ETNA's Date is not n8n's clock", () => {
	it('catches a late row below a row ETNA dated 16 minutes back', async () => {
		const trigger = transactionsTrigger('1003');
		await trigger.poll();
		const late = pay(1003, -1000);
		etna.sandbox.model.hideTransaction(late);
		// ETNA's clock behind n8n's, a back-dated entry, or a date without zone read west of UTC.
		const visible = pay(1003, 2000, new Date(Date.now() - 16 * MINUTE));
		expect(eventIds(await trigger.poll())).toEqual([tx(visible)]);

		etna.sandbox.model.revealTransaction(late);

		expect(eventIds(await trigger.poll())).toEqual([tx(late)]);
	});

	it('lets the floor rise past rows whose Date does not parse, once n8n saw them long enough ago', async () => {
		await withFakeClock(async (clock) => {
			const trigger = transactionsTrigger('1002');
			await trigger.poll();
			const rows = [pay(1002, 100), pay(1002, 200), pay(1002, 300)];
			for (const id of rows) etna.sandbox.model.redateTransaction(id, `/Date(${Date.now()})/`);
			expect(eventIds(await trigger.poll())).toEqual(rows.map(tx));

			await clock.sleep(16 * MINUTE);
			expect(await trigger.poll()).toBeNull();
			etna.sandbox.clearRequests();
			expect(await trigger.poll()).toBeNull();

			// The reads start above the rows seen: what the trigger keeps does not grow with them.
			expect(ledgerReads().map((read) => read.filter)).toEqual([`Id > ${rows[2]}`]);
		});
	});
});

describe('3. a changed filter starts the changed part from now', () => {
	it('Direction In to Any: no old withdrawal is replayed; deposits in between still come, once', async () => {
		const trigger = transactionsTrigger('1001', { direction: 'in' });
		await trigger.poll();
		pay(1001, -500);
		const deposit = pay(1001, 700);
		expect(eventIds(await trigger.poll())).toEqual([tx(deposit)]);
		pay(1001, -600);
		// Before the change is seen: both settings keep it.
		const between = pay(1001, 800);

		const widened = edited(trigger, {
			event: 'newTransaction',
			accountIds: '1001',
			options: { direction: 'any' },
		});
		expect(eventIds(await widened.poll())).toEqual([tx(between)]);
		const withdrawal = pay(1001, -300);
		expect(eventIds(await widened.poll())).toEqual([tx(withdrawal)]);
		expect(await widened.poll()).toBeNull();
	});

	it('Types Payment to all: no old Commission is replayed', async () => {
		const trigger = transactionsTrigger('1002', { types: ['Payment'] });
		await trigger.poll();
		etna.sandbox.model.paymentType = 'Commission';
		pay(1002, -5);
		expect(await trigger.poll()).toBeNull();

		const widened = edited(trigger, { event: 'newTransaction', accountIds: '1002', options: {} });
		expect(await widened.poll()).toBeNull();
		const commission = pay(1002, -7);
		expect(eventIds(await widened.poll())).toEqual([tx(commission)]);
	});

	it('an account removed and added back starts from the present', async () => {
		const trigger = transactionsTrigger('1001, 1002');
		await trigger.poll();
		const narrowed = edited(trigger, { event: 'newTransaction', accountIds: '1001', options: {} });
		expect(await narrowed.poll()).toBeNull();
		pay(1002, 111);

		const back = edited(narrowed, {
			event: 'newTransaction',
			accountIds: '1001, 1002',
			options: {},
		});
		expect(await back.poll()).toBeNull();
		const id = pay(1002, 222);
		expect(eventIds(await back.poll())).toEqual([tx(id)]);
	});
});

describe('4. one failing account holds back no other', () => {
	it("emits the healthy accounts' rows, logs the failing one each poll, fails a quiet poll naming it after 3, and catches up once it answers", async () => {
		const trigger = transactionsTrigger('1001, 1002');
		await trigger.poll();
		etna.sandbox.addFault({
			accountId: 1002,
			endpoint: 'transactions',
			fault: { kind: 'status', status: 404, body: { Message: 'Specified account was not found' } },
		});
		const healthy = pay(1001, 100);
		const held = pay(1002, 200);

		expect(eventIds(await trigger.poll())).toEqual([tx(healthy)]);
		expect(await trigger.poll()).toBeNull();
		const later = pay(1001, 300);
		// The third failure in a row, but rows to emit: they come first.
		expect(eventIds(await trigger.poll())).toEqual([tx(later)]);
		await expect(trigger.poll()).rejects.toThrow(/account 1002 failed in 3 polls or more in a row/);
		const logs = await capturedLogs();
		expect(logs.match(/ETNA found no trading account 1002/g)?.length).toBeGreaterThanOrEqual(4);

		etna.sandbox.clearFaults();
		expect(eventIds(await trigger.poll())).toEqual([tx(held)]);
		expect(await trigger.poll()).toBeNull();
	});

	it('fails the first activation naming an account that cannot be read, storing nothing', async () => {
		const trigger = transactionsTrigger('1001, 1099');

		await expect(trigger.poll()).rejects.toThrow(/account 1099/);
		expect(trigger.staticData).toEqual({});
	});
});

describe("5. every account is read under n8n's poll budget", () => {
	it('takes the accounts in turn: with a budget for a few, each is read within ceil(n / k) polls', async () => {
		for (let opened = 0; opened < 5; opened++) etna.sandbox.model.openAccount();
		const accounts = Array.from({ length: 10 }, (_, index) => 1001 + index);
		const trigger = transactionsTrigger(accounts.join(','));
		await trigger.poll();
		const rows = accounts.map((accountId) => pay(accountId, 100));
		etna.sandbox.latencyMs = 150;
		etna.sandbox.clearRequests();

		const perPoll: Array<Array<number | undefined>> = [];
		const emitted: string[] = [];
		while (emitted.length < rows.length && perPoll.length < accounts.length) {
			const before = ledgerReads().length;
			emitted.push(...eventIds(await trigger.poll({ budgetMs: 1000 })));
			perPoll.push(
				ledgerReads()
					.slice(before)
					.map((read) => read.accountId),
			);
		}

		expect([...emitted].sort()).toEqual(rows.map(tx).sort());
		// In turn: the reads of all the polls are the accounts in order, round and round.
		const reads = perPoll.flat();
		expect(reads).toEqual(reads.map((_, index) => accounts[index % accounts.length]));
		const fewest = Math.min(...perPoll.slice(0, -1).map((reads) => reads.length));
		expect(perPoll.length).toBeLessThanOrEqual(Math.ceil(accounts.length / fewest));
	});
});

describe('6. a busy account costs one read a poll', () => {
	it('after 250 rows, the next poll reads its ledger once', async () => {
		const trigger = transactionsTrigger('1004');
		await trigger.poll();
		const rows = Array.from({ length: 250 }, (_, index) => pay(1004, index + 1));
		expect(eventIds(await trigger.poll())).toEqual(rows.map(tx));
		const next = pay(1004, 999);
		etna.sandbox.clearRequests();

		expect(eventIds(await trigger.poll())).toEqual([tx(next)]);
		expect(await trigger.poll()).toBeNull();

		expect(ledgerReads()).toHaveLength(2);
	});
});

describe('7. samples never collide with real events', () => {
	it('marks "Fetch test event" items as samples, with an eventId no real event has', async () => {
		const trigger = transactionsTrigger('1001');
		await trigger.poll();
		const id = pay(1001, 900);

		const samples = (await trigger.poll({ mode: 'manual' }))?.[0] ?? [];
		const real = (await trigger.poll())?.[0] ?? [];

		expect(samples.at(-1)?.json).toMatchObject({ Id: id, sample: true });
		expect(samples.every((item) => item.json.sample === true)).toBe(true);
		expect(real.map((item) => [item.json.eventId, item.json.sample])).toEqual([
			[tx(id), undefined],
		]);
		const realIds = new Set(real.map((item) => item.json.eventId));
		expect(samples.filter((item) => realIds.has(item.json.eventId))).toEqual([]);
	});
});

describe('8. settings from an expression the trigger cannot honour are refused', () => {
	it.each([
		[{ types: '={{ ["Payment", "Deposit"] }}' }, /Types: "Deposit" is not an ETNA ledger Type/],
		[{ types: '={{ "Withdrawal" }}' }, /Types: "Withdrawal" is not an ETNA ledger Type/],
		[{ direction: '={{ "incoming" }}' }, /Direction: "incoming" is not one of any, in, out/],
	])('refuses %j naming the value, before any request', async (options, message) => {
		await expect(transactionsTrigger('1001', options).poll()).rejects.toThrow(message);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});
