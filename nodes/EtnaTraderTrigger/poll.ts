// One poll of the ETNA Trader Trigger: read what is new since the stored cursors, emit it oldest
// first with a stable eventId, and move the cursors only past what was emitted. Nothing moves on
// a failed read (the poll throws and the stored state stays as it was), and two polls of one
// trigger never run at once.
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { describeFailedReply, nodeErrorOf } from '../EtnaTrader/helpers/errors';
import { checkAccountId, problemMessage } from '../EtnaTrader/helpers/validation';
import {
	loadConnection,
	loginNameOf,
	readNewestId,
	readPages,
	type EtnaConnection,
	type EtnaList,
	type EtnaReply,
} from '../EtnaTrader/transport';
import { advance, cursorAfter, readFrom, type Cursor, type CursorRow } from './cursor';
import { LEDGER_TYPES, MAX_WATCHED_ACCOUNTS } from './description';

export type TriggerEvent = 'newTransaction' | 'newAccount';

interface Settings {
	event: TriggerEvent;
	accountIds: number[];
	types: string[];
	direction: 'any' | 'in' | 'out';
	startAfterId?: number;
}

/** What the trigger keeps between polls, in n8n's static data of the node. */
interface TriggerState {
	event: TriggerEvent;
	/** newTransaction: a cursor per account (keys are account ids). */
	accounts: Record<string, Cursor>;
	/** newAccount: the account list's cursor. */
	list?: Cursor;
}

/** The most pages one poll reads of one list (of 100 rows, or ETNA's smaller size). A larger backlog drains over polls. */
export const PAGES_PER_POLL = 10;
/** The rows "Fetch test event" shows. */
const SAMPLE_ROWS = 5;
const TIMEOUT_MS = 30_000;
/** A poll stops starting reads once it has used this share of n8n's poll budget. */
const BUDGET_SHARE = 0.5;

/** Polls in progress in this process, by workflow and node: a tick that finds one does nothing. */
const running = new Set<string>();

function refuse(context: IPollFunctions, message: string): never {
	throw new NodeOperationError(context.getNode(), message);
}

function readSettings(context: IPollFunctions): Settings {
	const event = context.getNodeParameter('event', 'newTransaction') as TriggerEvent;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const startAfter = options.startAfterId;
	const startAfterId =
		typeof startAfter === 'number' && Number.isInteger(startAfter) && startAfter > 0
			? startAfter
			: undefined;
	const types = Array.isArray(options.types)
		? options.types.filter((type): type is string => LEDGER_TYPES.some((known) => known === type))
		: [];
	const direction =
		options.direction === 'in' || options.direction === 'out' ? options.direction : 'any';
	if (event === 'newAccount') return { event, accountIds: [], types, direction, startAfterId };
	const given = String(context.getNodeParameter('accountIds', '') ?? '');
	const parts = given
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
	if (parts.length === 0)
		refuse(
			context,
			'Account IDs is empty: name at least one trading account to watch, e.g. 1001, 1002',
		);
	const accountIds: number[] = [];
	for (const part of parts) {
		const checked = checkAccountId(part);
		if (!checked.ok) refuse(context, problemMessage(checked.problem));
		if (!accountIds.includes(checked.value)) accountIds.push(checked.value);
	}
	if (accountIds.length > MAX_WATCHED_ACCOUNTS) {
		refuse(
			context,
			`Account IDs names ${accountIds.length} accounts: one trigger watches at most ${MAX_WATCHED_ACCOUNTS} (each poll reads every account's ledger). Split them over several triggers.`,
		);
	}
	return { event, accountIds, types, direction, startAfterId };
}

/** ETNA's filter for the rows above `after`, narrowed by the options on ETNA's side. */
function filterFor(settings: Settings, after: number): string {
	const conditions = [`Id > ${after}`];
	if (settings.event === 'newTransaction') {
		if (settings.types.length > 0) {
			conditions.push(`Type in (${settings.types.map((type) => `'${type}'`).join(', ')})`);
		}
		if (settings.direction === 'in') conditions.push('Value > 0');
		if (settings.direction === 'out') conditions.push('Value < 0');
	}
	return conditions.join(' and ');
}

function listOf(settings: Settings, accountId: number | undefined): EtnaList {
	return settings.event === 'newAccount' || accountId === undefined
		? { kind: 'accounts' }
		: { kind: 'transactions', accountId };
}

function whatOf(settings: Settings, accountId: number | undefined): string {
	return settings.event === 'newAccount'
		? 'the account list'
		: `the transactions of account ${accountId}`;
}

/** A failed read fails the poll: n8n records the error and runs the error workflow. */
function failPoll(
	context: IPollFunctions,
	connection: EtnaConnection,
	settings: Settings,
	accountId: number | undefined,
	reply: EtnaReply,
): never {
	const failure = describeFailedReply(
		reply,
		{ kind: 'read', what: whatOf(settings, accountId), accountId },
		{ timeoutMs: TIMEOUT_MS, loginName: loginNameOf(connection) },
	);
	throw nodeErrorOf(context.getNode(), failure, 0);
}

/** The output of an event: ETNA's record, the account it belongs to and a stable eventId. */
function eventItem(
	settings: Settings,
	row: IDataObject,
	accountId: number | undefined,
): INodeExecutionData {
	const id = Number(row.Id);
	return settings.event === 'newAccount'
		? { json: { ...row, accountId: id, eventId: `etna:account:${id}` } }
		: { json: { ...row, accountId: accountId ?? null, eventId: `etna:tx:${id}` } };
}

interface Read {
	rows: IDataObject[];
	more: boolean;
}

