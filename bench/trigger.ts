// `npm run bench:trigger`: what the ETNA Trader Trigger costs, polled as n8n-core's PollContext
// runs it against the sandbox (in this process, no latency): the requests each poll makes (account
// list pages and ledger reads) and the size of the static data n8n stores for it (JSON), at 100,
// 1 000 and 10 000 accounts, with All Accounts and with explicit Account IDs (at most 100 per
// trigger: 1 000 accounts are 10 triggers, 10 000 are 100), at the first activation, at rest, in
// a busy poll (a new row on every account since the last poll) and once the rows are older than
// the grace window. Then, with a clock that moves on 50 ms per request (an ETNA answer) and a
// poll budget that fits a tenth of the accounts, how many polls it takes to read every account.
// Prints figures; asserts nothing.
//   BENCH_TRIGGER_ACCOUNTS ("100,1000,10000")
import { randomBytes } from 'node:crypto';

import { systemClock, useClock, type Clock } from '../nodes/EtnaTrader/transport/clock';
import { GRACE_WINDOW_MS } from '../nodes/EtnaTraderTrigger/cursor';
import { startEtnaSandbox, type EtnaSandbox } from '../sandbox/server';
import { PolledTrigger } from '../test/support/n8nEngine';

const SIZES = (process.env.BENCH_TRIGGER_ACCOUNTS ?? '100,1000,10000').split(',').map(Number);
const APP_KEY = `bench-${randomBytes(6).toString('hex')}`;
/** The most accounts one trigger takes by ID (description.ts). */
const PER_TRIGGER = 100;
/** What an ETNA answer takes, for the budget run. */
const ANSWER_MS = 50;

type Mode = 'All Accounts' | 'explicit';

/** A clock that moves on by ANSWER_MS for every request the sandbox has received, and by sleeps. */
function requestClock(sandbox: EtnaSandbox): Clock & { skip(ms: number): void } {
	const start = Date.now();
	let skipped = 0;
	return {
		now: () => start + skipped + sandbox.requests.length * ANSWER_MS,
		sleep: async (ms) => {
			skipped += ms;
			await Promise.resolve();
		},
		skip: (ms) => {
			skipped += ms;
		},
	};
}

function triggersFor(sandbox: EtnaSandbox, token: string, mode: Mode, accounts: number[]) {
	const credentials = {
		baseUrl: sandbox.apiUrl,
		apiVersion: '1.0',
		appKey: APP_KEY,
		authMethod: 'token',
		token,
	};
	if (mode === 'All Accounts') {
		return [
			new PolledTrigger({ event: 'newTransaction', allAccounts: true, options: {} }, credentials),
		];
	}
	const triggers: PolledTrigger[] = [];
	for (let from = 0; from < accounts.length; from += PER_TRIGGER) {
		const accountIds = accounts.slice(from, from + PER_TRIGGER).join(',');
		triggers.push(
			new PolledTrigger({ event: 'newTransaction', accountIds, options: {} }, credentials),
		);
	}
	return triggers;
}

interface PollFigures {
	list: number;
	ledger: number;
	events: number;
	bytes: number;
}

/** One poll of every trigger: the requests, the events and the stored state's size in all. */
async function pollAll(
	sandbox: EtnaSandbox,
	triggers: PolledTrigger[],
	budgetMs?: number,
): Promise<PollFigures> {
	sandbox.clearRequests();
	let events = 0;
	for (const trigger of triggers) events += (await trigger.poll({ budgetMs }))?.[0].length ?? 0;
	const requests = sandbox.apiRequests();
	return {
		list: requests.filter((request) => request.path.endsWith('/accounts')).length,
		ledger: requests.filter((request) => request.path.endsWith('/transactions')).length,
		events,
		bytes: triggers.reduce((sum, trigger) => sum + JSON.stringify(trigger.staticData).length, 0),
	};
}

function row(size: number, mode: Mode, when: string, figures: PollFigures): string {
	const kb = (figures.bytes / 1024).toFixed(1);
	return `| ${size} | ${mode} | ${when} | ${figures.list} + ${figures.ledger} | ${figures.events} | ${kb} KB |`;
}

