import {
	checkAccountId,
	checkAmount,
	checkFields,
	checkPaidSince,
	describeGiven,
	inputProblemMessage,
	MAX_AMOUNT,
} from '../../../../nodes/EtnaTrader/helpers/validation';

describe('checkAccountId', () => {
	it.each([
		[1001, 1001],
		['1001', 1001],
		[' 7420 ', 7420],
		[1, 1],
		[2147483647, 2147483647],
		['0001001', 1001],
	])('accepts %p as %p', (given, expected) => {
		expect(checkAccountId(given)).toEqual({ ok: true, value: expected });
	});

	it.each([
		0,
		-1,
		1.5,
		2147483648,
		'',
		'12a',
		'1 2',
		'-5',
		'0x10',
		undefined,
		null,
		{},
		[1001],
		true,
	])('refuses %p', (given) => {
		expect(checkAccountId(given).ok).toBe(false);
	});
});

describe('checkAmount', () => {
	it.each([
		[25, 2500, '25'],
		['25.50', 2550, '25.5'],
		[0.01, 1, '0.01'],
		[0.1 + 0.2, 30, '0.3'],
		[1.1 * 3, 330, '3.3'],
		[19.99, 1999, '19.99'],
		[MAX_AMOUNT, 99999999999999, '999999999999.99'],
		['999999999999.99', 99999999999999, '999999999999.99'],
	])('accepts %p as %p cents, sent as %s', (given, cents, decimal) => {
		const checked = checkAmount(given);
		expect(checked).toEqual({ ok: true, value: { cents, decimal, value: cents / 100 } });
	});

	it.each([
		0,
		-0.01,
		0.001,
		1.005,
		12.345,
		'12.345',
		'1e3',
		1e21,
		1e-7,
		'1,000',
		'.5',
		'5.',
		Number.NaN,
		'',
		null,
		[5],
	])('refuses %p', (given) => {
		expect(checkAmount(given).ok).toBe(false);
	});

	it('never sends exponent notation, whatever the size', () => {
		for (const given of [0.01, 0.07, 1e-2, 123456789012.34, 5e11]) {
			const checked = checkAmount(given);
			expect(checked.ok && checked.value.decimal).toMatch(/^\d+(\.\d{1,2})?$/);
		}
	});
});

describe('describeGiven', () => {
	it('shows values as a message should, cutting long ones', () => {
		expect(describeGiven('abc')).toBe('"abc"');
		expect(describeGiven('  ')).toBe('an empty value');
		expect(describeGiven(undefined)).toBe('nothing');
		expect(describeGiven({ a: 1 })).toBe('an object');
		expect(describeGiven('x'.repeat(100))).toBe(`"${'x'.repeat(40)}…"`);
	});
});

describe('checkPaidSince', () => {
	const now = Date.parse('2026-11-26T12:00:00Z');

	it.each([
		['2026-11-25T02:00:00Z', 'UTC', '2026-11-25T02:00:00.000Z'],
		['2026-11-25T02:00:00+01:00', 'UTC', '2026-11-25T01:00:00.000Z'],
		['2026-11-25T11:00:00', 'Asia/Tokyo', '2026-11-25T02:00:00.000Z'],
		['2026-11-25 21:00', 'America/New_York', '2026-11-26T02:00:00.000Z'],
		['2026-07-01T22:00:00', 'America/New_York', '2026-07-02T02:00:00.000Z'],
	])('reads %p in %s as %s', (given, zone, expected) => {
		const checked = checkPaidSince(given, zone, now);
		expect(checked.ok && checked.value !== undefined && new Date(checked.value).toISOString()).toBe(
			expected,
		);
	});

	it('reads a Luxon DateTime or a Date from an expression', () => {
		const instant = Date.parse('2026-11-25T02:00:00Z');
		expect(checkPaidSince({ toMillis: () => instant }, 'UTC', now)).toEqual({
			ok: true,
			value: instant,
		});
		expect(checkPaidSince(new Date(instant), 'UTC', now)).toEqual({ ok: true, value: instant });
	});

	it.each([undefined, null, ''])('is off for %p', (given) => {
		expect(checkPaidSince(given, 'UTC', now)).toEqual({ ok: true, value: undefined });
	});

	it.each(['2026-11-27T00:00:00Z', 'yesterday', '25/11/2026', 1764036000000, {}])(
		'refuses %p',
		(given) => {
			expect(checkPaidSince(given, 'UTC', now).ok).toBe(false);
		},
	);
});

describe('inputProblemMessage', () => {
	const rule = 'be a number above 0';

	it('numbers items from 1 and names the field, the value and the rule', () => {
		expect(inputProblemMessage({ field: 'amount', label: 'Amount', given: '1,5', rule }, 0)).toBe(
			'Item 1: Amount "1,5" is not valid: it must be a number above 0',
		);
	});

	it.each([null, undefined, '', '  '])('says a field holding %p is empty', (given) => {
		expect(inputProblemMessage({ field: 'amount', label: 'Amount', given, rule }, 2)).toBe(
			'Item 3: Amount is empty: it must be a number above 0',
		);
	});
});

describe('checkFields', () => {
	it('reads names separated by commas, each once, in the order given; empty means every field', () => {
		expect(checkFields('Id, Cash ,Id')).toEqual({ ok: true, value: ['Id', 'Cash'] });
		expect(checkFields(['Id', ' _x1 '])).toEqual({ ok: true, value: ['Id', '_x1'] });
		expect(checkFields('')).toEqual({ ok: true, value: undefined });
		expect(checkFields(' , ')).toEqual({ ok: true, value: undefined });
		expect(checkFields(undefined)).toEqual({ ok: true, value: undefined });
	});

	it.each(['Balance.Cash', 'Clearing Account', '1Id', "Id'", 'Id;Cash', 42, { Id: true }, [1]])(
		'refuses %p',
		(given) => {
			expect(checkFields(given)).toMatchObject({ ok: false, problem: { field: 'fields' } });
		},
	);
});
