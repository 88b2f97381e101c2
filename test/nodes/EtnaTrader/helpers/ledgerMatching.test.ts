// What the ledger proves: which rows may be the payment a request made. Matching errs on the
// side that cannot pay twice: any row that is not a trade counts.
import {
	excusingPayment,
	mayBePaymentOf,
	paymentAfter,
	type LedgerTransaction,
} from '../../../../nodes/EtnaTrader/helpers/ledgerMatching';

function row(
	Id: number,
	Value: number,
	Type: string,
	Date = '2026-11-30T10:00:00Z',
): LedgerTransaction {
	return { Id, Value, Type, Date };
}

describe('mayBePaymentOf', () => {
	it.each(['Payment', 'ManualManipulation', 'Undefined', 'SomeTypeTheDocsDoNotList'])(
		'counts a %s row of the exact signed amount',
		(type) => {
			expect(mayBePaymentOf(row(1, -25.5, type), -2550)).toBe(true);
		},
	);

	it.each(['Commission', 'OrderExecution', 'OptionExpiration', 'Clearing', 'Rpl'])(
		'never counts a trading row (%s), whatever its value',
		(type) => {
			expect(mayBePaymentOf(row(1, -25.5, type), -2550)).toBe(false);
		},
	);

	it('needs the sign and the cents to match', () => {
		expect(mayBePaymentOf(row(1, 25.5, 'Payment'), -2550)).toBe(false);
		expect(mayBePaymentOf(row(1, -25.51, 'Payment'), -2550)).toBe(false);
		// Float noise in the ledger's dollars does not hide a match.
		expect(mayBePaymentOf(row(1, -0.1 - 0.2, 'Payment'), -30)).toBe(true);
	});
});

describe('paymentAfter', () => {
	it('takes the earliest matching row after the baseline, never one at or before it', () => {
		const rows = [
			row(5, -10, 'Payment'),
			row(9, -10, 'ManualManipulation'),
			row(7, -10, 'Commission'),
			row(8, -10, 'Undefined'),
		];

		expect(paymentAfter(rows, { afterId: 5 }, -1000)?.Id).toBe(8);
		expect(paymentAfter(rows, { afterId: 9 }, -1000)).toBeUndefined();
	});

	it('with a dated baseline, also leaves out rows dated before it (rows the read did not cover)', () => {
		const rows = [
			row(8, -10, 'Payment', '2026-11-30T09:59:59Z'),
			row(9, -10, 'Payment', '2026-11-30T10:00:00Z'),
		];
		const datedFrom = Date.parse('2026-11-30T10:00:00Z');

		expect(paymentAfter(rows, { afterId: 0, datedFrom }, -1000)?.Id).toBe(9);
		expect(paymentAfter(rows, { afterId: 9, datedFrom }, -1000)).toBeUndefined();
	});

	it('ignores rows that are not ledger transactions', () => {
		expect(
			paymentAfter([{ Id: '6', Value: -10, Type: 'Payment' }, null], { afterId: 0 }, -1000),
		).toBeUndefined();
	});
});

describe('excusingPayment', () => {
	const since = Date.parse('2026-11-30T09:00:00Z');

	it('lets one row excuse one item, each the earliest untaken row of its amount since its time', () => {
		const rows = [
			row(1, -10, 'Payment', '2026-11-30T08:59:59Z'),
			row(3, -10, 'OrderExecution'),
			row(4, -10, 'Payment'),
			row(2, -10, 'ManualManipulation'),
		];
		const taken = new Set<LedgerTransaction>();

		const first = excusingPayment(rows, -1000, since, taken);
		if (first) taken.add(first);
		const second = excusingPayment(rows, -1000, since, taken);
		if (second) taken.add(second);
		const third = excusingPayment(rows, -1000, since, taken);

		expect([first?.Id, second?.Id, third]).toEqual([2, 4, undefined]);
		expect(excusingPayment(rows, -2000, since, new Set())).toBeUndefined();
	});
});
