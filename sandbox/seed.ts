// The accounts, ledger rows, users, access, positions and orders the sandbox starts with (and
// returns to on reset).
import type { Ledger, LedgerEntry } from './ledgerStore';
import {
	ACCOUNT_SETTING_DEFAULTS,
	type Access,
	type EtnaUser,
	type Order,
	type Position,
	type TradingAccount,
} from './records';

export interface AccountSeed {
	id: number;
	/** Starting cash in dollars. */
	cash: number;
	/** Margin held by open positions, in dollars: the account's excess is cash minus this. */
	held?: number;
	enabled?: boolean;
	/** Past trades to show in the ledger; they must net to zero, as cash is already `cash`. */
	history?: ReadonlyArray<Omit<LedgerEntry, 'accountId'>>;
}

export const SEED_CREATED_DATE = '2024-01-02T09:30:00Z';

/** Security id of the stock in account 1001's past trades. */
const TRADED_SECURITY_ID = 7001;

/** Account 1001 bought and sold 10 shares at a profit that paid both commissions: net zero. */
const TRADE_HISTORY: ReadonlyArray<Omit<LedgerEntry, 'accountId'>> = [
	{
		date: '2024-02-05T14:31:07Z',
		valueCents: -185000,
		type: 'OrderExecution',
		description: 'Buy 10 AAPL @ 185.00',
		securityId: TRADED_SECURITY_ID,
		quantity: 10,
		feeCents: 0,
	},
	{
		date: '2024-02-05T14:31:07Z',
		valueCents: -495,
		type: 'Commission',
		description: 'Commission: Buy 10 AAPL',
		securityId: TRADED_SECURITY_ID,
		quantity: 0,
		feeCents: 495,
	},
	{
		date: '2024-02-20T15:02:44Z',
		valueCents: 185990,
		type: 'OrderExecution',
		description: 'Sell 10 AAPL @ 185.99',
		securityId: TRADED_SECURITY_ID,
		quantity: -10,
		feeCents: 0,
	},
	{
		date: '2024-02-20T15:02:44Z',
		valueCents: -495,
		type: 'Commission',
		description: 'Commission: Sell 10 AAPL',
		securityId: TRADED_SECURITY_ID,
		quantity: 0,
		feeCents: 495,
	},
];

export const DEFAULT_ACCOUNTS: readonly AccountSeed[] = [
	{ id: 1001, cash: 100000, history: TRADE_HISTORY },
	{ id: 1002, cash: 2500 },
	// The one account whose excess (30000) is below its cash: positions hold 20000 of it.
	{ id: 1003, cash: 50000, held: 20000 },
	{ id: 1004, cash: 750.5 },
	{ id: 1005, cash: 0, enabled: false },
];

/** Between 1000.00 and 250999.99 dollars, varying with the id; no randomness, so runs compare. */
function plausibleCash(id: number): number {
	return (100000 + ((id * 104729) % 25000000)) / 100;
}

/**
 * The given seeds, then generated accounts with the following ids, `accountCount` in all
 * (only the first `accountCount` seeds when it is smaller). The seeds alone when it is absent.
 */
export function accountSeeds(seeds: readonly AccountSeed[], accountCount?: number): AccountSeed[] {
	if (accountCount === undefined) return [...seeds];
	if (!Number.isInteger(accountCount) || accountCount < 0) {
		throw new RangeError(`accountCount must be a whole number of at least 0, not ${accountCount}`);
	}
	const chosen = seeds.slice(0, accountCount);
	let id = Math.max(1000, ...seeds.map((seed) => seed.id));
	while (chosen.length < accountCount) {
		id += 1;
		chosen.push({ id, cash: plausibleCash(id) });
	}
	return chosen;
}

export function makeAccount(seed: AccountSeed): TradingAccount {
	const heldCents = Math.round((seed.held ?? 0) * 100);
	return {
		Id: seed.id,
		ClearingAccount: `SBX${String(seed.id).padStart(6, '0')}`,
		Enabled: seed.enabled ?? true,
		cashCents: Math.round(seed.cash * 100),
		heldCents,
		Currency: 'USD',
		Status: 'Approved',
		MarginType: heldCents > 0 ? 'Margin' : 'Cash',
		CreatedDate: SEED_CREATED_DATE,
		ModifiedDate: SEED_CREATED_DATE,
		// Values other than the defaults, so a PUT that leaves a field out shows it reset.
		settings: {
			...ACCOUNT_SETTING_DEFAULTS,
			CommissionPlan: 'Standard',
			RepCode: 'R01',
			ClearingFirm: 'Sandbox Clearing',
			Permissions: 'LongStock, AllowTrade',
			OptionLevel: 2,
			BaseCash: Math.round(seed.cash * 100) / 100,
			MarginInterestRate: heldCents > 0 ? 8.5 : 0,
		},
	};
}

