import {
	checkAccountId,
	checkAmount,
	describeGiven,
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
