// Fields several operations show, built once (as n8n-nodes-starter's shared/descriptions.ts).
import type { INodeProperties } from 'n8n-workflow';

import { KEYS_KEPT } from '../../helpers/idempotency';
import {
	DEFAULT_TIMEOUT_MS,
	formatFigure,
	MAX_ACCOUNT_ID,
	MAX_CONCURRENCY,
	MAX_TIMEOUT_MS,
} from '../../helpers/validation';

/** Account ID, described for what the operation does with the account. */
export function accountIdField(purpose: string): INodeProperties {
	return {
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1001',
		description: `ETNA's internal ID of the trading account ${purpose}: a whole number (from 1 to ${formatFigure(MAX_ACCOUNT_ID)}), not the client's account number (ETNA's Clearing Account)`,
	};
}

/** Amount: empty until the user fills it, so a stray Execute step cannot move any sum. */
export function amountField(purpose: string): INodeProperties {
	return {
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: null,
		placeholder: 'e.g. 250.00',
		// No numberPrecision or minValue: n8n's editor would round 1.005 to 1.01, or lift -5 to
		// 0.01, and that sum would move. The node's own check refuses such a value instead.
		description: `Amount in USD ${purpose}: above 0, at most 2 decimal places. Anything else is refused before a request is made.`,
	};
}

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_MS },
	default: DEFAULT_TIMEOUT_MS,
	description:
		'How long to wait for each answer from ETNA, in milliseconds. A money request that gets no answer in time has an unknown outcome and is not sent again.',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: 1,
	description:
		'How many requests may be in flight at once. Never two for the same account; the output keeps the order of the input.',
};

/** An agent's tool answers in the model's context: a list it reads is kept this short by default. */
export const TOOL_DEFAULT_LIMIT = 10;

const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false], '@tool': [false] } },
};

/**
 * Return All and Limit, as n8n's own list operations have them. As an AI Agent's tool (`@tool`:
 * the tool n8n generates) Limit starts at 10, so one answer does not fill the model's context.
 * n8n's lint asks every Limit to start at 50 (right for a workflow), so the tool's Limit is
 * written as the node's with what differs, not as a literal the rule would refuse.
 */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	limitField,
	{
		...limitField,
		default: TOOL_DEFAULT_LIMIT,
		description: `Max number of results to return (${TOOL_DEFAULT_LIMIT} by default as an AI Agent's tool, to keep its answer small for the model)`,
		displayOptions: { show: { returnAll: [false], '@tool': [true] } },
	},
];

/** The optional settings of an operation: n8n's "Add option" collection named `options`. */
function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** Fields: the one home of the option every Get and Get Many has (picked in readEach.ts). */
export const fieldsOption: INodeProperties = {
	displayName: 'Fields',
	name: 'fields',
	type: 'string',
	default: '',
	placeholder: 'e.g. ClearingAccount, Cash',
	description:
		"Return only these of ETNA's fields: their names as ETNA spells them (case counts), separated by commas. A field a record does not have is left out, not added empty. The fields the node adds (such as accountId) always stay. Empty returns every field.",
};

/** Fields, filter and sort for ETNA's list endpoints, with examples in ETNA's own filter syntax. */
export function listOptions(filterExample: string, sortExample: string): INodeProperties {
	return optionsCollection([
		fieldsOption,
		{
			displayName: 'Filter',
			name: 'filter',
			type: 'string',
			default: '',
			placeholder: `e.g. ${filterExample}`,
			description:
				"ETNA's filter syntax: Field op value, joined with and. Ops: =, &lt;, &gt;, &lt;=, &gt;=, in (...), between a and b, contains, startsWith, endsWith. Strings in single quotes, dates between # signs.",
		},
		{
			displayName: 'Sort By',
			name: 'sortBy',
			type: 'string',
			default: '',
			placeholder: `e.g. ${sortExample}`,
			description: 'The field to sort by, as ETNA names it',
		},
		{
			displayName: 'Sort Descending',
			name: 'sortDescending',
			type: 'boolean',
			default: false,
			description: 'Whether to sort from the highest value to the lowest',
		},
		timeoutOption,
	]);
}

/** The options of a read of one record or one route's list: Fields and the timeout. */
export const readOptions: INodeProperties = optionsCollection([fieldsOption, timeoutOption]);

/** Shown only on the tool n8n generates for AI Agents: what a money tool needs before it runs. */
export function humanReviewNotice(operation: 'Withdraw' | 'Deposit'): INodeProperties {
	return {
		displayName: `As an AI Agent's tool, ${operation} runs only after a person approves the call: connect this tool to a human review tool ('Send and Wait' of Email, Gmail, Slack, Telegram, Discord, Google Chat, Microsoft Teams, Outlook or WhatsApp, added as a tool) that connects to the agent (version 3 or later). Set a Maximum Amount in Options.`,
		name: 'humanReviewNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@tool': [true] } },
	};
}

