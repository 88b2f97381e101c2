// The shapes the sandbox keeps: logins, trading accounts, ETNA's users and their access to
// accounts, positions and orders. Types and defaults only: every other module of the sandbox
// stands on these, and these stand on nothing.

export type Role = 'admin' | 'user';

/** Someone who can log in to the sandbox (POST /token): not one of ETNA's user records. */
export interface SandboxUser {
	username: string;
	password: string;
	role: Role;
	/** A user with two-factor authentication: /token first answers 202 and wants this code. */
	verificationCode?: string;
	/** A user with a security PIN: /token first answers 202 (Step "SecutityPin") and wants it. */
	securityPin?: string;
}

export const ACCOUNT_STATUSES = [
	'UnSpecified',
	'New',
	'SentToClearing',
	'Approved',
	'Rejected',
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const MARGIN_TYPES = ['Empty', 'Cash', 'Margin', 'DayTrader', 'MarginIra'] as const;

export const OWNER_TYPES = [
	'IndividualCustomer',
	'InstitutionalCustomer',
	'Combined',
	'EmployeeAccount',
	'MarketMaking',
	'OtherProprietary',
	'Unknown',
	'ErrorAccount',
] as const;

/** AccountEditableModel's fields the sandbox keeps as written, with the value a PUT without them leaves. */
export const ACCOUNT_SETTING_DEFAULTS = {
	SubscriptionPlanId: 0,
	IsChanged: false,
	CommissionPlan: '',
	RepCode: '',
	MarginInterestRate: 0,
	CashInterestRate: 0,
	CloseEquity: 0,
	OpenExcess: 0,
	OptionLevel: 0,
	Permissions: 'Empty',
	BaseCash: 0,
	Sweep: 0,
	OwnerType: 'IndividualCustomer',
	DayTrades: 0,
	SmaBalance: 0,
	HouseCall: 0,
	MaintenanceCall: 0,
	EquityCall: 0,
	InitialCall: 0,
	DayTradeCall: 0,
	TradeDayBalance: 0,
	MoneyMarket: 0,
	Cip: 0,
	IsAverageAccount: false,
	MarginEquity: 0,
	ClearingFirm: '',
	ExcessEquity: 0,
} satisfies Record<string, string | number | boolean>;

export type AccountSettings = {
	-readonly [Key in keyof typeof ACCOUNT_SETTING_DEFAULTS]: (typeof ACCOUNT_SETTING_DEFAULTS)[Key];
};

export interface TradingAccount {
	Id: number;
	ClearingAccount: string;
	Enabled: boolean;
	/** Cash in cents, so balances never drift by float rounding. */
	cashCents: number;
	/** Margin held by open positions, in cents: what of the cash may not be withdrawn. */
	heldCents: number;
	Currency: string;
	Status: AccountStatus;
	MarginType: string;
	CreatedDate: string;
	ModifiedDate: string;
	/** The rest of the editable model: a PUT sets every one of them (one left out is reset). */
	settings: AccountSettings;
}

export const SALUTATIONS = ['NoSalutation', 'Mr', 'Mrs', 'Ms', 'Dr', 'Sir', 'Madam'] as const;
export const SUFFIXES = ['NoSuffix', 'Jr', 'Sr', 'Second', 'Third', 'Fourth'] as const;

/** One of ETNA's users (UserModel), as GET /users/{id} shows it. */
export interface EtnaUser {
	Id: number;
	FirstName: string;
	Middle: string;
	LastName: string;
	EmailAddress: string;
	Login: string;
	Salutation: string;
	Suffix: string;
	AddedDate: string;
	Enabled: boolean;
	Deleted: boolean;
	TimeZoneInfoId: string;
	ExpirationDate: string | null;
	PhoneNumber: string;
	EntitlementsPhoneNumber: string;
}

/** The fields a create or a PUT writes, and what a PUT without one leaves. */
export const USER_FIELD_DEFAULTS = {
	FirstName: '',
	Middle: '',
	LastName: '',
	EmailAddress: '',
	Login: '',
	Salutation: 'NoSalutation',
	Suffix: 'NoSuffix',
	Enabled: false,
	TimeZoneInfoId: '',
	ExpirationDate: null,
	PhoneNumber: '',
	EntitlementsPhoneNumber: '',
} satisfies Partial<Record<keyof EtnaUser, string | boolean | null>>;

export type EditableUserField = keyof typeof USER_FIELD_DEFAULTS;

/** ETNA's access levels (the newer docs add Owner). */
export const ACCESS_TYPES = ['Full', 'ReadOnly', 'ClosePositionsOnly', 'Owner'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/** A user's access to a trading account. */
export interface Access {
	accountId: number;
	userId: number;
	accessType: AccessType;
}

/** PositionResource, as GET /accounts/{id}/positions lists it. */
export interface Position {
	Id: number;
	AccountId: number;
	SecurityId: number;
	Symbol: string;
	Name: string;
	CompanyName: string;
	SecurityCurrency: string;
	SecurityType: string;
	Exchange: string;
	ContractSize: number;
	CostBasis: number;
	DailyCostBasis: number;
	CreateDate: string;
	ModifyDate: string;
	Quantity: number;
	RealizedProfitLoss: number;
	AverageOpenPrice: number;
	AverageClosePrice: number;
	StopLossPrice: number;
	TakeProfitPrice: number;
	DailyCloseProfitLoss: number;
	ExcessChanges: number;
	DayQuantity: number;
}

/** OrderResource, the fields the docs' example shows that a report reads. */
export interface Order {
	Id: number;
	AccountId: number;
	UserId: number;
	SecurityId: number;
	Symbol: string;
	Side: 'Buy' | 'Sell';
	Type: string;
	Quantity: number;
	ExecutedQuantity: number;
	LeavesQuantity: number;
	Price: number;
	AveragePrice: number;
	Status: string;
	TimeInForce: string;
	CreateDate: string;
	TransactionDate: string;
}
