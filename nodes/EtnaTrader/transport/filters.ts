// ETNA's filter text (`Field op value` joined with `and`), written here only: numbers plain,
// text between single quotes, instants between pound signs. The node and the trigger name what
// they want; this module spells it.

/** A whole number as a filter writes it; anything else is a bug in the caller. */
function whole(value: number): string {
	if (!Number.isSafeInteger(value)) throw new RangeError(`Not a whole number: ${value}`);
	return String(value);
}

/**
 * Text between single quotes. ETNA's docs give no escape for a quote inside, so a text with one
 * (the operations refuse such values first) is doubled, SQL's way, rather than sent bare.
 */
function quoted(text: string): string {
	return `'${text.replace(/'/g, "''")}'`;
}

/** An instant, to the second, between pound signs: #2026-11-25T02:00:00Z#. */
function instant(at: number): string {
	return `#${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')}#`;
}

export const filterOn = {
	idAbove: (id: number) => `Id > ${whole(id)}`,
	idBelow: (id: number) => `Id < ${whole(id)}`,
	idIs: (id: number) => `Id = ${whole(id)}`,
	/** Rows dated at `at` or later. */
	dateFrom: (at: number) => `Date >= ${instant(at)}`,
	/** A text field equal to `text` (ETNA compares without case). */
	textIs: (field: 'Login' | 'ClearingAccount', text: string) => `${field} = ${quoted(text)}`,
	/** The ledger's Type among `types`. */
	typeIn: (types: readonly string[]) => `Type in (${types.map(quoted).join(', ')})`,
	/** Money in (Value above 0) or out (below 0). */
	valueSign: (sign: 'in' | 'out') => (sign === 'in' ? 'Value > 0' : 'Value < 0'),
};

/** Conditions joined with `and`; undefined when there is none. */
export function allOf(conditions: ReadonlyArray<string | undefined>): string | undefined {
	const kept = conditions.filter((condition): condition is string => Boolean(condition));
	return kept.length ? kept.join(' and ') : undefined;
}
