// ETNA's query syntax for lists (etna-api.md), shared by the account list and the ledger:
// `Field op value` joined with `and`, e.g. `Type = 'Payment' and Date >= #2026-11-25T02:00:00Z#`.
// Field names and text comparisons ignore case, as SQL Server's default collation does.

export type FieldKind = 'number' | 'string' | 'date' | 'boolean';

/** The fields a list may be filtered and sorted by, with the kind of literal each takes. */
export type FieldSchema = Readonly<Record<string, FieldKind>>;

/** A record of the list (an account, a transaction), read by field name. */
export type Row = object;

export type RowPredicate = (row: Row) => boolean;

/** A filter or sort the API cannot read: the route answers 422 with this message. */
export class QueryError extends Error {}

type TokenKind = 'date' | 'string' | 'number' | 'operator' | 'punctuation' | 'word';

interface Token {
	kind: TokenKind;
	/** The text, without the quotes or pound signs around a string or a date. */
	text: string;
}

const TOKEN_PATTERNS: ReadonlyArray<[TokenKind | 'space', RegExp]> = [
	['space', /\s+/y],
	['date', /#([^#]*)#/y],
	['string', /'((?:[^']|'')*)'/y],
	['number', /(-?\d+(?:\.\d+)?)(?![\w.])/y],
	['operator', /(<=|>=|=|<|>)/y],
	['punctuation', /([(),])/y],
	['word', /([A-Za-z_]\w*)/y],
];

/** A date with its zone, so the instant does not depend on where the sandbox runs. */
const DATE_LITERAL =
	/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let position = 0;
	scanning: while (position < text.length) {
		for (const [kind, pattern] of TOKEN_PATTERNS) {
			pattern.lastIndex = position;
			const match = pattern.exec(text);
			if (!match) continue;
			position = pattern.lastIndex;
			if (kind !== 'space') {
				const inner = kind === 'string' ? match[1].replace(/''/g, "'") : match[1];
				tokens.push({ kind, text: inner });
			}
			continue scanning;
		}
		throw new QueryError(`unexpected '${text[position]}' at position ${position}`);
	}
	return tokens;
}

/** The schema's own spelling of a field named in any case. */
export function fieldNamed(schema: FieldSchema, name: string): string {
	const field = Object.keys(schema).find((key) => key.toLowerCase() === name.toLowerCase());
	if (!field) {
		throw new QueryError(`unknown field ${name}; known: ${Object.keys(schema).join(', ')}`);
	}
	return field;
}

type Comparable = number | string;

function fieldValue(row: Row, field: string): unknown {
	return (row as Readonly<Record<string, unknown>>)[field];
}

/** A row's value in comparable form; undefined when it is missing or null (matches nothing). */
function comparableOf(value: unknown, kind: FieldKind): Comparable | undefined {
	switch (kind) {
		case 'number':
			return typeof value === 'number' ? value : undefined;
		case 'string':
			return typeof value === 'string' ? value.toLowerCase() : undefined;
		case 'boolean':
			return typeof value === 'boolean' ? Number(value) : undefined;
		case 'date': {
			const instant = typeof value === 'string' ? Date.parse(value) : Number.NaN;
			return Number.isFinite(instant) ? instant : undefined;
		}
	}
}

function order(left: Comparable, right: Comparable): number {
	return left < right ? -1 : left > right ? 1 : 0;
}

const COMPARISONS: Readonly<Record<string, (ordered: number) => boolean>> = {
	'=': (ordered) => ordered === 0,
	'<': (ordered) => ordered < 0,
	'>': (ordered) => ordered > 0,
	'<=': (ordered) => ordered <= 0,
	'>=': (ordered) => ordered >= 0,
};

/** A Map, not an object: a keyword such as `constructor` must not find Object's own members. */
const TEXT_MATCHES = new Map<string, (value: string, part: string) => boolean>([
	['contains', (value, part) => value.includes(part)],
	['startswith', (value, part) => value.startsWith(part)],
	['endswith', (value, part) => value.endsWith(part)],
]);

class FilterParser {
	private position = 0;

	constructor(
		private readonly tokens: Token[],
		private readonly schema: FieldSchema,
	) {}

	parse(): RowPredicate {
		const conditions = [this.condition()];
		while (this.position < this.tokens.length) {
			this.expectWord('and');
			conditions.push(this.condition());
		}
		return (row) => conditions.every((condition) => condition(row));
	}

