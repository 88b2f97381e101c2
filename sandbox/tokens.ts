// The tokens the sandbox issued, and the policy that decides when each stops working.
// The policy is read when a token is checked, so switching it on mid-test affects tokens
// already issued (uses and age count from the moment each token was issued).
import type { SandboxClock } from './clock';
import type { Role } from './records';

export interface TokenPolicy {
	/** API requests a token may authenticate; the next one gets 401. Unlimited when absent. */
	maxUses?: number;
	/** How long a token works after it was issued. ETNA's 24 hours when absent. */
	lifetimeMs?: number;
}

export interface IssuedToken {
	username: string;
	role: Role;
	/** When it stops working under the policy in force now (0 once expired by hand). */
	expiresAt: number;
	/** An interim token of a two-factor login: only good for the second /token call. */
	interim: boolean;
	issuedAt: number;
	/** API requests it authenticated so far. */
	uses: number;
}

export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface TokenRecord {
	username: string;
	role: Role;
	interim: boolean;
	issuedAt: number;
	uses: number;
	revoked: boolean;
}

/** Why a value is not a TokenPolicy, or undefined when it is one (a control endpoint takes JSON). */
export function tokenPolicyProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return 'a token policy is an object such as {"maxUses": 3, "lifetimeMs": 60000}';
	}
	for (const [key, setting] of Object.entries(value)) {
		if (key !== 'maxUses' && key !== 'lifetimeMs') return `unknown token policy field ${key}`;
		if (setting === undefined) continue;
		if (typeof setting !== 'number' || !Number.isInteger(setting) || setting < 0) {
			return `${key} must be a whole number of at least 0`;
		}
	}
	return undefined;
}

type SpelledOutPolicy = TokenPolicy & { lifetimeMs: number };

/** A checked copy that spells the lifetime out, so reading the policy tells it. */
function normalizedPolicy(policy: TokenPolicy): SpelledOutPolicy {
	const problem = tokenPolicyProblem(policy);
	if (problem) throw new RangeError(`Invalid sandbox token policy: ${problem}`);
	return {
		...(policy.maxUses !== undefined ? { maxUses: policy.maxUses } : {}),
		lifetimeMs: policy.lifetimeMs ?? TOKEN_LIFETIME_MS,
	};
}

export class TokenStore {
	private readonly records = new Map<string, TokenRecord>();

	private readonly startPolicy: SpelledOutPolicy;

	private current: SpelledOutPolicy;

	constructor(
		startPolicy: TokenPolicy,
		private readonly clock: SandboxClock,
	) {
		this.startPolicy = normalizedPolicy(startPolicy);
		this.current = this.startPolicy;
	}

	/** A copy, lifetimeMs always spelled out: change the policy by assigning a new one. */
	get policy(): TokenPolicy {
		return { ...this.current };
	}

	set policy(policy: TokenPolicy) {
		this.current = normalizedPolicy(policy);
	}

	register(token: string, username: string, role: Role, interim: boolean): void {
		this.records.set(token, {
			username,
			role,
			interim,
			issuedAt: this.clock.now(),
			uses: 0,
			revoked: false,
		});
	}

	/** The token if it still works, without counting a use (the two-factor step reads it so). */
	lookup(token: string): IssuedToken | undefined {
		const record = this.records.get(token);
		if (!record) return undefined;
		const expiresAt = record.revoked ? 0 : record.issuedAt + this.current.lifetimeMs;
		const usedUp = this.current.maxUses !== undefined && record.uses >= this.current.maxUses;
		if (expiresAt <= this.clock.now() || usedUp) return undefined;
		const { username, role, interim, issuedAt, uses } = record;
		return { username, role, interim, issuedAt, uses, expiresAt };
	}

	/** The token if it still works, counting this API request as one of its uses. */
	use(token: string): IssuedToken | undefined {
		const issued = this.lookup(token);
		const record = this.records.get(token);
		if (!issued || !record) return undefined;
		record.uses += 1;
		return { ...issued, uses: record.uses };
	}

	expireAll(): void {
		for (const record of this.records.values()) record.revoked = true;
	}

	/** Forgets every token and goes back to the policy the sandbox started with. */
	reset(): void {
		this.records.clear();
		this.current = this.startPolicy;
	}
}