/** The options of Withdraw and Deposit: safety rails first (all off by default), in n8n's A-Z order. */
export function moneyOptions(noun: 'withdrawal' | 'deposit'): INodeProperties {
	const withdrawalOnly: INodeProperties[] =
		noun === 'withdrawal'
			? [
					{
						displayName: 'Require Withdrawable Funds',
						name: 'requireSufficientCash',
						type: 'boolean',
						default: false,
						description:
							"Whether to read the account's balance first and send nothing when what it may withdraw now (ETNA's excess, not its cash) is below the amount. A check, not a lock: money can still move between the check and the withdrawal.",
					},
				]
			: [];
	return optionsCollection([
		{
			displayName: 'Allow Without Human Review',
			name: 'allowWithoutHumanReview',
			type: 'boolean',
			default: false,
			description: `Whether an AI Agent may run this ${noun} with no human review step. Off: as an agent's tool, the ${noun} runs only after a person approves the call with the buttons of a human review tool between this tool and the agent, and is refused otherwise. Turn on only if your own process approves each call; set a Maximum Amount too.`,
			hint: 'Counts only as a fixed value: an expression here is refused, so a model cannot switch it on',
		},
		concurrencyOption,
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: `Whether to check and resolve everything and output the request each item would send, without sending any ${noun}`,
		},
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.body.payoutId }}',
			description: `The sender's own ID of this request, the same on every retry of it. The first item with a key is sent; a later item with the same key (a retried webhook, a re-run, another worker) is not, and goes out with duplicate: true and what became of the first. A key whose ${noun} certainly moved no money is released, so a corrected retry is sent.`,
			hint: `Kept per workflow and node in n8n's database, the last ${KEYS_KEPT.toLocaleString('en-US')} keys`,
		},
		{
			displayName: 'Maximum Amount',
			name: 'maxAmount',
			type: 'number',
			// Empty means no limit. It was 0, which the check refuses (no working workflow holds it):
			// a workflow saved with 0 keeps refusing every item, as it did. Left as typed, like Amount.
			default: null,
			placeholder: 'e.g. 10000',
			description: `The largest ${noun} this node may make, in USD; empty means no limit. An item (or an AI Agent's call) above it is refused before any request. Recommended whenever an agent uses this node.`,
		},
		{
			displayName: 'Reconcile Unknown Outcomes',
			name: 'reconcileUnknown',
			type: 'boolean',
			default: false,
			description: `Whether to settle an unknown outcome (a timeout, a lost connection, a server error) from the account's ledger: a new payment of exactly this amount, made after the request was sent, counts as the ${noun}. Costs one ledger read per item, and one more per unknown outcome. The ${noun} itself is never sent twice.`,
		},
		...withdrawalOnly,
		{
			displayName: 'Skip If Already Paid Since',
			name: 'skipIfPaidSince',
			type: 'dateTime',
			default: '',
			description:
				"To re-run a sweep that stopped half-way: before sending, look in the account's ledger for a payment of exactly this amount made since this time (usually an expression such as the time the original run started). Each payment found excuses one item, which is not sent and goes out with skipped: true. Empty means off.",
		},
		timeoutOption,
		{
			displayName: 'Trust Approval in Chat',
			name: 'trustChatApproval',
			type: 'boolean',
			default: false,
			description: `Whether a yes in n8n's Chat review tool may approve this ${noun} as an AI Agent's tool. In a chat, the person who approves is the chat's user, who may be the one asking for the money: turn on only if everyone in your chat may approve payments.`,
			hint: 'Counts only as a fixed value, like Allow Without Human Review',
		},
	]);
}

/** User ID, described for what the operation does with the user. */
export function userIdField(purpose: string): INodeProperties {
	return {
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 7001',
		description: `ETNA's internal ID of the user ${purpose} (a whole number, the ID of Create User or Get Many users; not the Login)`,
	};
}

/** Shown only on the AI Agent's tool: a write of a user, an account or an access needs a person's yes. */
export function writeReviewNotice(operation: string): INodeProperties {
	return {
		displayName: `As an AI Agent's tool, ${operation} runs only after a person approves the call: connect this tool to a human review tool ('Send and Wait' of Email, Gmail, Slack, Telegram, Discord, Google Chat, Microsoft Teams, Outlook or WhatsApp, added as a tool) that connects to the agent (version 3 or later).`,
		name: 'humanReviewNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@tool': [true] } },
	};
}

/** Return Existing or Fail, for creates that a CRM retries or an operator re-runs. */
export function ifExistsOption(record: string, key: string): INodeProperties {
	return {
		displayName: 'If Exists',
		name: 'ifExists',
		type: 'options',
		options: [
			{
				name: 'Return Existing',
				value: 'returnExisting',
				description: `Output the ${record} ETNA already has with this ${key}, with existing: true, and create nothing`,
			},
			{
				name: 'Fail',
				value: 'fail',
				description: 'Fail the item, and create nothing',
			},
		],
		default: 'returnExisting',
		description: `What to do when ETNA already has a ${record} with this ${key} (looked up before creating, so a retried webhook or a re-run makes no second one)`,
	};
}

/**
 * The options of a write of a record (a user, an account, an access), in n8n's A-Z order: the
 * review rule's two switches, as Withdraw and Deposit have them, and the timeout; `extra` sorts
 * between Allow Without Human Review and Timeout (If Exists).
 */
export function writeOptions(what: string, extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection([
		{
			displayName: 'Allow Without Human Review',
			name: 'allowWithoutHumanReview',
			type: 'boolean',
			default: false,
			description: `Whether an AI Agent may ${what} with no human review step. Off: as an agent's tool, it runs only after a person approves the call with the buttons of a human review tool between this tool and the agent, and is refused otherwise. Turn on only if your own process approves each call.`,
			hint: 'Counts only as a fixed value: an expression here is refused, so a model cannot switch it on',
		},
		...extra,
		timeoutOption,
		{
			displayName: 'Trust Approval in Chat',
			name: 'trustChatApproval',
			type: 'boolean',
			default: false,
			description:
				"Whether a yes in n8n's Chat review tool may approve this as an AI Agent's tool. In a chat, the person who approves is the chat's user, who may be the one asking: turn on only if everyone in your chat may approve it.",
			hint: 'Counts only as a fixed value, like Allow Without Human Review',
		},
	]);
}
