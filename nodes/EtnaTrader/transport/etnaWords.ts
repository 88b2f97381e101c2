// ETNA's own words in an answer, read one way for every call (the API, /token), and always with
// the connection's secrets taken out: an answer may quote what it was sent.

/** Replaces every secret in a text; the API's own words pass through here before a user sees them. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
	let redacted = text;
	for (const secret of secrets) {
		if (secret.length >= 4) redacted = redacted.split(secret).join('***');
	}
	return redacted;
}

/** The top-level fields ETNA explains itself in: most errors, the app key's 403, /token. */
const TOP_LEVEL_KEYS = ['Message', 'message', 'error', 'Reason', 'ExceptionMessage'];
const LONGEST_QUOTE = 300;

function textAt(fields: Record<string, unknown>, key: string): string | undefined {
	const value = fields[key];
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The nested form, `{"Error": {"Code": "...", "Message": "..."}}` (e.g. the ledger's 404). */
function nestedError(fields: Record<string, unknown>): Record<string, unknown> | undefined {
	const nested = fields.Error;
	return typeof nested === 'object' && nested !== null
		? (nested as Record<string, unknown>)
		: undefined;
}

/**
 * ETNA's explanation in a body, redacted and cut short: a top-level field, else the nested
 * `Error.Message`, with the nested `Error.Code` after it, e.g. `The requested resource ...
 * (UnsupportedApiVersion)`, or a list of reasons joined with `; `. A plain-text body counts; an HTML page says nothing a user can act on.
 */
export function etnaMessageOf(body: unknown, secrets: readonly string[]): string | undefined {
	let text: string | undefined;
	if (typeof body === 'string') {
		const trimmed = body.trim();
		text = trimmed && !trimmed.startsWith('<') ? trimmed : undefined;
	} else if (Array.isArray(body)) {
		// A 409 of the user endpoints: a list of reasons, e.g. a Login another user has.
		const reasons = body.filter((reason): reason is string => typeof reason === 'string');
		text =
			reasons
				.map((reason) => reason.trim())
				.filter(Boolean)
				.join('; ') || undefined;
	} else if (typeof body === 'object' && body !== null) {
		const fields = body as Record<string, unknown>;
		const topLevel = TOP_LEVEL_KEYS.map((key) => textAt(fields, key)).find(Boolean);
		const nested = nestedError(fields);
		const nestedMessage = nested ? textAt(nested, 'Message') : undefined;
		const code = nested ? textAt(nested, 'Code') : undefined;
		text = topLevel ?? nestedMessage;
		if (text !== undefined && code !== undefined && !topLevel) text = `${text} (${code})`;
		else if (text === undefined && code !== undefined) text = code;
	}
	if (!text) return undefined;
	const short = text.length > LONGEST_QUOTE ? `${text.slice(0, LONGEST_QUOTE)}…` : text;
	return redactSecrets(short, secrets);
}