	private condition(): RowPredicate {
		const name = this.next('a field name');
		if (name.kind !== 'word') throw new QueryError(`expected a field name, found '${name.text}'`);
		const field = fieldNamed(this.schema, name.text);
		const kind = this.schema[field];
		const valueOf = (row: Row) => comparableOf(fieldValue(row, field), kind);
		const operator = this.next('an operator');

		if (operator.kind === 'operator') {
			const compare = COMPARISONS[operator.text];
			const literal = this.literal(field, kind);
			return (row) => {
				const value = valueOf(row);
				return value !== undefined && compare(order(value, literal));
			};
		}
		const keyword = operator.kind === 'word' ? operator.text.toLowerCase() : '';
		if (keyword === 'in') {
			this.expectPunctuation('(');
			const literals = [this.literal(field, kind)];
			while (this.peekPunctuation(',')) {
				this.position += 1;
				literals.push(this.literal(field, kind));
			}
			this.expectPunctuation(')');
			return (row) => {
				const value = valueOf(row);
				return value !== undefined && literals.some((literal) => order(value, literal) === 0);
			};
		}
		if (keyword === 'between') {
			const low = this.literal(field, kind);
			this.expectWord('and');
			const high = this.literal(field, kind);
			return (row) => {
				const value = valueOf(row);
				return value !== undefined && order(value, low) >= 0 && order(value, high) <= 0;
			};
		}
		const textMatch = TEXT_MATCHES.get(keyword);
		if (textMatch) {
			if (kind !== 'string') {
				throw new QueryError(`${operator.text} needs a text field, not ${field}`);
			}
			const part = String(this.literal(field, kind));
			return (row) => {
				const value = valueOf(row);
				return typeof value === 'string' && textMatch(value, part);
			};
		}
		throw new QueryError(`unknown operator '${operator.text}' after ${field}`);
	}

	/** The next literal, which must suit the field: 12.5, 'text', #2026-11-25T02:00:00Z#, true. */
	private literal(field: string, kind: FieldKind): Comparable {
		const token = this.next(`a value for ${field}`);
		if (kind === 'number' && token.kind === 'number') return Number(token.text);
		if (kind === 'string' && token.kind === 'string') return token.text.toLowerCase();
		if (kind === 'boolean' && token.kind === 'word' && /^(true|false)$/i.test(token.text)) {
			return Number(token.text.toLowerCase() === 'true');
		}
		if (kind === 'date' && token.kind === 'date') {
			const instant = DATE_LITERAL.test(token.text) ? Date.parse(token.text) : Number.NaN;
			if (!Number.isFinite(instant)) {
				throw new QueryError(
					`#${token.text}# is not a date with a zone, e.g. #2026-11-25T02:00:00Z#`,
				);
			}
			return instant;
		}
		const examples: Record<FieldKind, string> = {
			number: 'a plain number',
			string: 'text in single quotes',
			date: 'a date between pound signs',
			boolean: 'true or false',
		};
		throw new QueryError(`${field} takes ${examples[kind]}, not '${token.text}'`);
	}

	private next(wanted: string): Token {
		const token = this.tokens[this.position];
		if (!token) throw new QueryError(`ends where ${wanted} was expected`);
		this.position += 1;
		return token;
	}

	private expectWord(word: string): void {
		const token = this.next(`'${word}'`);
		if (token.kind !== 'word' || token.text.toLowerCase() !== word) {
			throw new QueryError(`expected '${word}', found '${token.text}'`);
		}
	}

	private peekPunctuation(mark: string): boolean {
		const token = this.tokens[this.position];
		return token?.kind === 'punctuation' && token.text === mark;
	}

	private expectPunctuation(mark: string): void {
		if (!this.peekPunctuation(mark)) {
			throw new QueryError(
				`expected '${mark}', found '${this.tokens[this.position]?.text ?? 'the end'}'`,
			);
		}
		this.position += 1;
	}
}

/** Reads a filter against a schema; throws QueryError with the reason when it cannot. */
export function parseFilter(text: string, schema: FieldSchema): RowPredicate {
	try {
		return new FilterParser(tokenize(text), schema).parse();
	} catch (error) {
		if (error instanceof QueryError) {
			throw new QueryError(`The filter '${text}' is not valid: ${error.message}.`);
		}
		throw error;
	}
}

/** Rows sorted by one field (any case), missing values first; ties keep their order. */
export function sortRows<T extends Row>(
	rows: readonly T[],
	name: string,
	descending: boolean,
	schema: FieldSchema,
): T[] {
	let field: string;
	try {
		field = fieldNamed(schema, name);
	} catch (error) {
		if (error instanceof QueryError) {
			throw new QueryError(`Cannot sort by '${name}': ${error.message}.`);
		}
		throw error;
	}
	const kind = schema[field];
	return [...rows].sort((left, right) => {
		const leftValue = comparableOf(fieldValue(left, field), kind);
		const rightValue = comparableOf(fieldValue(right, field), kind);
		const ordered =
			leftValue === undefined || rightValue === undefined
				? Number(leftValue !== undefined) - Number(rightValue !== undefined)
				: order(leftValue, rightValue);
		return descending ? -ordered : ordered;
	});
}

/** A true/false query parameter (the lists' sort direction); anything else is a QueryError. */
export function readBooleanParameter(url: URL, name: string): boolean {
	const value = url.searchParams.get(name) ?? '';
	if (!/^(true|false)$/i.test(value)) {
		throw new QueryError(`${name} must be true or false, not '${value}'.`);
	}
	return value.toLowerCase() === 'true';
}
