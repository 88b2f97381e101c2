// The trigger's parameters, read and checked before any request: a value the trigger cannot
// honour (an unknown Type or Direction from an expression, a bad Account ID) fails the
// activation with a message naming it, never a wider or narrower watch than the user set.
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { checkAccountId, problemMessage } from '../EtnaTrader/helpers/validation';
import { filterOn } from '../EtnaTrader/transport';
import { LEDGER_TYPES, MAX_WATCHED_ACCOUNTS } from './description';

export type TriggerEvent = 'newTransaction' | 'newAccount';

export type Direction = 'any' | 'in' | 'out';

/** Which ledger rows are events: the Types (all when none) and the sign of Value. */
export interface Narrowing {
	types: string[];
	direction: Direction;
}

export interface Settings {
	event: TriggerEvent;
	/** New Transaction: every account the credential can list, instead of `accountIds`. */
	allAccounts: boolean;
	/** New Transaction without All Accounts: the accounts watched, in the order given. */
	accountIds: number[];
	narrowing: Narrowing;
	/** On the first activation, the events above this Id instead of from now. */
	startAfterId?: number;
}

const DIRECTIONS: readonly Direction[] = ['any', 'in', 'out'];

function refuse(context: IPollFunctions, message: string): never {
	throw new NodeOperationError(context.getNode(), message);
}

/** Types as the editor gives them (a list) or an expression may (a list, or text with commas). */
function readTypes(context: IPollFunctions, given: unknown): string[] {
	if (given === undefined || given === null || given === '') return [];
	const parts =
		typeof given === 'string' ? given.split(',') : Array.isArray(given) ? given : [given];
	const types: string[] = [];
	for (const part of parts) {
		const text = typeof part === 'string' ? part.trim() : JSON.stringify(part);
		if (text === '') continue;
		const known = LEDGER_TYPES.find((type) => type.toLowerCase() === text.toLowerCase());
		if (!known) {
			refuse(
				context,
				`Types: "${text}" is not an ETNA ledger Type. Use one of ${LEDGER_TYPES.join(', ')}, or none for all.`,
			);
		}
		if (!types.includes(known)) types.push(known);
	}
	return types;
}

function readDirection(context: IPollFunctions, given: unknown): Direction {
	if (given === undefined || given === null || given === '') return 'any';
	const text = typeof given === 'string' ? given.trim().toLowerCase() : '';
	const direction = DIRECTIONS.find((known) => known === text);
	if (!direction) {
		refuse(
			context,
			`Direction: "${typeof given === 'string' ? given : JSON.stringify(given)}" is not one of any, in, out.`,
		);
	}
	return direction;
}

function readStartAfterId(context: IPollFunctions, given: unknown): number | undefined {
	if (given === undefined || given === null || given === '' || given === 0) return undefined;
	const id = typeof given === 'string' ? Number(given.trim()) : given;
	if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
		refuse(
			context,
			`Start After ID: "${String(given)}" is not a whole number of 0 or more (0: start from now).`,
		);
	}
	return id === 0 ? undefined : id;
}

function readAccountIds(context: IPollFunctions): number[] {
	const given = String(context.getNodeParameter('accountIds', '') ?? '');
	const parts = given
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
	if (parts.length === 0) {
		refuse(
			context,
			'Account IDs is empty: name at least one trading account to watch, e.g. 1001, 1002, or turn on All Accounts',
		);
	}
	const accountIds: number[] = [];
	for (const part of parts) {
		const checked = checkAccountId(part);
		if (!checked.ok) refuse(context, problemMessage(checked.problem));
		if (!accountIds.includes(checked.value)) accountIds.push(checked.value);
	}
	if (accountIds.length > MAX_WATCHED_ACCOUNTS) {
		refuse(
			context,
			`Account IDs names ${accountIds.length} accounts: one trigger watches at most ${MAX_WATCHED_ACCOUNTS} by ID. Turn on All Accounts to watch every account, or split them over several triggers.`,
		);
	}
	return accountIds;
}

export function readSettings(context: IPollFunctions): Settings {
	const event = context.getNodeParameter('event', 'newTransaction') as TriggerEvent;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const startAfterId = readStartAfterId(context, options.startAfterId);
	if (event === 'newAccount') {
		return {
			event,
			allAccounts: false,
			accountIds: [],
			narrowing: { types: [], direction: 'any' },
			startAfterId,
		};
	}
	const narrowing = {
		types: readTypes(context, options.types),
		direction: readDirection(context, options.direction),
	};
	const allAccounts = context.getNodeParameter('allAccounts', false);
	if (typeof allAccounts !== 'boolean') {
		refuse(context, `All Accounts: "${String(allAccounts)}" is not true or false.`);
	}
	const accountIds = allAccounts ? [] : readAccountIds(context);
	return { event, allAccounts, accountIds, narrowing, startAfterId };
}

/** The narrowing as the state keeps it, to tell when it changed: e.g. "in:Commission,Payment". */
export function fingerprintOf(narrowing: Narrowing): string {
	return `${narrowing.direction}:${[...narrowing.types].sort().join(',')}`;
}

export function narrowingOf(fingerprint: string): Narrowing {
	const [direction, types = ''] = fingerprint.split(':');
	return {
		direction: DIRECTIONS.find((known) => known === direction) ?? 'any',
		types: types === '' ? [] : types.split(','),
	};
}

/** The rows both narrowings keep; undefined when none. */
export function bothOf(one: Narrowing, other: Narrowing): Narrowing | undefined {
	const types =
		one.types.length === 0
			? other.types
			: other.types.length === 0
				? one.types
				: one.types.filter((type) => other.types.includes(type));
	if (one.types.length > 0 && other.types.length > 0 && types.length === 0) return undefined;
	const directions = [one.direction, other.direction].filter((direction) => direction !== 'any');
	if (directions.length === 2 && directions[0] !== directions[1]) return undefined;
	return { types, direction: directions[0] ?? 'any' };
}

/** ETNA's filter conditions for the narrowing, applied on ETNA's side. */
export function conditionsOf(narrowing: Narrowing): string[] {
	const conditions: string[] = [];
	if (narrowing.types.length > 0) conditions.push(filterOn.typeIn(narrowing.types));
	if (narrowing.direction !== 'any') conditions.push(filterOn.valueSign(narrowing.direction));
	return conditions;
}