async function costs(sandbox: EtnaSandbox, size: number, mode: Mode) {
	sandbox.reset();
	const token = sandbox.model.issueToken('admin');
	const clock = requestClock(sandbox);
	useClock(clock);
	try {
		const accounts = [...sandbox.model.accounts.keys()];
		const triggers = triggersFor(sandbox, token, mode, accounts);
		console.log(row(size, mode, 'first activation', await pollAll(sandbox, triggers)));
		console.log(row(size, mode, 'at rest', await pollAll(sandbox, triggers)));
		for (const accountId of accounts) sandbox.model.recordPayment(accountId, 100);
		console.log(row(size, mode, 'busy (a row on every account)', await pollAll(sandbox, triggers)));
		console.log(row(size, mode, 'at rest, within the window', await pollAll(sandbox, triggers)));
		clock.skip(GRACE_WINDOW_MS + 1000);
		console.log(row(size, mode, 'at rest, window passed', await pollAll(sandbox, triggers)));
	} finally {
		useClock(systemClock);
	}
}

/**
 * With a budget that fits a tenth of the accounts (one ledger read each, ANSWER_MS an answer,
 * half the budget used), polls until every account was read once since the activation.
 */
async function turns(sandbox: EtnaSandbox, mode: Mode) {
	sandbox.reset();
	const token = sandbox.model.issueToken('admin');
	const clock = requestClock(sandbox);
	useClock(clock);
	try {
		const accounts = [...sandbox.model.accounts.keys()].slice(
			0,
			mode === 'explicit' ? PER_TRIGGER : undefined,
		);
		const [trigger] = triggersFor(sandbox, token, mode, accounts);
		const budgetMs = 2 * ANSWER_MS * Math.ceil(accounts.length / 10);
		// Polls until every account was noted (a read without an Id bound), then until each was read.
		const noted = new Set<number>();
		const read = new Set<number>();
		const perPoll: number[] = [];
		let activationPolls = 0;
		let polls = 0;
		while (read.size < accounts.length && activationPolls + polls < 200) {
			sandbox.clearRequests();
			await trigger.poll({ budgetMs });
			const ledgerReads = sandbox.apiRequests().flatMap((request) => {
				const match = /\/accounts\/(\d+)\/transactions$/.exec(request.path);
				const filter = request.query.filter?.[0] ?? '';
				return match ? [{ accountId: Number(match[1]), baseline: !filter.includes('Id >') }] : [];
			});
			if (noted.size < accounts.length) {
				activationPolls += 1;
				for (const { accountId } of ledgerReads) noted.add(accountId);
				continue;
			}
			polls += 1;
			for (const { accountId } of ledgerReads) read.add(accountId);
			perPoll.push(ledgerReads.length);
		}
		console.log(
			`| ${accounts.length} | ${mode} | ${budgetMs} ms | ${activationPolls} | ${polls} | ${Math.min(...perPoll)} to ${Math.max(...perPoll)} |`,
		);
	} finally {
		useClock(systemClock);
	}
}

async function main(): Promise<void> {
	console.log('Requests per poll (account list pages + ledger reads), events, static data (JSON):');
	console.log('| accounts | Account IDs | poll | requests | events | static data |');
	console.log('| --- | --- | --- | --- | --- | --- |');
	const budgets: Array<() => Promise<void>> = [];
	for (const size of SIZES) {
		const sandbox = await startEtnaSandbox({ appKeys: [APP_KEY], accountCount: size });
		try {
			await costs(sandbox, size, 'All Accounts');
			await costs(sandbox, size, 'explicit');
		} finally {
			await sandbox.close();
		}
		budgets.push(async () => {
			const again = await startEtnaSandbox({ appKeys: [APP_KEY], accountCount: size });
			try {
				await turns(again, 'All Accounts');
				if (size === SIZES[0]) await turns(again, 'explicit');
			} finally {
				await again.close();
			}
		});
	}
	console.log('');
	console.log(
		`A budget that fits a tenth of the accounts (${ANSWER_MS} ms an answer, half the budget used): polls until each account was noted at the activation, then until each was read once:`,
	);
	console.log(
		'| accounts | Account IDs | poll budget | polls to note all | polls to read all | ledger reads a poll |',
	);
	console.log('| --- | --- | --- | --- | --- | --- |');
	for (const budget of budgets) await budget();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
