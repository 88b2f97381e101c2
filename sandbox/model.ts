// The sandbox's state: companies' app keys, logins, tokens, trading accounts and their ledger,
// ETNA's users and their access (directory.ts), positions and orders (holdings.ts). Kept apart
// from the HTTP layer so tests can read and set balances directly; it knows nothing of routes.
import { randomBytes } from 'node:crypto';

import { SandboxClock } from './clock';
import { Directory } from './directory';
import { Holdings } from './holdings';
import { etnaTimestamp, Ledger, type Transaction, type TransactionType } from './ledgerStore';
import {
	type AccountSettings,
	type AccountStatus,
	type SandboxUser,
	type TradingAccount,
} from './records';
import { accountSeeds, DEFAULT_ACCOUNTS, makeAccount, seedLedger, type AccountSeed } from './seed';
import { TOKEN_LIFETIME_MS, TokenStore, type IssuedToken, type TokenPolicy } from './tokens';

export { DEFAULT_ACCOUNTS, type AccountSeed } from './seed';
export type { Transaction, TransactionType } from './ledgerStore';
export type { IssuedToken, TokenPolicy } from './tokens';
export type { EtnaUser, Order, Position, Role, SandboxUser, TradingAccount } from './records';

/** What a create or a full PUT of an account writes (AccountEditableModel, cash in cents). */
export interface AccountWrite {
	ClearingAccount: string;
	Currency: string;
	Enabled: boolean;
	Status: AccountStatus;
	MarginType: string;
	cashCents: number;
	settings: AccountSettings;
}

/** GET /accounts/{id}/info: the balance, in dollars, lower camel case as ETNA writes it. */
export interface AccountInfo {
	cash: number;
	netCash: number;
	/** What may be withdrawn now: cash minus the margin held by positions. */
	excess: number;
	pendingCash: number;
	equityTotal: number;
	netLiquidity: number;
	stockBuyingPower: number;
	maintenanceMargin: number;
	marketValue: number;
	pendingOrdersCount: number;
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
	{
		username: 'adminpin',
		password: 'adminpin-password',
		role: 'admin',
		securityPin: '2468',
	},
];

export interface SandboxModelOptions {
	appKeys?: string[];
	users?: SandboxUser[];
	/** The accounts to start with; DEFAULT_ACCOUNTS (1001 to 1005) when absent. */
	accounts?: AccountSeed[];
	/**
	 * How many accounts in all, for a benchmark: the seeds above first, then generated ones with
	 * the next ids (1006, 1007, ... after the defaults) and deterministic cash.
	 */
	accountCount?: number;
	/** When tokens stop working; reset() comes back to it. 24 hours, unlimited uses when absent. */
	tokenPolicy?: TokenPolicy;
	/** The older way to set tokenPolicy.lifetimeMs (tokenPolicy wins when both are given). */
	tokenLifetimeMs?: number;
	/**
	 * The ledger Type a withdrawal or deposit made through the API is recorded under: `Payment`
	 * when absent. ETNA's docs do not say which Type a deployment gives it.
	 */
	paymentType?: TransactionType;
}

/** Positions are worth twice the margin they hold (50% initial margin, as Reg T). */
const MARGIN_RATE = 0.5;

export class SandboxModel {
	readonly appKeys: Set<string>;

	readonly users: Map<string, SandboxUser>;

	readonly accounts = new Map<number, TradingAccount>();

	/** ETNA's users and who may use which account. */
	readonly directory = new Directory();

	/** Positions and orders. */
	readonly holdings = new Holdings();

	private readonly tokens: TokenStore;

	private readonly ledger = new Ledger();

	private readonly accountSeeds: AccountSeed[];

	private readonly startPaymentType: TransactionType;

	/** The sandbox's time (payments' dates, tokens' ages): tests move it on instead of sleeping. */
	readonly clock = new SandboxClock();

	/** The Type API payments get from now on; reset() restores the start value. */
	paymentType: TransactionType;

	constructor(options: SandboxModelOptions = {}) {
		this.appKeys = new Set(options.appKeys ?? [SANDBOX_APP_KEY]);
		this.users = new Map((options.users ?? DEFAULT_USERS).map((user) => [user.username, user]));
		this.tokens = new TokenStore(
			{ lifetimeMs: options.tokenLifetimeMs, ...options.tokenPolicy },
			this.clock,
		);
		this.accountSeeds = accountSeeds(options.accounts ?? DEFAULT_ACCOUNTS, options.accountCount);
		this.startPaymentType = options.paymentType ?? 'Payment';
		this.paymentType = this.startPaymentType;
		this.resetAccounts();
	}

	/** When tokens stop working, read at each check: assigning one affects tokens already issued. */
	get tokenPolicy(): TokenPolicy {
		return this.tokens.policy;
	}

	set tokenPolicy(policy: TokenPolicy) {
		this.tokens.policy = policy;
	}