async function readList(
	context: IPollFunctions,
	connection: EtnaConnection,
	settings: Settings,
	accountId: number | undefined,
	{
		after,
		newestFirst,
		limit,
		maxPages,
	}: { after?: number; newestFirst: boolean; limit?: number; maxPages?: number },
): Promise<Read> {
	const read = await readPages.call(context, connection, {
		list: listOf(settings, accountId),
		sort: { field: 'Id', descending: newestFirst },
		filter: after === undefined ? undefined : filterFor(settings, after),
		limit,
		maxPages,
		timeoutMs: TIMEOUT_MS,
	});
	if (!read.ok) failPoll(context, connection, settings, accountId, read.reply);
	return { rows: read.items, more: read.more };
}

/** Where a list stands now: its newest Id (0 when empty). */
async function newestId(
	context: IPollFunctions,
	connection: EtnaConnection,
	settings: Settings,
	accountId: number | undefined,
): Promise<number> {
	const newest = await readNewestId.call(
		context,
		connection,
		listOf(settings, accountId),
		TIMEOUT_MS,
	);
	if (!newest.ok) failPoll(context, connection, settings, accountId, newest.reply);
	return newest.id;
}

/** A row as the cursor sees it (its Id and date), with the record it came from. */
function cursorRowOf(settings: Settings, row: IDataObject): CursorRow & { record: IDataObject } {
	const date = settings.event === 'newAccount' ? row.CreatedDate : row.Date;
	return {
		Id: Number(row.Id),
		at: typeof date === 'string' ? Date.parse(date) : Number.NaN,
		record: row,
	};
}

/** "Fetch test event": the newest matching rows, as a sample; nothing stored. */
async function sample(
	context: IPollFunctions,
	connection: EtnaConnection,
	settings: Settings,
): Promise<INodeExecutionData[][] | null> {
	const sources =
		settings.event === 'newAccount' ? [undefined] : settings.accountIds.slice(0, SAMPLE_ROWS);
	const items: Array<{ id: number; item: INodeExecutionData }> = [];
	for (const accountId of sources) {
		const { rows } = await readList(context, connection, settings, accountId, {
			after: 0,
			newestFirst: true,
			limit: SAMPLE_ROWS,
		});
		for (const row of rows)
			items.push({ id: Number(row.Id), item: eventItem(settings, row, accountId) });
	}
	const newest = items
		.sort((left, right) => right.id - left.id)
		.slice(0, SAMPLE_ROWS)
		.reverse();
	return newest.length ? [newest.map(({ item }) => item)] : null;
}

function storedState(context: IPollFunctions, event: TriggerEvent): TriggerState | undefined {
	const stored = context.getWorkflowStaticData('node').etnaTrigger as TriggerState | undefined;
	// Another event's cursors say nothing about this one: it starts anew.
	return stored && stored.event === event ? stored : undefined;
}

export async function pollEtna(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	const connection = await loadConnection.call(this);
	if (this.getMode() === 'manual') return await sample(this, connection, settings);

	const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	if (running.has(key)) return null;
	running.add(key);
	try {
		return await pollOnce(this, connection, settings);
	} finally {
		running.delete(key);
	}
}

async function pollOnce(
	context: IPollFunctions,
	connection: EtnaConnection,
	settings: Settings,
): Promise<INodeExecutionData[][] | null> {
	const started = Date.now();
	// n8n 2.x gives a poll a time budget; 1.x has none.
	const budgetMs =
		typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : undefined;
	const outOfBudget = () =>
		budgetMs !== undefined && Date.now() - started > budgetMs * BUDGET_SHARE;
	const stored = storedState(context, settings.event);
	// With no stored state this is the first activation: Start After ID backfills from there.
	const backfillFrom = stored ? undefined : settings.startAfterId;
	// Built apart and stored only at the end: a throw leaves the stored state as it was.
	const next: TriggerState = { event: settings.event, accounts: {} };
	const fresh: Array<{ id: number; item: INodeExecutionData }> = [];
	const sources = settings.event === 'newAccount' ? [undefined] : settings.accountIds;
	for (const accountId of sources) {
		const previous = accountId === undefined ? stored?.list : stored?.accounts[String(accountId)];
		if (previous && outOfBudget()) {
			// Left for the next poll, exactly where it stood.
			setCursor(next, accountId, previous);
			continue;
		}
		const cursor = previous ?? (backfillFrom === undefined ? undefined : cursorAfter(backfillFrom));
		if (!cursor) {
			// First activation, or an account listed since: it starts from its own newest row.
			setCursor(
				next,
				accountId,
				cursorAfter(await newestId(context, connection, settings, accountId)),
			);
			continue;
		}
		const read = await readList(context, connection, settings, accountId, {
			after: readFrom(cursor),
			newestFirst: false,
			maxPages: PAGES_PER_POLL,
		});
		const rows = read.rows.map((row) => cursorRowOf(settings, row));
		const advanced = advance(cursor, rows, { more: read.more, now: Date.now() });
		setCursor(next, accountId, advanced.next);
		for (const row of advanced.fresh) {
			fresh.push({ id: row.Id, item: eventItem(settings, row.record, accountId) });
		}
	}
	const staticData = context.getWorkflowStaticData('node');
	// Stored only when it changed: n8n writes static data back whenever it is assigned.
	if (JSON.stringify(staticData.etnaTrigger) !== JSON.stringify(next)) {
		staticData.etnaTrigger = next as unknown as IDataObject;
	}
	if (fresh.length === 0) return null;
	return [fresh.sort((left, right) => left.id - right.id).map(({ item }) => item)];
}

function setCursor(state: TriggerState, accountId: number | undefined, cursor: Cursor): void {
	if (accountId === undefined) state.list = cursor;
	else state.accounts[String(accountId)] = cursor;
}
