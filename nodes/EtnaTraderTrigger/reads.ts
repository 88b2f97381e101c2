// The trigger's requests to ETNA: keyset pages of a list (its ledger filtered by the settings'
// narrowing), where a list stands now, and the wording of a read that failed. Every request
// carries ETNA's required parameters (transport/paging.ts).
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { describeFailedReply, type EtnaFailure } from '../EtnaTrader/helpers/errors';
import {
	allOf,
	classifyReply,
	filterOn,
	loginNameOf,
	PAGE_SIZE,
	readFirstPage,
	readNewestId,
	type EtnaConnection,
	type EtnaList,
	type EtnaReply,
} from '../EtnaTrader/transport';
import type { PageReader } from './keysetRead';
import { conditionsOf, type Narrowing } from './settings';

const TIMEOUT_MS = 30_000;

/** A row of a list, by its Id, with the record ETNA gave. */
export interface ListRow {
	Id: number;
	record: IDataObject;
}

export type ReadOutcome<Value> = { ok: true; value: Value } | { ok: false; reply: EtnaReply };

export function ledgerOf(accountId: number): EtnaList {
	return { kind: 'transactions', accountId };
}

export const ACCOUNT_LIST: EtnaList = { kind: 'accounts' };

/** "the transactions of account 1001" / "the account list". */
export function describeList(list: EtnaList): string {
	if (list.kind === 'accounts') return 'the account list';
	if (list.kind === 'users') return 'the user list';
	return `the ${list.kind} of account ${list.accountId}`;
}

export class EtnaReads {
	constructor(
		private readonly context: IPollFunctions,
		private readonly connection: EtnaConnection,
	) {}

	/** Keyset pages of `list`, kept to `narrowing` on ETNA's side. */
	pages(list: EtnaList, narrowing?: Narrowing): PageReader<ListRow, EtnaReply> {
		return async ({ above, below, newestFirst }) => {
			const read = await readFirstPage.call(this.context, this.connection, {
				list,
				sort: { field: 'Id', descending: newestFirst },
				filter: allOf([
					filterOn.idAbove(above),
					below === undefined ? undefined : filterOn.idBelow(below),
					...(narrowing ? conditionsOf(narrowing) : []),
				]),
				pageSize: PAGE_SIZE,
				timeoutMs: TIMEOUT_MS,
			});
			if (!read.ok) return { ok: false, failure: read.reply };
			const rows = read.items
				.map((record) => ({ Id: Number(record.Id), record }))
				.filter((row) => Number.isInteger(row.Id));
			return { ok: true, page: { rows, total: read.totalCount } };
		};
	}

	/** The newest rows of `list` that `narrowing` keeps, newest first. */
	async newest(
		list: EtnaList,
		count: number,
		narrowing?: Narrowing,
	): Promise<ReadOutcome<IDataObject[]>> {
		const read = await readFirstPage.call(this.context, this.connection, {
			list,
			sort: { field: 'Id', descending: true },
			filter: allOf(narrowing ? conditionsOf(narrowing) : []),
			pageSize: count,
			timeoutMs: TIMEOUT_MS,
		});
		return read.ok ? { ok: true, value: read.items } : { ok: false, reply: read.reply };
	}

	/** Where `list` stands now: the Id of its newest row that `narrowing` keeps (0 when none). */
	async newestId(list: EtnaList, narrowing?: Narrowing): Promise<ReadOutcome<number>> {
		const read = await readNewestId.call(
			this.context,
			this.connection,
			list,
			TIMEOUT_MS,
			allOf(narrowing ? conditionsOf(narrowing) : []),
		);
		return read.ok ? { ok: true, value: read.id } : read;
	}

	/** Whether the account list still has this account (a read of its ledger answered 404). */
	async isListed(accountId: number): Promise<ReadOutcome<boolean>> {
		const read = await readFirstPage.call(this.context, this.connection, {
			list: ACCOUNT_LIST,
			sort: { field: 'Id', descending: false },
			filter: filterOn.idIs(accountId),
			pageSize: 1,
			timeoutMs: TIMEOUT_MS,
		});
		return read.ok ? { ok: true, value: read.items.length > 0 } : { ok: false, reply: read.reply };
	}

	/** What a failed read of `list` means and what to do, without any secret. */
	failureOf(list: EtnaList, reply: EtnaReply): EtnaFailure {
		return describeFailedReply(
			reply,
			{
				kind: 'read',
				what: describeList(list),
				accountId: list.kind === 'transactions' ? list.accountId : undefined,
			},
			{ timeoutMs: TIMEOUT_MS, loginName: loginNameOf(this.connection) },
		);
	}
}

/** ETNA answered that the account does not exist (not a missing endpoint). */
export function isAccountNotFound(reply: EtnaReply): boolean {
	return classifyReply(reply).kind === 'accountNotFound';
}
