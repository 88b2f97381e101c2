import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	allChecked,
	andThen,
	checkAccountId,
	checkSomeChange,
	formatFigure,
	itemNumber,
	mapChecked,
} from '../../helpers/validation';
import { callRoute, wholeModelOf } from '../../transport';
import { accountIdField, writeOptions, writeReviewNotice } from '../shared/descriptions';
import { isJsonObject, parameterOf } from '../shared/items';
import { newestTransactionBaseline, transactionsAfter } from '../shared/ledgerReads';
import { readRecord } from '../shared/records';
import {
	readBeforeWriteFailed,
	refusedItem,
	writeEach,
	writeFailed,
	type Write,
	type WriteResult,
} from '../shared/writeEach';
import { accountChangesOf, accountFieldOptions } from './accountFields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['update'] } },
	[
		accountIdField('to change'),
		writeReviewNotice('Update Trading Account'),
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description:
				'Only the fields added here change: the node reads the account first and sends everything else back as ETNA has it. Money and limits are not offered: money moves only through Withdraw and Deposit.',
			options: accountFieldOptions(true),
		},
		writeOptions('change trading accounts'),
	],
);

interface UpdateAccountPlan {
	accountId: number;
	changes: IDataObject;
}

const updateAccount: Write<Record<string, unknown>, UpdateAccountPlan> = {
	operation: 'Update Trading Account',
	effect: "changes ETNA's trading accounts",
	read: (context, itemIndex) => ({
		accountId: parameterOf(context, 'accountId', itemIndex),
		updateFields: parameterOf(context, 'updateFields', itemIndex, {}),
	}),
	check: (given) =>
		andThen(allChecked({ accountId: checkAccountId(given.accountId) }), ({ accountId }) =>
			mapChecked(
				andThen(
					accountChangesOf(isJsonObject(given.updateFields) ? given.updateFields : {}),
					(changes) => checkSomeChange(changes),
				),
				(changes) => ({ accountId, changes }),
			),
		),
	shown: (given) => ({ accountId: given.accountId }),
	async run(
		context,
		connection,
		{ accountId, changes, timeoutMs },
		itemIndex,
	): Promise<WriteResult> {
		const facts = { connection, timeoutMs, details: { accountId } };
		const notChanged = `Account ${accountId} was not changed.`;
		// ETNA's PUT writes the whole model, Cash included: a payment that lands between the read
		// and the write would be written over. The ledger before and after tells whether one did.
		const baseline = await newestTransactionBaseline(context, connection, accountId, timeoutMs);
		if (!baseline.ok) {
			return readBeforeWriteFailed(
				baseline.reply,
				{ what: `the transactions of account ${accountId}`, accountId },
				notChanged,
				facts,
			);
		}
		const current = await readRecord(context, connection, 'account', {
			params: { accountId },
			timeoutMs,
		});
		if (!current.ok) {
			return readBeforeWriteFailed(
				current.reply,
				{ what: `account ${accountId}`, accountId },
				notChanged,
				facts,
			);
		}
		const model = wholeModelOf('updateAccount', current.value, changes);
		if (!model.ok) {
			return refusedItem(
				itemIndex,
				`ETNA's record of account ${accountId} lacks ${model.missingMoney.join(', ')}, which an update must send back unchanged (ETNA resets what a full update leaves out): nothing was sent.`,
				"Change this account in ETNA's back office instead, and report the record to the node's maintainers.",
				facts.details,
			);
		}
		const reply = await callRoute.call(context, connection, 'updateAccount', {
			params: { accountId },
			body: model.body,
			timeoutMs,
		});
		if (
			!(reply.answered && reply.status >= 200 && reply.status < 300 && isJsonObject(reply.body))
		) {
			return writeFailed(
				reply,
				{
					kind: 'write',
					what: `changing trading account ${accountId}`,
					accountId,
					retryAdvice:
						'Running it again is safe: it reads the account and sets the same values again.',
				},
				facts,
			);
		}
		const updated = { ...reply.body, accountId };
		const after = await transactionsAfter(
			context,
			connection,
			accountId,
			baseline.baseline,
			timeoutMs,
		);
		if (after.ok && after.rows.length === 0) return { ok: true, changed: true, json: updated };
		const written = typeof model.body.Cash === 'number' ? formatFigure(model.body.Cash) : '?';
		const found = after.ok
			? `its ledger got ${after.rows.length} new row(s) while the update ran (${after.rows
					.slice(0, 3)
					.map((row) => `Id ${row.Id}: ${row.Type} ${formatFigure(row.Value)}`)
					.join('; ')}), and ETNA's full update wrote back the Cash read before them (${written})`
			: `its ledger could not be read afterwards to check that no payment landed while the update ran (ETNA's full update wrote back the Cash read before it, ${written})`;
		return {
			ok: false,
			details: { ...facts.details, updated: true },
			failure: {
				message: `Item ${itemNumber(itemIndex)}: trading account ${accountId} was updated, but ${found}.`,
				description:
					"Compare the account's Cash with its ledger in ETNA and correct it there before any other payment; run Update when no money is moving on the account.",
				outcome: 'unknown',
				httpCode: null,
			},
		};
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await writeEach.call(this, updateAccount);
}