/** Every account's initial deposit (its starting cash), then the accounts' past trades by date. */
export function seedLedger(ledger: Ledger, seeds: readonly AccountSeed[]): void {
	for (const seed of seeds) {
		ledger.append({
			accountId: seed.id,
			date: SEED_CREATED_DATE,
			valueCents: Math.round(seed.cash * 100),
			type: 'Payment',
			description: 'Initial deposit',
			securityId: null,
			quantity: 0,
			feeCents: 0,
		});
	}
	const history = seeds
		.flatMap((seed) => (seed.history ?? []).map((entry) => ({ ...entry, accountId: seed.id })))
		.sort((left, right) => Date.parse(left.date) - Date.parse(right.date));
	for (const entry of history) ledger.append(entry);
}

/** ETNA's users the sandbox starts with: Ids from 7001, the next one made gets the next Id. */
export const SEED_USERS: readonly EtnaUser[] = [
	{
		Id: 7001,
		FirstName: 'Jim',
		Middle: '',
		LastName: 'James',
		EmailAddress: 'jim.james@example.com',
		Login: 'jim.james',
		Salutation: 'Mr',
		Suffix: 'NoSuffix',
		AddedDate: SEED_CREATED_DATE,
		Enabled: true,
		Deleted: false,
		TimeZoneInfoId: 'Eastern Standard Time',
		ExpirationDate: null,
		PhoneNumber: '+15550100',
		EntitlementsPhoneNumber: '',
	},
	{
		Id: 7002,
		FirstName: 'Ann',
		Middle: 'K',
		LastName: 'Lee',
		EmailAddress: 'ann.lee@example.com',
		Login: 'ann.lee',
		Salutation: 'Ms',
		Suffix: 'NoSuffix',
		AddedDate: SEED_CREATED_DATE,
		Enabled: true,
		Deleted: false,
		TimeZoneInfoId: 'Pacific Standard Time',
		ExpirationDate: null,
		PhoneNumber: '+15550101',
		EntitlementsPhoneNumber: '+15550102',
	},
];

/** Jim holds account 1001 in full; Ann reads 1001 and holds 1002 and 1003 in full. */
export const SEED_ACCESS: readonly Access[] = [
	{ accountId: 1001, userId: 7001, accessType: 'Full' },
	{ accountId: 1001, userId: 7002, accessType: 'ReadOnly' },
	{ accountId: 1002, userId: 7002, accessType: 'Full' },
	{ accountId: 1003, userId: 7002, accessType: 'Full' },
];

function position(
	id: number,
	accountId: number,
	symbol: string,
	companyName: string,
	quantity: number,
	price: number,
): Position {
	return {
		Id: id,
		AccountId: accountId,
		SecurityId: 4000 + id,
		Symbol: symbol,
		Name: symbol,
		CompanyName: companyName,
		SecurityCurrency: 'USD',
		SecurityType: 'CommonStock',
		Exchange: 'NASDAQ',
		ContractSize: 1,
		CostBasis: quantity * price,
		DailyCostBasis: quantity * price,
		CreateDate: '2024-03-01T14:30:00Z',
		ModifyDate: '2024-03-01T14:30:00Z',
		Quantity: quantity,
		RealizedProfitLoss: 0,
		AverageOpenPrice: price,
		AverageClosePrice: 0,
		StopLossPrice: 0,
		TakeProfitPrice: 0,
		DailyCloseProfitLoss: 0,
		ExcessChanges: 0,
		DayQuantity: 0,
	};
}

/** Account 1003's positions, worth 40000: twice the 20000 of margin they hold. */
export const SEED_POSITIONS: readonly Position[] = [
	position(21001, 1003, 'AAPL', 'Apple Inc.', 100, 200),
	position(21002, 1003, 'MSFT', 'Microsoft Corporation', 50, 400),
];

function filledOrder(
	id: number,
	accountId: number,
	side: 'Buy' | 'Sell',
	symbol: string,
	quantity: number,
	price: number,
	date: string,
): Order {
	return {
		Id: id,
		AccountId: accountId,
		UserId: accountId === 1001 ? 7001 : 7002,
		SecurityId: symbol === 'AAPL' ? 21001 + 4000 : 21002 + 4000,
		Symbol: symbol,
		Side: side,
		Type: 'Market',
		Quantity: quantity,
		ExecutedQuantity: quantity,
		LeavesQuantity: 0,
		Price: 0,
		AveragePrice: price,
		Status: 'Filled',
		TimeInForce: 'Day',
		CreateDate: date,
		TransactionDate: date,
	};
}

/** Account 1001's round trip in AAPL (its ledger's trades), and the orders that opened 1003's positions. */
export const SEED_ORDERS: readonly Order[] = [
	filledOrder(73001, 1001, 'Buy', 'AAPL', 10, 185, '2024-02-05T14:31:07Z'),
	filledOrder(73002, 1001, 'Sell', 'AAPL', 10, 185.99, '2024-02-20T15:02:44Z'),
	filledOrder(73003, 1003, 'Buy', 'AAPL', 100, 200, '2024-03-01T14:30:00Z'),
	filledOrder(73004, 1003, 'Buy', 'MSFT', 50, 400, '2024-03-01T14:30:00Z'),
];