	get tokenLifetimeMs(): number {
		return this.tokens.policy.lifetimeMs ?? TOKEN_LIFETIME_MS;
	}

	set tokenLifetimeMs(lifetimeMs: number) {
		this.tokens.policy = { ...this.tokens.policy, lifetimeMs };
	}

	/** Balances, the ledger, users, access, positions and orders back to the start (tokens stay). */
	resetAccounts(): void {
		this.accounts.clear();
		for (const seed of this.accountSeeds) this.accounts.set(seed.id, makeAccount(seed));
		this.ledger.clear();
		seedLedger(this.ledger, this.accountSeeds);
		this.directory.reset();
		this.holdings.reset();
	}

	/** Accounts, ledger, tokens, the token policy, the payment Type and the clock back to the start. */
	reset(): void {
		this.clock.reset();
		this.resetAccounts();
		this.tokens.reset();
		this.paymentType = this.startPaymentType;
	}

	/** Mints a token as POST /token would; tests use it to skip the login dance. */
	issueToken(username: string, interim = false): string {
		return this.registerToken(randomBytes(24).toString('base64url'), username, interim);
	}

	/** Accepts a token chosen elsewhere (the demo keeps one across restarts). */
	registerToken(token: string, username: string, interim = false): string {
		const user = this.users.get(username);
		if (!user) throw new Error(`Unknown sandbox user ${username}`);
		this.tokens.register(token, username, user.role, interim);
		return token;
	}

	/** The token if it still works, without counting a use. */
	lookupToken(token: string): IssuedToken | undefined {
		return this.tokens.lookup(token);
	}

	/** The token if it still works, counting one use (each API request it authenticates). */
	useToken(token: string): IssuedToken | undefined {
		return this.tokens.use(token);
	}

	expireAllTokens(): void {
		this.tokens.expireAll();
	}

	cashOf(accountId: number): number {
		return this.account(accountId).cashCents / 100;
	}

	/** Sets the cash off the books: no ledger row, as a test's shortcut. */
	setCash(accountId: number, cash: number): void {
		this.account(accountId).cashCents = Math.round(cash * 100);
	}

	/** What may be withdrawn now: cash minus the margin held by positions. */
	excessOf(accountId: number): number {
		const account = this.account(accountId);
		return (account.cashCents - account.heldCents) / 100;
	}

	/** Sets the margin held by positions, so excess = cash - held. */
	setHeld(accountId: number, held: number): void {
		this.account(accountId).heldCents = Math.round(held * 100);
	}

	infoOf(accountId: number): AccountInfo {
		return accountInfo(this.account(accountId));
	}

	/** The account's ledger, oldest Id first. */
	transactionsOf(accountId: number): Transaction[] {
		this.account(accountId); // throws for an unknown account, as the other getters do
		return this.ledger.of(accountId);
	}

	/**
	 * Moves money in (positive) or out (negative) and records it in the ledger, under
	 * `paymentType`.
	 * The caller checked the amount; this only keeps cash and ledger in step.
	 */
	recordPayment(
		accountId: number,
		valueCents: number,
		at = new Date(this.clock.now()),
	): Transaction {
		const account = this.account(accountId);
		account.cashCents += valueCents;
		account.ModifiedDate = at.toISOString();
		return this.ledger.append({
			accountId,
			date: etnaTimestamp(at),
			valueCents,
			type: this.paymentType,
			description: valueCents < 0 ? 'Withdrawal' : 'Deposit',
			securityId: null,
			quantity: 0,
			feeCents: 0,
		});
	}

	/**
	 * Hides a transaction from the ledger until `revealTransaction`: a row that becomes visible
	 * late, with an Id below rows already visible (a trigger must still see it once).
	 */
	hideTransaction(id: number): void {
		this.ledger.setHidden(id, true);
	}

	revealTransaction(id: number): void {
		this.ledger.setHidden(id, false);
	}

	/**
	 * Writes a row's Date as some deployments do (ETNA's docs never state a zone): without a zone,
	 * or as a date that does not parse, e.g. `/Date(1764500000000)/`.
	 */
	redateTransaction(id: number, date: string): void {
		this.ledger.setDate(id, date);
	}

	/**
	 * Opens an account now, with the next Id after the highest (or `id`), and its initial deposit
	 * in the ledger when `cash` is above 0. reset() and resetAccounts() take it away again.
	 */
	openAccount({ id, cash = 0 }: { id?: number; cash?: number } = {}): TradingAccount {
		const accountId = id ?? Math.max(1000, ...this.accounts.keys()) + 1;
		if (this.accounts.has(accountId)) throw new Error(`Sandbox account ${accountId} exists`);
		const opened = new Date(this.clock.now()).toISOString();
		const account: TradingAccount = {
			...makeAccount({ id: accountId, cash: 0 }),
			CreatedDate: opened,
			ModifiedDate: opened,
		};
		this.accounts.set(accountId, account);
		if (cash > 0) {
			account.cashCents = Math.round(cash * 100);
			this.ledger.append({
				accountId,
				date: etnaTimestamp(new Date(opened)),
				valueCents: account.cashCents,
				type: 'Payment',
				description: 'Initial deposit',
				securityId: null,
				quantity: 0,
				feeCents: 0,
			});
		}
		return account;
	}

