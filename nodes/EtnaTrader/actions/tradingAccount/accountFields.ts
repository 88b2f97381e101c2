// A trading account's settings as the editor offers them and as ETNA names them
// (AccountEditableModel), checked and mapped in one place for Create and Update. Money and limit
// fields (Cash, BaseCash, buying power, calls, interest rates...) are never offered: money moves
// only through Withdraw and Deposit, with their rails.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	allChecked,
	checkBoolean,
	checkLevel,
	checkOneOf,
	checkOptionalText,
	mapChecked,
	type Checked,
} from '../../helpers/validation';

export const MARGIN_TYPES = ['Cash', 'Margin', 'DayTrader', 'MarginIra'] as const;
const STATUSES = ['New', 'SentToClearing', 'Approved', 'Rejected'] as const;
const OWNER_TYPES = [
	'IndividualCustomer',
	'InstitutionalCustomer',
	'Combined',
	'EmployeeAccount',
	'MarketMaking',
	'OtherProprietary',
	'Unknown',
	'ErrorAccount',
] as const;
const PERMISSIONS = [
	'AllowMargin',
	'AllowOpen',
	'AllowTrade',
	'LongOption',
	'LongStock',
	'ShortOption',
	'ShortStock',
] as const;

/** ETNA's words, spaced for the editor: "DayTrader" reads "Day Trader". */
function spaced(value: string): string {
	return value.replace(/([a-z])([A-Z])/g, '$1 $2');
}

export const marginTypeField: INodeProperties = {
	displayName: 'Margin Type',
	name: 'marginType',
	type: 'options',
	options: [
		{ name: 'Cash', value: 'Cash' },
		{ name: 'Day Trader', value: 'DayTrader' },
		{ name: 'Margin', value: 'Margin' },
		{ name: 'Margin IRA', value: 'MarginIra' },
	],
	default: 'Cash',
	description: "The account's type (ETNA's MarginType)",
};

/** The settings a workflow may set, in n8n's A-Z order (no money, no limits). */
export function accountFieldOptions(withMarginType: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Clearing Firm',
			name: 'clearingFirm',
			type: 'string',
			default: '',
			description: 'The clearing firm that handles the account',
		},
		{
			displayName: 'Commission Plan',
			name: 'commissionPlan',
			type: 'string',
			default: '',
			description: 'The commission plan, as the clearing firm names it',
		},
		{
			displayName: 'Enabled',
			name: 'enabled',
			type: 'boolean',
			default: true,
			description: 'Whether the account may be used',
		},
		...(withMarginType ? [marginTypeField] : []),
		{
			displayName: 'Option Level',
			name: 'optionLevel',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Which operations with options the account may make',
		},
		{
			displayName: 'Owner Type',
			name: 'ownerType',
			type: 'options',
			options: [...OWNER_TYPES].sort().map((value) => ({ name: spaced(value), value })),
			default: 'IndividualCustomer',
		},
		{
			displayName: 'Permissions',
			name: 'permissions',
			type: 'multiOptions',
			options: PERMISSIONS.map((value) => ({ name: spaced(value), value })),
			default: [],
			description:
				'What the account may do. Sent as the whole set: the ones not chosen are taken away.',
		},
		{
			displayName: 'Rep Code',
			name: 'repCode',
			type: 'string',
			default: '',
			description: 'The commission-related code, as the clearing firm gives it',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: STATUSES.map((value) => ({ name: spaced(value), value })),
			default: 'New',
			description: 'Where the account stands: New, Sent To Clearing, then Approved or Rejected',
		},
	];
}

function checkPermissions(given: unknown): Checked<string> {
	const list = Array.isArray(given)
		? given
		: typeof given === 'string'
			? given.split(',')
			: undefined;
	const flags = list
		?.map((flag) => (typeof flag === 'string' ? flag.trim() : flag))
		.filter((flag) => flag !== '');
	const valid = flags?.every((flag) => PERMISSIONS.some((known) => known === flag));
	if (!flags || !valid) {
		return {
			ok: false,
			problem: {
				field: 'permissions',
				label: 'Permissions',
				given,
				rule: `be a list of ${PERMISSIONS.join(', ')}`,
			},
		};
	}
	// ETNA answers its flags comma-joined, and reads them so.
	return { ok: true, value: flags.length ? flags.join(', ') : 'Empty' };
}

const FIELD_CHECKS: Record<string, { etna: string; check: (given: unknown) => Checked<unknown> }> =
	{
		clearingFirm: {
			etna: 'ClearingFirm',
			check: (given) => checkOptionalText(given, 'clearingFirm', 'Clearing Firm'),
		},
		commissionPlan: {
			etna: 'CommissionPlan',
			check: (given) => checkOptionalText(given, 'commissionPlan', 'Commission Plan'),
		},
		enabled: { etna: 'Enabled', check: (given) => checkBoolean(given, 'enabled', 'Enabled') },
		marginType: {
			etna: 'MarginType',
			check: (given) => checkOneOf(given, 'marginType', 'Margin Type', MARGIN_TYPES),
		},
		optionLevel: {
			etna: 'OptionLevel',
			check: (given) => checkLevel(given, 'optionLevel', 'Option Level'),
		},
		ownerType: {
			etna: 'OwnerType',
			check: (given) => checkOneOf(given, 'ownerType', 'Owner Type', OWNER_TYPES),
		},
		permissions: { etna: 'Permissions', check: checkPermissions },
		repCode: { etna: 'RepCode', check: (given) => checkOptionalText(given, 'repCode', 'Rep Code') },
		status: { etna: 'Status', check: (given) => checkOneOf(given, 'status', 'Status', STATUSES) },
	};

/** The settings the user set, checked and named as ETNA names them; anything else is refused. */
export function accountChangesOf(fields: Record<string, unknown>): Checked<IDataObject> {
	const checks: Record<string, Checked<unknown>> = {};
	for (const [name, given] of Object.entries(fields)) {
		const known = FIELD_CHECKS[name];
		checks[name] = known
			? known.check(given)
			: {
					ok: false,
					problem: {
						field: name,
						label: name,
						given,
						rule: 'be one of the fields the node offers',
					},
				};
	}
	return mapChecked(allChecked(checks), (values) => {
		const changes: IDataObject = {};
		for (const [name, value] of Object.entries(values)) {
			changes[FIELD_CHECKS[name].etna] = (value ?? '') as IDataObject[string];
		}
		return changes;
	});
}
