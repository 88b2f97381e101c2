// The sandbox's state: companies' app keys, users, tokens and trading accounts.
// Kept apart from the HTTP layer so tests can read and set balances directly.
import { randomBytes } from 'node:crypto';

export type Role = 'admin' | 'user';

export interface SandboxUser {
	username: string;
	password: string;
	role: Role;
	/** A user with two-factor authentication: /token first answers 202 and wants this code. */
	verificationCode?: string;
}

export interface TradingAccount {
	Id: number;
	ClearingAccount: string;
	Enabled: boolean;
	/** Cash in cents, so balances never drift by float rounding. */
	cashCents: number;
	Currency: string;
	Status: 'New' | 'SentToClearing' | 'Approved' | 'Rejected';
	MarginType: string;
	CreatedDate: string;
	ModifiedDate: string;
}

export interface IssuedToken {
	username: string;
	role: Role;
	expiresAt: number;
	/** An interim token of a two-factor login: only good for the second /token call. */
	interim: boolean;
}

export const SANDBOX_APP_KEY = 'sandbox-app-key';

export const DEFAULT_USERS: readonly SandboxUser[] = [
	{ username: 'admin', password: 'admin-password', role: 'admin' },
	{ username: 'trader', password: 'trader-password', role: 'user' },
	{
		username: 'admin2fa',
		password: 'admin2fa-password',
		role: 'admin',
		verificationCode: '123456',
	},
];

const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface AccountSeed {
	id: number;
	cash: number;
	enabled?: boolean;
}

export const DEFAULT_ACCOUNTS: readonly AccountSeed[] = [
	{ id: 1001, cash: 100000 },
	{ id: 1002, cash: 2500 },
	{ id: 1003, cash: 50000 },
	{ id: 1004, cash: 750.5 },
	{ id: 1005, cash: 0, enabled: false },
];

function makeAccount(seed: AccountSeed): TradingAccount {
	const created = '2024-01-02T09:30:00Z';
	return {
		Id: seed.id,
		ClearingAccount: `SBX${String(seed.id).padStart(6, '0')}`,
		Enabled: seed.enabled ?? true,
		cashCents: Math.round(seed.cash * 100),
		Currency: 'USD',
		Status: 'Approved',
		MarginType: 'Cash',
		CreatedDate: created,
		ModifiedDate: created,
	};
}

export interface SandboxModelOptions {
	appKeys?: string[];
	users?: SandboxUser[];
	accounts?: AccountSeed[];
	tokenLifetimeMs?: number;
}

export class SandboxModel {
	readonly appKeys: Set<string>;

	readonly users: Map<string, SandboxUser>;

	readonly accounts = new Map<number, TradingAccount>();

	private readonly tokens = new Map<string, IssuedToken>();

	tokenLifetimeMs: number;

	private readonly accountSeeds: AccountSeed[];

	constructor(options: SandboxModelOptions = {}) {
		this.appKeys = new Set(options.appKeys ?? [SANDBOX_APP_KEY]);
		this.users = new Map((options.users ?? DEFAULT_USERS).map((user) => [user.username, user]));
		this.tokenLifetimeMs = options.tokenLifetimeMs ?? TOKEN_LIFETIME_MS;
		this.accountSeeds = [...(options.accounts ?? DEFAULT_ACCOUNTS)];
		this.resetAccounts();
	}

	resetAccounts(): void {
		this.accounts.clear();
		for (const seed of this.accountSeeds) this.accounts.set(seed.id, makeAccount(seed));
	}

	reset(): void {
		this.resetAccounts();
		this.tokens.clear();
	}

	/** Mints a token as POST /token would; tests use it to skip the login dance. */
	issueToken(username: string, interim = false): string {
		return this.registerToken(randomBytes(24).toString('base64url'), username, interim);
	}

	/** Accepts a token chosen elsewhere (the demo keeps one across restarts). */
	registerToken(token: string, username: string, interim = false): string {
		const user = this.users.get(username);
		if (!user) throw new Error(`Unknown sandbox user ${username}`);
		this.tokens.set(token, {
			username,
			role: user.role,
			expiresAt: Date.now() + this.tokenLifetimeMs,
			interim,
		});
		return token;
	}

	lookupToken(token: string): IssuedToken | undefined {
		const issued = this.tokens.get(token);
		if (!issued || issued.expiresAt <= Date.now()) return undefined;
		return issued;
	}

	expireAllTokens(): void {
		for (const issued of this.tokens.values()) issued.expiresAt = 0;
	}

	cashOf(accountId: number): number {
		const account = this.accounts.get(accountId);
		if (!account) throw new Error(`Unknown sandbox account ${accountId}`);
		return account.cashCents / 100;
	}

	setCash(accountId: number, cash: number): void {
		const account = this.accounts.get(accountId);
		if (!account) throw new Error(`Unknown sandbox account ${accountId}`);
		account.cashCents = Math.round(cash * 100);
	}
}

/** The account as the API shows it (cash in dollars, buying power derived from it). */
export function publicAccount(account: TradingAccount): Record<string, unknown> {
	const cash = account.cashCents / 100;
	return {
		Id: account.Id,
		ClearingAccount: account.ClearingAccount,
		Enabled: account.Enabled,
		Cash: cash,
		Currency: account.Currency,
		Status: account.Status,
		MarginType: account.MarginType,
		DayTradingBuyingPower: cash,
		CreatedDate: account.CreatedDate,
		ModifiedDate: account.ModifiedDate,
	};
}
