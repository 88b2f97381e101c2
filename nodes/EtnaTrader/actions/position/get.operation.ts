import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	allChecked,
	checkAccountId,
	checkOptionalText,
	checkSymbol,
} from '../../helpers/validation';
import { accountIdField, fieldsOption, timeoutOption } from '../shared/descriptions';
import { parameterOf } from '../shared/items';
import { readEach, type Read } from '../shared/readEach';
import { readList } from '../shared/records';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['position'], operation: ['get'] } },
	[
		accountIdField('whose position to read'),
		{
			displayName: 'Symbol',
			name: 'symbol',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. AAPL',
			description: 'The ticker symbol of the security',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				{
					displayName: 'Currency',
					name: 'currency',
					type: 'string',
					default: '',
					placeholder: 'e.g. USD',
					description: 'Only the security in this currency, when two share the symbol',
				},
				{
					displayName: 'Exchange',
					name: 'exchange',
					type: 'string',
					default: '',
					placeholder: 'e.g. NASDAQ',
					description: 'Only the security listed on this exchange, when two share the symbol',
				},
				fieldsOption,
				timeoutOption,
			],
		},
	],
);

interface PositionPlan {
	accountId: number;
	symbol: string;
	currency?: string;
	exchange?: string;
}

/** GET /accounts/{id}/positions/{symbol}: one item per position ETNA lists (none when none is held). */
const position: Read<Record<string, unknown>, PositionPlan> = {
	read: (context, itemIndex, options) => ({
		accountId: parameterOf(context, 'accountId', itemIndex),
		symbol: parameterOf(context, 'symbol', itemIndex),
		currency: options.currency,
		exchange: options.exchange,
	}),
	check: (given) =>
		allChecked({
			accountId: checkAccountId(given.accountId),
			symbol: checkSymbol(given.symbol),
			currency: checkOptionalText(given.currency, 'currency', 'Currency'),
			exchange: checkOptionalText(given.exchange, 'exchange', 'Exchange'),
		}),
	shown: (given) => ({ accountId: given.accountId, symbol: given.symbol }),
	async run(context, connection, { accountId, symbol, currency, exchange, timeoutMs }) {
		const read = await readList(context, connection, 'position', {
			params: { accountId, symbol },
			query: { ...(currency ? { currency } : {}), ...(exchange ? { exchange } : {}) },
			timeoutMs,
		});
		if (read.ok) return { ok: true, records: read.value, added: { accountId } };
		return {
			ok: false,
			reply: read.reply,
			subject: { kind: 'read', what: `the ${symbol} position of account ${accountId}`, accountId },
		};
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEach.call(this, position);
}