	/**
	 * Creates an account as POST /accounts does: the next Id after the highest, its cash set off
	 * the books (as ETNA's model allows; the node never sends any).
	 */
	createAccount(write: AccountWrite): TradingAccount {
		const accountId = Math.max(1000, ...this.accounts.keys()) + 1;
		const now = new Date(this.clock.now()).toISOString();
		const account: TradingAccount = {
			...write,
			Id: accountId,
			heldCents: 0,
			CreatedDate: now,
			ModifiedDate: now,
			settings: { ...write.settings },
		};
		this.accounts.set(accountId, account);
		return account;
	}

	/** Writes the whole editable model, as ETNA's PUT does: cash included, with no ledger row. */
	replaceAccount(accountId: number, write: AccountWrite): TradingAccount {
		const account = this.account(accountId);
		Object.assign(account, write, {
			settings: { ...write.settings },
			ModifiedDate: new Date(this.clock.now()).toISOString(),
		});
		return account;
	}

	/**
	 * Takes an account out of the list, as a closed account ETNA no longer lists: its reads answer
	 * 404 from then on. reset() and resetAccounts() bring it back.
	 */
	removeAccount(accountId: number): void {
		this.account(accountId);
		this.accounts.delete(accountId);
	}

	private account(accountId: number): TradingAccount {
		const account = this.accounts.get(accountId);
		if (!account) throw new Error(`Unknown sandbox account ${accountId}`);
		return account;
	}
}

/** Buying power on the excess: twice it on a margin account, never below zero. */
function buyingPowerCents(account: TradingAccount, dayTrading: boolean): number {
	const excessCents = account.cashCents - account.heldCents;
	const leverage = account.MarginType === 'Margin' ? (dayTrading ? 4 : 2) : 1;
	return Math.max(0, excessCents * leverage);
}

/** The fields the account list filters and sorts by (ACCOUNT_FIELDS). */
function listFieldsOf(account: TradingAccount) {
	return {
		Id: account.Id,
		ClearingAccount: account.ClearingAccount,
		Enabled: account.Enabled,
		Cash: account.cashCents / 100,
		Currency: account.Currency,
		Status: account.Status,
		MarginType: account.MarginType,
		DayTradingBuyingPower: buyingPowerCents(account, true) / 100,
		CreatedDate: account.CreatedDate,
		ModifiedDate: account.ModifiedDate,
	};
}

/**
 * An account as the list filters and sorts it: its list fields read from the account when asked
 * (always current), made once per account, so a request over 100,000 accounts allocates nothing
 * per account; the account itself is shown once it is on the page.
 */
export class ListedAccount {
	constructor(readonly account: TradingAccount) {}

	get Id(): number {
		return this.account.Id;
	}

	get ClearingAccount(): string {
		return this.account.ClearingAccount;
	}

	get Enabled(): boolean {
		return this.account.Enabled;
	}

	get Cash(): number {
		return this.account.cashCents / 100;
	}

	get Currency(): string {
		return this.account.Currency;
	}

	get Status(): string {
		return this.account.Status;
	}

	get MarginType(): string {
		return this.account.MarginType;
	}

	get DayTradingBuyingPower(): number {
		return buyingPowerCents(this.account, true) / 100;
	}

	get CreatedDate(): string {
		return this.account.CreatedDate;
	}

	get ModifiedDate(): string {
		return this.account.ModifiedDate;
	}
}

const listed = new WeakMap<TradingAccount, ListedAccount>();

export function listedAccount(account: TradingAccount): ListedAccount {
	let row = listed.get(account);
	if (!row) {
		row = new ListedAccount(account);
		listed.set(account, row);
	}
	return row;
}

/** The account as the API shows it (cash in dollars, buying power derived from it). */
export function publicAccount(account: TradingAccount): Record<string, unknown> {
	return { ...listFieldsOf(account), ...account.settings };
}

export function accountInfo(account: TradingAccount): AccountInfo {
	const marketValueCents = Math.round(account.heldCents / MARGIN_RATE);
	const equityCents = account.cashCents + marketValueCents;
	return {
		cash: account.cashCents / 100,
		// No short positions in the sandbox, so no liabilities to take off the cash.
		netCash: account.cashCents / 100,
		excess: (account.cashCents - account.heldCents) / 100,
		pendingCash: 0,
		equityTotal: equityCents / 100,
		netLiquidity: equityCents / 100,
		stockBuyingPower: buyingPowerCents(account, false) / 100,
		maintenanceMargin: account.heldCents / 100,
		marketValue: marketValueCents / 100,
		pendingOrdersCount: 0,
	};
}
