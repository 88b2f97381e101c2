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
	checkCurrency,
	checkIfExists,
	checkLookupText,
	checkOneOf,
	type IfExists,
	mapChecked,
} from '../../helpers/validation';
import { callRoute } from '../../transport';
import { ifExistsOption, writeOptions, writeReviewNotice } from '../shared/descriptions';
import { isJsonObject, parameterOf } from '../shared/items';
import { accountsWithClearingAccount } from '../shared/records';
import {
	readBeforeWriteFailed,
	refusedItem,
	writeEach,
	writeFailed,
	type Write,
	type WriteResult,
} from '../shared/writeEach';
import {
	accountChangesOf,
	accountFieldOptions,
	MARGIN_TYPES,
	marginTypeField,
} from './accountFields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['tradingAccount'], operation: ['create'] } },
	[
		{
			displayName: 'Clearing Account',
			name: 'clearingAccount',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 5RB00421',
			description:
				"The account's ID at the clearing firm. Create looks it up first, so a retry makes no twin (ETNA itself would make one). No quotes or #.",
		},
		{
			displayName: 'Currency',
			name: 'currency',
			type: 'string',
			required: true,
			default: 'USD',
			description: 'Three letters. ETNA supports only USD at the moment.',
		},
		marginTypeField,
		writeReviewNotice('Create Trading Account'),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: accountFieldOptions(false),
		},
		writeOptions('create trading accounts', [
			ifExistsOption('trading account', 'Clearing Account'),
		]),
	],
);

interface CreateAccountPlan {
	clearingAccount: string;
	ifExists: IfExists;
	body: IDataObject;
}

const createAccount: Write<Record<string, unknown>, CreateAccountPlan> = {
	operation: 'Create Trading Account',
	effect: "changes ETNA's trading accounts",
	read: (context, itemIndex, options) => ({
		clearingAccount: parameterOf(context, 'clearingAccount', itemIndex),
		currency: parameterOf(context, 'currency', itemIndex),
		marginType: parameterOf(context, 'marginType', itemIndex, 'Cash'),
		additionalFields: parameterOf(context, 'additionalFields', itemIndex, {}),
		ifExists: options.ifExists,
	}),
	// ClearingAccount and Currency are what ETNA requires: both are checked here.
	check: (given) =>
		andThen(
			allChecked({
				clearingAccount: checkLookupText(
					given.clearingAccount,
					'clearingAccount',
					'Clearing Account',
				),
				currency: checkCurrency(given.currency),
				marginType: checkOneOf(given.marginType, 'marginType', 'Margin Type', MARGIN_TYPES),
				ifExists: checkIfExists(given.ifExists),
			}),
			(checked) =>
				mapChecked(
					accountChangesOf(isJsonObject(given.additionalFields) ? given.additionalFields : {}),
					(additional) => ({
						clearingAccount: checked.clearingAccount,
						ifExists: checked.ifExists,
						body: {
							// An account is made enabled unless the workflow says otherwise; no money field is sent.
							Enabled: true,
							...additional,
							ClearingAccount: checked.clearingAccount,
							Currency: checked.currency,
							MarginType: checked.marginType,
						},
					}),
				),
		),
	shown: (given) => ({ clearingAccount: given.clearingAccount }),
	async run(context, connection, plan, itemIndex): Promise<WriteResult> {
		const { clearingAccount, timeoutMs } = plan;
		const facts = { connection, timeoutMs, details: { clearingAccount } };
		// ETNA's docs make no Clearing Account unique: a second create would make a twin.
		const existing = await accountsWithClearingAccount(
			context,
			connection,
			clearingAccount,
			timeoutMs,
		);
		if (!existing.ok) {
			return readBeforeWriteFailed(
				existing.reply,
				{ what: `the trading accounts with Clearing Account ${clearingAccount}` },
				`No trading account was created for Clearing Account ${clearingAccount}.`,
				facts,
			);
		}
		if (existing.value.length > 1) {
			const ids = existing.value.map((account) => String(account.Id)).join(', ');
			return refusedItem(
				itemIndex,
				`ETNA has ${existing.value.length} trading accounts with Clearing Account ${clearingAccount} (IDs ${ids}): no account was created, and none was picked.`,
				'Twins of one Clearing Account can only be told apart by a person: choose the account by its ID (Trading Account > Get), and disable the other in ETNA.',
				{ clearingAccount, accountIds: ids },
			);
		}
		const [found] = existing.value;
		if (found) {
			if (plan.ifExists === 'returnExisting') {
				return {
					ok: true,
					changed: false,
					json: { ...found, accountId: found.Id, existing: true },
				};
			}
			return refusedItem(
				itemIndex,
				`ETNA already has a trading account with Clearing Account ${clearingAccount} (ID ${String(found.Id)}): no account was created.`,
				'If Exists is on Fail. Set it to Return Existing to go on with that account.',
				{ clearingAccount, accountId: found.Id },
			);
		}
		const reply = await callRoute.call(context, connection, 'createAccount', {
			body: plan.body,
			timeoutMs,
		});
		if (reply.answered && reply.status >= 200 && reply.status < 300 && isJsonObject(reply.body)) {
			return {
				ok: true,
				changed: true,
				json: { ...reply.body, accountId: reply.body.Id, existing: false },
			};
		}
		return writeFailed(
			reply,
			{
				kind: 'write',
				what: `creating the trading account for Clearing Account ${clearingAccount}`,
				retryAdvice:
					plan.ifExists === 'returnExisting'
						? 'Running it again is safe: Create Trading Account looks the Clearing Account up first and returns the account if it was made.'
						: 'Look the Clearing Account up (Get Many, filter ClearingAccount = ...) before you run it again: with If Exists on Fail, an account made by this run fails the retry.',
			},
			facts,
		);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await writeEach.call(this, createAccount);
}
