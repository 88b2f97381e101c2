// One poll of the ETNA Trader Trigger: read what is new since the stored cursors, emit it oldest
// first with a stable eventId, and move each cursor only past what it read. The accounts are
// taken in turn, from where the last poll stopped, until n8n's poll budget is half used, so every
// account is read within a bounded number of polls however many there are. One account's failed
// read never holds back another's events: it keeps its cursor, is logged, and is tried again on
// the next poll. Two polls of one trigger never run at once.
import { NodeOperationError, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { nodeErrorOf } from '../EtnaTrader/helpers/errors';
import { clock } from '../EtnaTrader/transport/clock';
import { loadConnection, type EtnaReply } from '../EtnaTrader/transport';
import { cursorAfter } from './cursor';
import type { ReadLimits } from './keysetRead';
import { ACCOUNT_LIST, EtnaReads, isAccountNotFound, ledgerOf, type ListRow } from './reads';
import { fingerprintOf, readSettings, type Settings } from './settings';
import { loadState, storeState, type TriggerState, type Watch } from './state';
import { PAGES_PER_POLL, serveWatch, type WatchTarget } from './watch';

/** The rows "Fetch test event" shows. */
const SAMPLE_ROWS = 5;
/** A poll starts no more reads once it has used this share of n8n's poll budget. */
const BUDGET_SHARE = 0.5;
/** Polls in a row a list may fail before a poll with nothing to emit fails, naming it. */
export const FAILURES_BEFORE_ERROR = 3;

/** Polls in progress in this process, by workflow and node: a tick that finds one does nothing. */
const running = new Set<string>();

/** The output of an event: ETNA's record, the account it belongs to and a stable eventId. */
function eventItem(
	row: ListRow,
	accountId: number | undefined,
	sample = false,
): INodeExecutionData {
	const kind = accountId === undefined ? 'account' : 'tx';
	const eventId = `etna:${sample ? 'sample:' : ''}${kind}:${row.Id}`;
	return {
		json: {
			...row.record,
			accountId: accountId ?? row.Id,
			eventId,
			...(sample ? { sample: true } : {}),
		},
	};
}

/** Fails the poll with the wording of a failed read (no secret in it). */
function failWith(context: IPollFunctions, reads: EtnaReads, failed: Failed): never {
	throw nodeErrorOf(context.getNode(), reads.failureOf(failed.list, failed.reply), 0);
}

interface Failed {
	list: WatchTarget['list'];
	reply: EtnaReply;
}

/**
 * "Fetch test event": the newest matching rows, as samples (`sample: true`, an eventId no real
 * event has); nothing stored. A read that fails fails the fetch, naming the list.
 */
async function sample(
	context: IPollFunctions,
	reads: EtnaReads,
	settings: Settings,
): Promise<INodeExecutionData[][] | null> {
	const rowsOf = async (list: WatchTarget['list'], narrowing?: Settings['narrowing']) => {
		const read = await reads.newest(list, SAMPLE_ROWS, narrowing);
		if (!read.ok) failWith(context, reads, { list, reply: read.reply });
		return read.value.map((record) => ({ Id: Number(record.Id), record }));
	};
	const items: Array<{ row: ListRow; item: INodeExecutionData }> = [];
	if (settings.event === 'newAccount') {
		for (const row of await rowsOf(ACCOUNT_LIST)) {
			items.push({ row, item: eventItem(row, undefined, true) });
		}
	} else {
		const accountIds = settings.allAccounts
			? (await rowsOf(ACCOUNT_LIST)).map((row) => row.Id)
			: settings.accountIds.slice(0, SAMPLE_ROWS);
		for (const accountId of accountIds) {
			for (const row of await rowsOf(ledgerOf(accountId), settings.narrowing)) {
				items.push({ row, item: eventItem(row, accountId, true) });
			}
		}
	}
	const newest = items
		.sort((left, right) => right.row.Id - left.row.Id)
		.slice(0, SAMPLE_ROWS)
		.reverse();
	return newest.length ? [newest.map(({ item }) => item)] : null;
}

export async function pollEtna(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	const connection = await loadConnection.call(this);
	const reads = new EtnaReads(this, connection);
	if (this.getMode() === 'manual') return await sample(this, reads, settings);

	const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	if (running.has(key)) return null;
	running.add(key);
	try {
		return await new Poll(this, reads, settings).run();
	} finally {
		running.delete(key);
	}
}

/**
 * Who is read this poll, in order: the accounts not read yet first (they note where they stand,
 * so they join as soon as they can), then the others from where the last poll stopped, round and
 * round. `successor`: where the next poll starts once an account of the turn is read.
 */
export function turnOrder(
	all: readonly number[],
	state: Pick<TriggerState, 'accounts' | 'next'>,
): { waiting: number[]; turn: number[]; successor: Map<number, number> } {
	const waiting = all.filter((accountId) => !state.accounts.get(accountId)?.cursor);
	const rotation = all.filter((accountId) => state.accounts.get(accountId)?.cursor);
	const { next } = state;
	let start = next === undefined ? 0 : rotation.indexOf(next);
	// The account to start with is gone: start with the one that came after it.
	if (start < 0)
		start = Math.max(
			0,
			rotation.findIndex((accountId) => accountId > (next ?? 0)),
		);
	const turn = [...rotation.slice(start), ...rotation.slice(0, start)];
	const successor = new Map(
		rotation.map((accountId, index) => [accountId, rotation[(index + 1) % rotation.length]]),
	);
	return { waiting, turn, successor };
}

class Poll {
	private readonly started = clock().now();

	/** n8n 2.x gives a poll a time budget; 1.x has none. */
	private readonly budgetMs: number | undefined;

	/** What each list that failed in this poll answered. */
	private readonly failed = new Map<number | 'list', Failed>();

	private readonly fresh: Array<{ row: ListRow; accountId?: number }> = [];

	constructor(
		private readonly context: IPollFunctions,
		private readonly reads: EtnaReads,
		private readonly settings: Settings,
	) {
		this.budgetMs =
			typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : undefined;
	}

	private outOfBudget = (): boolean =>
		this.budgetMs !== undefined && clock().now() - this.started > this.budgetMs * BUDGET_SHARE;

	private limits(pageCap: number): ReadLimits {
		return { now: clock().now(), pageCap, outOfBudget: this.outOfBudget };
	}

	async run(): Promise<INodeExecutionData[][] | null> {
		const { context, settings } = this;
		const fingerprint =
			settings.event === 'newTransaction' ? fingerprintOf(settings.narrowing) : '';
		const staticData = context.getWorkflowStaticData('node');
		const stored = loadState(staticData.etnaTrigger, settings.event, fingerprint, clock().now());
		const firstActivation = stored === undefined;
		// Decoded afresh from the stored JSON: changing it changes nothing stored until the end.
		const state: TriggerState = stored ?? {
			event: settings.event,
			filter: fingerprint,
			accounts: new Map(),
		};
		if (state.filter !== fingerprint) {
			// Each cursor notes the narrowing it followed, and changes over at its next read.
			for (const watch of state.accounts.values()) {
				if (watch.cursor && watch.filter === undefined) watch.filter = state.filter;
			}
			state.filter = fingerprint;
		}

		if (settings.event === 'newAccount') await this.accountList(state, firstActivation);
		else await this.transactions(state, firstActivation);

		if (firstActivation && !settings.allAccounts && this.failed.size > 0) {
			// Nothing is stored: the user fixes the Account IDs (or waits for ETNA) and activates again.
			throw this.keepsFailing([...this.failed.keys()], 'on activation', state.accounts.size);
		}
		const next = storeState(state);
		// Stored only when it changed: n8n writes static data back whenever it is assigned.
		if (JSON.stringify(staticData.etnaTrigger) !== JSON.stringify(next)) {
			staticData.etnaTrigger = next;
		}
		const items = this.fresh
			.sort((left, right) => left.row.Id - right.row.Id)
			.map(({ row, accountId }) => eventItem(row, accountId));
		if (items.length > 0) return [items];
		const stuck = [...state.accounts]
			.filter(([, watch]) => (watch.failures ?? 0) >= FAILURES_BEFORE_ERROR)
			.map(([accountId]): number | 'list' => accountId);
		if ((state.list?.failures ?? 0) >= FAILURES_BEFORE_ERROR) stuck.unshift('list');
		// Shown as a failed execution (and n8n's error workflow): the state above is already kept.
		if (stuck.length > 0) {
			throw this.keepsFailing(
				stuck,
				`in ${FAILURES_BEFORE_ERROR} polls or more in a row`,
				state.accounts.size,
			);
		}
		return null;
	}

	/** The error that names the lists that keep failing, with what the first of them answered. */
	private keepsFailing(
		lists: Array<number | 'list'>,
		when: string,
		watched: number,
	): NodeOperationError {
		const names = lists.map((list) => (list === 'list' ? 'the account list' : `account ${list}`));
		const first = lists.map((list) => this.failed.get(list)).find((failed) => failed);
		const failure = first ? this.reads.failureOf(first.list, first.reply) : undefined;
		const others =
			lists.filter((list) => list !== 'list').length < watched
				? 'The other accounts are read and their events emitted. '
				: '';
		const fix = this.settings.allAccounts
			? 'Check the credential and that ETNA answers'
			: 'Check the Account IDs (a closed or mistyped account answers 404) and the credential';
		return new NodeOperationError(
			this.context.getNode(),
			`Reading ${names.join(', ')} failed ${when}${failure ? `: ${failure.message}` : ''}`,
			{
				description: `${others}${fix}; the trigger tries again on every poll.${failure ? ` ${failure.description}` : ''}`,
			},
		);
	}

	/** Logs a failed read of a list (n8n's log, each time) and counts it against the list. */
	private noteFailure(key: number | 'list', watch: Watch, failed: Failed): Watch {
		this.failed.set(key, failed);
		const failures = (watch.failures ?? 0) + 1;
		const failure = this.reads.failureOf(failed.list, failed.reply);
		this.context.logger.warn(
			`ETNA Trader Trigger: ${failure.message} (${failures} poll(s) in a row; it is tried again on the next poll, and the other accounts go on)`,
			{ workflowId: this.context.getWorkflow().id, nodeName: this.context.getNode().name },
		);
		return { ...watch, failures };
	}

	private async accountList(state: TriggerState, firstActivation: boolean): Promise<void> {
		const watch = state.list ?? this.startingWatch(firstActivation);
		const list = ACCOUNT_LIST;
		const served = await serveWatch(this.reads, watch, { list }, this.limits(PAGES_PER_POLL));
		// The only list: its failure fails the poll, and the stored cursor stays as it was.
		if (!served.ok) failWith(this.context, this.reads, { list, reply: served.reply });
		state.list = served.watch;
		for (const row of served.fresh) this.fresh.push({ row });
	}

	/** A watch's first state: at Start After ID on the first activation (no request), else none yet. */
	private startingWatch(firstActivation: boolean): Watch {
		const { startAfterId } = this.settings;
		return firstActivation && startAfterId !== undefined
			? { cursor: cursorAfter(startAfterId) }
			: {};
	}

	private async transactions(state: TriggerState, firstActivation: boolean): Promise<void> {
		const { settings } = this;
		if (settings.allAccounts) {
			await this.discoverAccounts(state, firstActivation);
		} else {
			// Only the accounts named: a removed one's cursor goes; it starts anew if it comes back.
			state.list = undefined;
			for (const accountId of state.accounts.keys()) {
				if (!settings.accountIds.includes(accountId)) state.accounts.delete(accountId);
			}
			for (const accountId of settings.accountIds) {
				if (!state.accounts.has(accountId)) {
					state.accounts.set(accountId, this.startingWatch(firstActivation));
				}
			}
		}
		const all = settings.allAccounts
			? [...state.accounts.keys()].sort((left, right) => left - right)
			: settings.accountIds;
		const { waiting, turn, successor } = turnOrder(all, state);
		let served = 0;
		for (const accountId of [...waiting, ...turn]) {
			if (served > 0 && this.outOfBudget()) break;
			served += 1;
			await this.serveAccount(state, accountId);
			const next = successor.get(accountId);
			if (next !== undefined) state.next = next;
		}
	}

	private async serveAccount(state: TriggerState, accountId: number): Promise<void> {
		const watch = state.accounts.get(accountId) ?? {};
		const list = ledgerOf(accountId);
		const target = { list, narrowing: this.settings.narrowing };
		const served = await serveWatch(this.reads, watch, target, this.limits(PAGES_PER_POLL));
		if (served.ok) {
			state.accounts.set(accountId, served.watch);
			for (const row of served.fresh) this.fresh.push({ row, accountId });
			return;
		}
		if (this.settings.allAccounts && isAccountNotFound(served.reply)) {
			// An account gone from ETNA's list (closed) is no longer watched; one still listed is a failure.
			const listed = await this.reads.isListed(accountId);
			if (listed.ok && !listed.value) {
				state.accounts.delete(accountId);
				this.context.logger.info(
					`ETNA Trader Trigger: account ${accountId} is no longer in ETNA's account list: it is not watched any more`,
				);
				return;
			}
		}
		state.accounts.set(
			accountId,
			this.noteFailure(accountId, watch, { list, reply: served.reply }),
		);
	}

	/**
	 * All Accounts: the account list read above its own cursor finds the accounts that appeared
	 * since the last poll; each joins from its first read (its rows before it are not events).
	 */
	private async discoverAccounts(state: TriggerState, firstActivation: boolean): Promise<void> {
		// The list is read from its start once, then by its own cursor: no page cap, only the budget.
		const watch = state.list ?? { cursor: cursorAfter(0) };
		const list = ACCOUNT_LIST;
		const served = await serveWatch(this.reads, watch, { list }, this.limits(Infinity));
		if (!served.ok) {
			// Without the list, the accounts already known are still read.
			if (firstActivation) failWith(this.context, this.reads, { list, reply: served.reply });
			state.list = this.noteFailure('list', watch, { list, reply: served.reply });
			return;
		}
		state.list = served.watch;
		for (const { Id } of served.fresh) {
			if (!state.accounts.has(Id)) state.accounts.set(Id, this.startingWatch(firstActivation));
		}
	}
}
