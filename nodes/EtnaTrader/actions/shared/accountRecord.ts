// Reads of one account's own record: the account (GET /accounts/{id}) and its balance
// (GET /accounts/{id}/info). Shared by Get, Get Balance and the funds check before a withdrawal.
import type { IExecuteFunctions } from 'n8n-workflow';

import { checkAccountId, mapChecked } from '../../helpers/validation';
import { callRoute, type EtnaConnection } from '../../transport';
import { isJsonObject, parameterOf } from './items';
import type { Read, ReadResult } from './readEach';

export interface AccountRecord {
	/** The route (transport's table): the account, or its balance. */
	route: 'account' | 'info';
	/** How a message names it: "account 1001", "the balance of account 1001". */
	name(accountId: number): string;
}

export const ACCOUNT: AccountRecord = {
	route: 'account',
	name: (accountId) => `account ${accountId}`,
};

export const BALANCE: AccountRecord = {
	route: 'info',
	name: (accountId) => `the balance of account ${accountId}`,
};

/** The record as ETNA gives it; the node adds `accountId`. */
export async function readAccountRecord(
	context: IExecuteFunctions,
	connection: EtnaConnection,
	record: AccountRecord,
	accountId: number,
	timeoutMs: number,
): Promise<ReadResult> {
	const reply = await callRoute.call(context, connection, record.route, {
		params: { accountId },
		timeoutMs,
	});
	if (reply.answered && reply.status === 200 && isJsonObject(reply.body)) {
		return { ok: true, records: [reply.body], added: { accountId } };
	}
	return { ok: false, reply, subject: { kind: 'read', what: record.name(accountId), accountId } };
}

/** One record per input item, for the Account ID the item gives. */
export function accountRecordRead(
	record: AccountRecord,
): Read<{ accountId: unknown }, { accountId: number }> {
	return {
		read: (context, itemIndex) => ({ accountId: parameterOf(context, 'accountId', itemIndex) }),
		check: (given) => mapChecked(checkAccountId(given.accountId), (accountId) => ({ accountId })),
		shown: (given) => given,
		async run(context, connection, { accountId, timeoutMs }) {
			return await readAccountRecord(context, connection, record, accountId, timeoutMs);
		},
	};
}
