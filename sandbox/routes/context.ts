// What every API route is given: the state, the adjustable settings, and the request.
import type { IncomingMessage } from 'node:http';

import { refusal, type ApiAnswer } from '../http';
import type { SandboxModel, TradingAccount } from '../model';

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
