// Every value the node puts on the wire is checked here first, before any request is made.

/** ETNA's trading-account id is an int32. */
export const MAX_ACCOUNT_ID = 2_147_483_647;

/**
 * The largest amount whose cents survive the trip through a double exactly (12 integer digits,
 * 2 decimals, inside the 15 significant digits a double always keeps).
 */
export const MAX_AMOUNT = 999_999_999_999.99;

export interface Amount {
	/** Whole cents: the value every check and sum is made on. */
	cents: number;
	/** The amount in plain decimal notation, as it goes on the wire: "25", "0.3", "1234.56". */
	decimal: string;
	/** The same amount as a number, for outputs. */
	value: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

/** Checks whose values are known, combined: all the values, or the first problem in key order. */
export function allChecked<T extends Record<string, unknown>>(checks: {
	[Key in keyof T]: Checked<T[Key]>;
}): Checked<T> {
	const values: Partial<T> = {};
	for (const key of Object.keys(checks) as Array<keyof T>) {
		const checked = checks[key];
		if (!checked.ok) return checked;
		values[key] = checked.value;
	}
	return { ok: true, value: values as T };
}

/** A check that needs another's value: run only once that one passed. */
export function andThen<T, U>(checked: Checked<T>, next: (value: T) => Checked<U>): Checked<U> {
	return checked.ok ? next(checked.value) : checked;
}

/** A passed check's value, turned into another. */
export function mapChecked<T, U>(checked: Checked<T>, map: (value: T) => U): Checked<U> {
	return checked.ok ? { ok: true, value: map(checked.value) } : checked;
}

export interface InputProblem {
	/** The node parameter's name, e.g. "amount". */
	field: string;
	/** The parameter as the user sees it, e.g. "Amount". */
	label: string;
	/** What was given, for the message and the error output. */
	given: unknown;
	/** Why it is refused, phrased to follow "it must …". */
	rule: string;
	/** A complaint that replaces "is not valid: it must …", where the rule alone would not say it. */
	complaint?: string;
}

/** A figure as people read it: 999,999,999,999.99, 10,000, 25.5. */
export function formatFigure(value: number): string {
	return value.toLocaleString('en-US', { maximumFractionDigits: 2, useGrouping: true });
}

const ACCOUNT_ID_RULE = `be a whole number from 1 to ${formatFigure(MAX_ACCOUNT_ID)} (ETNA's internal trading-account ID)`;
const AMOUNT_RULE = `be a number above 0 and at most ${formatFigure(MAX_AMOUNT)}, with at most 2 decimal places (cents), e.g. 25 or 1234.56`;

function refuse<T>(field: string, label: string, given: unknown, rule: string): Checked<T> {
	return { ok: false, problem: { field, label, given, rule } };
}

/** Accepts 1001 or "1001" (surrounding spaces ignored); never anything that could bend a URL. */
export function checkAccountId(given: unknown): Checked<number> {
	let accountId: number;
	if (typeof given === 'number') {
		accountId = given;
	} else if (typeof given === 'string' && /^\s*\d{1,10}\s*$/.test(given)) {
		accountId = Number(given.trim());
	} else {
		return refuse('accountId', 'Account ID', given, ACCOUNT_ID_RULE);
	}
	if (!Number.isInteger(accountId) || accountId < 1 || accountId > MAX_ACCOUNT_ID) {
		return refuse('accountId', 'Account ID', given, ACCOUNT_ID_RULE);
	}
	return { ok: true, value: accountId };
}

/**
 * Accepts 25, 25.5, "25.50"; refuses 0, negatives, NaN, 1.005, "1e3", "1,000".
 * A number may carry float noise from an expression (0.1 + 0.2): it is read to 15 significant
 * digits, the precision a double always holds, so noise goes and a real third decimal stays.
 */
export function checkAmount(given: unknown, field = 'amount', label = 'Amount'): Checked<Amount> {
	let cents: number;
	if (typeof given === 'number') {
		if (!Number.isFinite(given)) return refuse(field, label, given, AMOUNT_RULE);
		const denoised = Number(given.toPrecision(15));
		cents = Math.round(denoised * 100);
		// A third decimal, or more, shows as a difference from whole cents.
		if (Math.abs(denoised * 100 - cents) > 1e-6 * Math.max(1, Math.abs(cents))) {
			return refuse(field, label, given, AMOUNT_RULE);
		}
	} else if (typeof given === 'string' && /^\s*\d{1,12}(\.\d{1,2})?\s*$/.test(given)) {
		const [whole, fraction = ''] = given.trim().split('.');
		cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
	} else {
		return refuse(field, label, given, AMOUNT_RULE);
	}
	if (cents < 1 || cents > Math.round(MAX_AMOUNT * 100)) {
		return refuse(field, label, given, AMOUNT_RULE);
	}
	const value = cents / 100;
	// Between 0.01 and 1e12 String() never uses exponent notation, and a cents/100 double prints
	// as its shortest decimal, so this is exactly the amount in plain notation.
	return { ok: true, value: { cents, decimal: String(value), value } };
}

/**
 * A cap on each amount (Maximum Amount): absent (or cleared) means no cap; anything given must
 * be a valid amount itself, so a 0 or a typo never turns into "no limit".
 */
export function checkMaxAmount(given: unknown): Checked<Amount | undefined> {
	if (given === undefined || given === null) return { ok: true, value: undefined };
	return checkAmount(given, 'maxAmount', 'Maximum Amount');
}

/** Maximum Amount applied: an amount above the node's limit is refused, naming both figures. */
export function checkWithinLimit(
	amount: Amount,
	limit: Amount | undefined,
	given: unknown,
): Checked<Amount> {
	if (limit === undefined || amount.cents <= limit.cents) return { ok: true, value: amount };
	return {
		ok: false,
		problem: {
			field: 'amount',
			label: 'Amount',
			given,
			rule: `be at most ${formatFigure(limit.value)} (Maximum Amount)`,
			complaint: `is above this node's limit of ${formatFigure(limit.value)} (Maximum Amount)`,
		},
	};
}

/** The most requests the node keeps in flight at once. */
export const MAX_CONCURRENCY = 64;

export function checkConcurrency(given: unknown): Checked<number> {
	const rule = `be a whole number from 1 to ${MAX_CONCURRENCY}`;
	return checkWholeNumber(given, {
		field: 'concurrency',
		label: 'Concurrency',
		max: MAX_CONCURRENCY,
		rule,
	});
}

/** The most items a list may return when Return All is off. */
export function checkLimit(given: unknown): Checked<number> {
	const rule = 'be a whole number of 1 or more';
	return checkWholeNumber(given, { field: 'limit', label: 'Limit', max: Infinity, rule });
}

const PAID_SINCE_RULE =
	'be a date and time, e.g. 2026-11-25T02:00:00Z or an expression such as the time the original run started, not in the future';

/** How far ahead of UTC `timeZone` is at `instant`, in ms (from Intl: no date library needed). */
function zoneOffsetMs(timeZone: string, instant: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
	const asUtc = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Skip If Already Paid Since: an instant. A text with an offset or Z is taken as it is; one
 * without (what n8n's date picker gives) is read in the workflow's time zone. Absent or empty
 * means the option is off.
 */
export function checkPaidSince(
	given: unknown,
	timeZone: string,
	now = Date.now(),
): Checked<number | undefined> {
	if (given === undefined || given === null || given === '') return { ok: true, value: undefined };
	const instant = instantOf(given, timeZone);
	// A minute of slack for clocks that differ; a later time would make the option do nothing.
	if (instant === undefined || instant > now + 60_000) {
		return refuse('skipIfPaidSince', 'Skip If Already Paid Since', given, PAID_SINCE_RULE);
	}
	return { ok: true, value: instant };
}

/**
 * An instant from what n8n gives a date field: a Date, a Luxon DateTime, or a text with an offset
 * or Z (as it is) or without one (read in the workflow's time zone). Undefined when it is none.
 */
function instantOf(given: unknown, timeZone: string): number | undefined {
	let instant = Number.NaN;
	if (given instanceof Date) {
		instant = given.getTime();
	} else if (
		typeof given === 'object' &&
		given !== null &&
		typeof (given as { toMillis?: unknown }).toMillis === 'function'
	) {
		// A Luxon DateTime from an expression such as {{ $now.minus({ hours: 6 }) }}.
		instant = Number((given as { toMillis: () => unknown }).toMillis());
	} else if (typeof given === 'string') {
		const text = given.trim();
		const local = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?$/.exec(text);
		if (local) {
			const [, year, month, day, hour, minute, second = '0', fraction = '0'] = local;
			const wall = Date.UTC(
				+year,
				+month - 1,
				+day,
				+hour,
				+minute,
				+second,
				+fraction.padEnd(3, '0').slice(0, 3),
			);
			// The wall-clock time in the workflow's zone: shift by the zone's offset at that time.
			instant = wall - zoneOffsetMs(timeZone, wall - zoneOffsetMs(timeZone, wall));
		} else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(text)) {
			instant = Date.parse(text);
		}
	}
	return Number.isFinite(instant) ? instant : undefined;
}

/** The longest Idempotency Key, as Stripe allows; n8n's store keeps a hash of it. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const IDEMPOTENCY_KEY_RULE = `be a text of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters without line breaks, the same on every retry of the request, e.g. the sender's payout ID ({{ $json.body.payoutId }})`;

/**
 * Idempotency Key: off unless the option is set (`set`: it is in the node's Options, whatever its
 * expression gives). Set, it must be a non-empty text: an expression that gives nothing (a sender
 * that left its id out) is refused rather than sent unprotected, and a number or an object is
 * refused rather than guessed at, since the same request must give the same key on every retry.
 */
export function checkIdempotencyKey(given: unknown, set: boolean): Checked<string | undefined> {
	if (!set) return { ok: true, value: undefined };
	const valid =
		typeof given === 'string' &&
		given.trim() !== '' &&
		given.length <= MAX_IDEMPOTENCY_KEY_LENGTH &&
		!/[\r\n]/.test(given) &&
		!given.includes('\u0000');
	if (!valid) return refuse('idempotencyKey', 'Idempotency Key', given, IDEMPOTENCY_KEY_RULE);
	return { ok: true, value: given };
}

/** Accepts 7001 or "7001": ETNA's internal user ID, an int32 (a Login is refused). */
export function checkUserId(given: unknown): Checked<number> {
	return checkInternalId(given, 'userId', 'User ID', "ETNA's internal user ID, not the Login");
}

/** ETNA's order ID, an int32. */
export function checkOrderId(given: unknown): Checked<number> {
	return checkInternalId(given, 'orderId', 'Order ID', "ETNA's order ID");
}

function checkInternalId(
	given: unknown,
	field: string,
	label: string,
	what: string,
): Checked<number> {
	const rule = `be a whole number from 1 to ${MAX_ACCOUNT_ID} (${what})`;
	const value =
		typeof given === 'string' && /^\s*\d{1,10}\s*$/.test(given) ? Number(given.trim()) : given;
	if (
		typeof value !== 'number' ||
		!Number.isInteger(value) ||
		value < 1 ||
		value > MAX_ACCOUNT_ID
	) {
		return refuse(field, label, given, rule);
	}
	return { ok: true, value };
}

/** The longest text the node sends in a name, a login or a clearing account. */
export const MAX_TEXT_LENGTH = 100;

/**
 * A required text (a name): trimmed, 1 to MAX_TEXT_LENGTH characters, on one line. Numbers from
 * an expression count as their digits.
 */
export function checkText(given: unknown, field: string, label: string): Checked<string> {
	const text = typeof given === 'number' && Number.isFinite(given) ? String(given) : given;
	const rule = `be a text of 1 to ${MAX_TEXT_LENGTH} characters on one line`;
	if (typeof text !== 'string') return refuse(field, label, given, rule);
	const trimmed = text.trim();
	if (!trimmed || trimmed.length > MAX_TEXT_LENGTH || /\p{Cc}/u.test(trimmed)) {
		return refuse(field, label, given, rule);
	}
	return { ok: true, value: trimmed };
}

/**
 * A text the node looks records up by, in ETNA's filter (a Login, a Clearing Account): besides a
 * text's rules, no quote (the docs give no way to write one inside a filter's text).
 */
export function checkLookupText(given: unknown, field: string, label: string): Checked<string> {
	return andThen(checkText(given, field, label), (text) =>
		/['"#]/.test(text)
			? refuse(
					field,
					label,
					given,
					`be a text without quotes or # (the node finds it by ${label} in ETNA's filter, which cannot carry them)`,
				)
			: { ok: true, value: text },
	);
}

/** A Login: a lookup text without spaces. */
export function checkLogin(given: unknown): Checked<string> {
	return andThen(checkLookupText(given, 'login', 'Login'), (login) =>
		/\s/.test(login)
			? refuse('login', 'Login', given, 'be a text without spaces, quotes or #, e.g. robert.techie')
			: { ok: true, value: login },
	);
}

export function checkEmail(given: unknown, field = 'email'): Checked<string> {
	const rule = 'be an email address, e.g. robert@example.com';
	return andThen(checkText(given, field, 'Email'), (email) =>
		/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
			? { ok: true, value: email }
			: refuse(field, 'Email', given, rule),
	);
}

/** An ISO currency code: three letters, sent in capitals. */
export function checkCurrency(given: unknown): Checked<string> {
	const rule = 'be a currency code of three letters, e.g. USD';
	return typeof given === 'string' && /^\s*[A-Za-z]{3}\s*$/.test(given)
		? { ok: true, value: given.trim().toUpperCase() }
		: refuse('currency', 'Currency', given, rule);
}

/** One of a list of values (ETNA's enum values), as the editor offers them. */
export function checkOneOf<Value extends string>(
	given: unknown,
	field: string,
	label: string,
	values: readonly Value[],
): Checked<Value> {
	const found = values.find((value) => value === given);
	return found !== undefined
		? { ok: true, value: found }
		: refuse(field, label, given, `be one of ${values.join(', ')}`);
}

/** What a create does when ETNA already has the record (If Exists): absent means Return Existing. */
export type IfExists = 'returnExisting' | 'fail';

export function checkIfExists(given: unknown): Checked<IfExists> {
	return checkOneOf(given ?? 'returnExisting', 'ifExists', 'If Exists', [
		'returnExisting',
		'fail',
	] as const);
}

/** Update Fields names at least one field: an update that changes nothing is a mistake in the workflow. */
export function checkSomeChange<Changes extends Record<string, unknown>>(
	changes: Changes,
): Checked<Changes> {
	return Object.keys(changes).length > 0
		? { ok: true, value: changes }
		: {
				ok: false,
				problem: {
					field: 'updateFields',
					label: 'Update Fields',
					// Nothing to show: the message says it is empty.
					given: undefined,
					rule: 'name at least one field to change',
					complaint: 'is empty: add at least one field to change',
				},
			};
}

/** An optional text (a phone number, a plan): absent or empty means leave it out. */
export function checkOptionalText(
	given: unknown,
	field: string,
	label: string,
): Checked<string | undefined> {
	if (given === undefined || given === null || given === '') return { ok: true, value: undefined };
	return checkText(given, field, label);
}

export function checkBoolean(given: unknown, field: string, label: string): Checked<boolean> {
	return typeof given === 'boolean'
		? { ok: true, value: given }
		: refuse(field, label, given, 'be true or false');
}

/** A whole number from 0 (an option level). */
export function checkLevel(given: unknown, field: string, label: string): Checked<number> {
	const value = typeof given === 'string' && given.trim() !== '' ? Number(given) : given;
	return typeof value === 'number' &&
		Number.isInteger(value) &&
		value >= 0 &&
		value <= MAX_ACCOUNT_ID
		? { ok: true, value }
		: refuse(field, label, given, 'be a whole number of 0 or more');
}

/** A ticker symbol, e.g. AAPL or BRK.B: it goes into the path. */
export function checkSymbol(given: unknown): Checked<string> {
	const rule = 'be a ticker symbol of letters, digits, dots or dashes, e.g. AAPL or BRK.B';
	return typeof given === 'string' && /^\s*[A-Za-z0-9][A-Za-z0-9.^_-]{0,31}\s*$/.test(given)
		? { ok: true, value: given.trim().toUpperCase() }
		: refuse('symbol', 'Symbol', given, rule);
}

/**
 * A date and time for ETNA (an expiration date): with an offset or Z as it is; without one (n8n's
 * date picker) in the workflow's time zone. Absent or empty means leave it out.
 */
export function checkDateTime(
	given: unknown,
	field: string,
	label: string,
	timeZone: string,
): Checked<string | undefined> {
	if (given === undefined || given === null || given === '') return { ok: true, value: undefined };
	const instant = instantOf(given, timeZone);
	return instant === undefined
		? refuse(field, label, given, 'be a date and time, e.g. 2027-12-31T00:00:00Z')
		: { ok: true, value: new Date(instant).toISOString() };
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const FIELDS_RULE =
	"be ETNA's field names separated by commas, each of letters, digits or _ and not starting with a digit, e.g. Id, Cash";

/**
 * Fields: the names of ETNA's fields a read keeps, in the order given, each once. Absent or
 * empty (or only commas and spaces) means every field. A list from an expression counts as its
 * names. Anything that is not a plain name (a path such as Balance.Cash, a quote, a space inside
 * a name) is refused rather than matched to nothing.
 */
export function checkFields(given: unknown): Checked<string[] | undefined> {
	if (given === undefined || given === null) return { ok: true, value: undefined };
	const parts: unknown[] | undefined = Array.isArray(given)
		? given
		: typeof given === 'string'
			? given.split(',')
			: undefined;
	if (!parts || !parts.every((part): part is string => typeof part === 'string')) {
		return refuse('fields', 'Fields', given, FIELDS_RULE);
	}
	const names = parts.map((part) => part.trim()).filter((name) => name !== '');
	if (!names.every((name) => FIELD_NAME.test(name))) {
		return refuse('fields', 'Fields', given, FIELDS_RULE);
	}
	return { ok: true, value: names.length ? [...new Set(names)] : undefined };
}

/** How long the node waits for an answer when the Timeout option is not set. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The longest wait the node allows for one request: ten minutes. */
export const MAX_TIMEOUT_MS = 600_000;

export function checkTimeout(given: unknown): Checked<number> {
	const rule = `be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`;
	return checkWholeNumber(given, { field: 'timeout', label: 'Timeout', max: MAX_TIMEOUT_MS, rule });
}

/** A whole number from 1 to `max` (a numeric string counts): every count and duration option. */
function checkWholeNumber(
	given: unknown,
	{ field, label, max, rule }: { field: string; label: string; max: number; rule: string },
): Checked<number> {
	const value = typeof given === 'string' && given.trim() !== '' ? Number(given) : given;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
		return refuse(field, label, given, rule);
	}
	return { ok: true, value };
}

/** The value as a message may show it: short, and clear about its type. */
export function describeGiven(given: unknown, figure = false): string {
	if (given === undefined) return 'nothing';
	// An amount reads as the other figures of a message do (25,000), every digit kept (1.005).
	if (figure && typeof given === 'number' && Number.isFinite(given)) {
		return given.toLocaleString('en-US', { maximumFractionDigits: 20 });
	}
	if (given === null) return 'null';
	if (typeof given === 'string') {
		if (given.trim() === '') return 'an empty value';
		const shown = given.length > 40 ? `${given.slice(0, 40)}…` : given;
		return JSON.stringify(shown);
	}
	if (typeof given === 'number' || typeof given === 'boolean') return String(given);
	return Array.isArray(given) ? 'a list' : 'an object';
}

/** Items as n8n's panel numbers them, from 1 (n8n's own indexes count from 0). */
export function itemNumber(itemIndex: number): number {
	return itemIndex + 1;
}

/** The message of a refused input: the item, the field, the value and the rule. */
export function inputProblemMessage(problem: InputProblem, itemIndex: number): string {
	return `Item ${itemNumber(itemIndex)}: ${problemMessage(problem)}`;
}

/** A refused value, without an item: the field, the value and the rule. */
export function problemMessage(problem: InputProblem): string {
	const { given } = problem;
	// "Amount is empty" says more to a person than "Amount null is not valid".
	const empty =
		given === undefined || given === null || (typeof given === 'string' && !given.trim());
	const complaint =
		problem.complaint ?? `${empty ? 'is empty' : 'is not valid'}: it must ${problem.rule}`;
	const figure = problem.field === 'amount' || problem.field === 'maxAmount';
	const shown = empty ? '' : ` ${describeGiven(given, figure)}`;
	return `${problem.label}${shown} ${complaint}`;
}
