// Ways the sandbox can be told to misbehave, and which requests each applies to.

/** The API's endpoints, as a fault rule names them (the node's routes table uses the same names). */
export const SANDBOX_ENDPOINTS = [
	'token',
	'list',
	'account',
	'info',
	'transactions',
	'withdrawal',
	'deposit',
	'users',
	'user',
	'createUser',
	'updateUser',
	'userAccounts',
	'createAccount',
	'updateAccount',
	'accountUsers',
	'addUser',
	'removeUser',
	'positions',
	'position',
	'orders',
	'order',
] as const;

export type SandboxEndpoint = (typeof SANDBOX_ENDPOINTS)[number];

export type Fault =
	/**
	 * Answer with this status, body and headers instead of doing the work (or after it, with
	 * afterProcessing: money moved, then e.g. a 500). Headers express a 429 or 503 Retry-After.
	 */
	| {
			kind: 'status';
			status: number;
			body?: unknown;
			headers?: Record<string, string>;
			afterProcessing?: boolean;
	  }
	/** Wait, then handle the request normally: a slow API whose answer may come after the client gave up. */
	| { kind: 'delay'; ms: number }
	/** Never answer; with afterProcessing, do the work first (money moved, answer never came). */
	| { kind: 'hang'; afterProcessing?: boolean }
	/** Drop the connection, before the work or after it (money moved, answer lost). */
	| { kind: 'reset'; afterProcessing?: boolean }
	/** Do the work, then answer 200 with a body that is not JSON. */
	| { kind: 'malformedJson' }
	/** Answer with a redirect elsewhere, doing nothing. */
	| { kind: 'redirect'; location: string; status?: number }
	/**
	 * Refuse with this status, quoting back every secret the request carried (app key, token,
	 * username, password, PIN), as a careless server might: for the leak tests.
	 */
	| { kind: 'echoSecrets'; status: number };

export interface FaultRule {
	fault: Fault;
	/** Only requests about this trading account; any API request when absent. */
	accountId?: number;
	/** Only requests to this endpoint; any endpoint when absent (e.g. break 1001's withdrawal only). */
	endpoint?: SandboxEndpoint;
	/** How many requests it applies to; every one when absent. */
	times?: number;
	/** How many matching requests it lets through untouched first (e.g. a login's second step). */
	skip?: number;
}

/** What a request is about, for picking the fault that applies to it. */
export interface FaultTarget {
	accountId?: number;
	endpoint?: SandboxEndpoint;
}

/** Whether the request is handled (money moved) before the fault shows. */
export function processesFirst(fault: Fault): boolean {
	switch (fault.kind) {
		case 'malformedJson':
			return true;
		case 'status':
		case 'hang':
		case 'reset':
			return fault.afterProcessing === true;
		default:
			return false;
	}
}

const FAULT_KINDS = new Set([
	'status',
	'delay',
	'hang',
	'reset',
	'malformedJson',
	'redirect',
	'echoSecrets',
]);

/** Why a value (JSON sent to the control endpoint) is not a FaultRule; undefined when it is one. */
export function faultRuleProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null) return 'a fault rule is an object';
	const rule = value as Record<string, unknown>;
	const fault = rule.fault as Record<string, unknown> | null | undefined;
	if (typeof fault !== 'object' || fault === null || !FAULT_KINDS.has(String(fault.kind))) {
		return `fault.kind must be one of ${[...FAULT_KINDS].join(', ')}`;
	}
	if (
		(fault.kind === 'status' || fault.kind === 'echoSecrets') &&
		typeof fault.status !== 'number'
	) {
		return 'fault.status must be a number';
	}
	if (fault.kind === 'delay' && typeof fault.ms !== 'number') return 'fault.ms must be a number';
	if (fault.kind === 'redirect' && typeof fault.location !== 'string') {
		return 'fault.location must be a string';
	}
	if (
		rule.endpoint !== undefined &&
		!(SANDBOX_ENDPOINTS as readonly string[]).includes(String(rule.endpoint))
	) {
		return `endpoint must be one of ${SANDBOX_ENDPOINTS.join(', ')}`;
	}
	for (const key of ['accountId', 'times', 'skip'] as const) {
		if (rule[key] !== undefined && typeof rule[key] !== 'number') return `${key} must be a number`;
	}
	return undefined;
}

/** The fault rules in force, first added first applied. */
export class FaultBook {
	private rules: FaultRule[] = [];

	add(rule: FaultRule): void {
		this.rules.push({ ...rule });
	}

	clear(): void {
		this.rules = [];
	}

	list(): FaultRule[] {
		return this.rules.map((rule) => ({ ...rule }));
	}

	/** The fault for this request, if any, counting it against the rule's `times`. */
	take({ accountId, endpoint }: FaultTarget): Fault | undefined {
		const rule = this.rules.find(
			(candidate) =>
				(candidate.accountId === undefined || candidate.accountId === accountId) &&
				(candidate.endpoint === undefined || candidate.endpoint === endpoint),
		);
		if (!rule) return undefined;
		if (rule.skip !== undefined && rule.skip > 0) {
			rule.skip -= 1;
			return undefined;
		}
		if (rule.times !== undefined) {
			rule.times -= 1;
			if (rule.times <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
		}
		return rule.fault;
	}
}
