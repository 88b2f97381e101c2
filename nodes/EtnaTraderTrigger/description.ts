// The trigger's fields: which event, which accounts, and the options that narrow the events.
import type { INodeProperties } from 'n8n-workflow';

import { MAX_ACCOUNT_ID } from '../EtnaTrader/helpers/validation';

/**
 * The most accounts one trigger watches by ID: a longer list is a book, which All Accounts
 * watches without anyone typing it.
 */
export const MAX_WATCHED_ACCOUNTS = 100;

/** ETNA's documented ledger Types. */
export const LEDGER_TYPES = [
	'Undefined',
	'Commission',
	'OrderExecution',
	'OptionExpiration',
	'Payment',
	'ManualManipulation',
	'Clearing',
	'Rpl',
] as const;

/** How the editor names each Type, in words; ETNA's own value in the description. */
const LEDGER_TYPE_NAMES: Record<(typeof LEDGER_TYPES)[number], string> = {
	Undefined: 'Undefined',
	Commission: 'Commission',
	OrderExecution: 'Order Execution (a Trade)',
	OptionExpiration: 'Option Expiration',
	Payment: 'Payment (Money In or Out)',
	ManualManipulation: 'Manual Adjustment',
	Clearing: 'Clearing',
	Rpl: 'Realized Profit or Loss',
};

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'New Transaction',
				value: 'newTransaction',
				description:
					'A new row in the ledger of one of the accounts: money in or out, a trade, a fee',
			},
			{
				name: 'New Trading Account',
				value: 'newAccount',
				description: 'A trading account that was not in the account list before',
			},
		],
		default: 'newTransaction',
	},
	{
		displayName: 'All Accounts',
		name: 'allAccounts',
		type: 'boolean',
		default: false,
		description:
			'Whether to watch every trading account the credential can list, accounts opened later included (they join when the trigger first sees them)',
		displayOptions: { show: { event: ['newTransaction'] } },
	},
	{
		displayName: 'Account IDs',
		name: 'accountIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1001, 1002',
		description: `ETNA's internal IDs of the trading accounts to watch, separated by commas (whole numbers from 1 to ${MAX_ACCOUNT_ID})`,
		hint: `At most ${MAX_WATCHED_ACCOUNTS}; to watch every account, turn on All Accounts.`,
		displayOptions: { show: { event: ['newTransaction'], allAccounts: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any', description: 'Money in and out' },
					{ name: 'In', value: 'in', description: 'Rows whose Value is above 0' },
					{ name: 'Out', value: 'out', description: 'Rows whose Value is below 0' },
				],
				default: 'any',
				displayOptions: { show: { '/event': ['newTransaction'] } },
			},
			{
				displayName: 'Start After ID',
				name: 'startAfterId',
				type: 'number',
				default: 0,
				description:
					'On the first activation, emit every event whose ID is above this one, instead of starting from now (0: start from now)',
			},
			{
				displayName: 'Types',
				name: 'types',
				type: 'multiOptions',
				options: LEDGER_TYPES.map((type) => ({
					name: LEDGER_TYPE_NAMES[type],
					value: type,
					description: `ETNA's Type ${type}`,
				})).sort((left, right) => left.name.localeCompare(right.name)),
				default: [],
				description: 'The ledger Types to keep; all when none is chosen',
				displayOptions: { show: { '/event': ['newTransaction'] } },
			},
		],
	},
];
