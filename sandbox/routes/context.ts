// What every API route is given: the state, the adjustable settings, and the request.
import type { IncomingMessage } from 'node:http';

import { jsonBodyOf } from '../contract';
import { refusal, type ApiAnswer } from '../http';
import type { EtnaUser, SandboxModel, TradingAccount } from '../model';

export interface SandboxSettings {
	/** Added before every API answer, for benchmarks. */
	latencyMs: number;
	/** The most items one page holds, on the account list and the ledger. */
	maxPageSize: number;
}

/** Why a value cannot be that setting, or undefined when it can. */
export function settingProblem(name: keyof SandboxSettings, value: unknown): string | undefined {
	const least = name === 'maxPageSize' ? 1 : 0;
	if (typeof value === 'number' && Number.isInteger(value) && value >= least) return undefined;
	return `${name} must be a whole number of at least ${least}, not ${JSON.stringify(value)}`;
}

export interface SandboxContext {
	readonly model: SandboxModel;
	readonly settings: SandboxSettings;
	/** Where paged answers' links point: the sandbox's own origin. */
	readonly origin: string;
	/** Counts a POST /token that issued a full token. */
	countLogin(): void;
}

export interface ApiCall {
	request: IncomingMessage;
	method: string;
	url: URL;
	/** The path after /api, split: ['v1.0', 'accounts', '1001', 'withdrawal']. */
	segments: string[];
	/** The request body as received (JSON for the writes of users and accounts). */
	body: string;
}

export type RouteHandler = (context: SandboxContext, call: ApiCall) => ApiAnswer;

export const ACCOUNT_ID_SEGMENT = 2;

/** The account the path names, or the refusal ETNA gives: 422 for a bad id, 404 for none. */
export function accountOf(
	context: SandboxContext,
	call: ApiCall,
): { account: TradingAccount } | { refused: ApiAnswer } {
	const idSegment = call.segments[ACCOUNT_ID_SEGMENT] ?? '';
	if (!/^\d+$/.test(idSegment) || Number(idSegment) > 2147483647) {
		return { refused: refusal(422, `The value '${idSegment}' is not valid for accountId.`) };
	}
	const account = context.model.accounts.get(Number(idSegment));
	if (!account) return { refused: refusal(404, `Trading account ${idSegment} was not found.`) };
	return { account };
}

/** The user the path names at `segment`, or ETNA's refusal: 400 for an id that is not a number
 * (a Login, say), the documented 409 "User with specified id was not found" for none. */
export function userOf(
	context: SandboxContext,
	call: ApiCall,
	segment: number,
): { user: EtnaUser } | { refused: ApiAnswer } {
	const idSegment = call.segments[segment] ?? '';
	if (!/^\d+$/.test(idSegment) || Number(idSegment) > 2147483647) {
		return { refused: refusal(400, 'The request is invalid.') };
	}
	const user = context.model.directory.get(Number(idSegment));
	if (!user) return { refused: refusal(409, 'User with specified id was not found') };
	return { user };
}

/** The JSON body, or ETNA's 400 for one it cannot read. */
export function bodyOf(call: ApiCall): { body: Record<string, unknown> } | { refused: ApiAnswer } {
	const body = jsonBodyOf(call.body);
	return body ? { body } : { refused: refusal(400, 'The request is invalid.') };
}
