// What the ledger proves: which rows may be the payment a request made. Matching errs on the
// side that cannot pay twice: any row that is not a trade counts.
import {
	mayBePaymentOf,
	paidAlready,
	paymentAfter,
	type LedgerTransaction,
} from '../../../../nodes/EtnaTrader/helpers/ledger';

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

		expect(paymentAfter(rows, 5, -1000)?.Id).toBe(8);
		expect(paymentAfter(rows, 9, -1000)).toBeUndefined();
	});

	it('ignores rows that are not ledger transactions', () => {
		expect(
			paymentAfter([{ Id: '6', Value: -10, Type: 'Payment' }, null], 0, -1000),
		).toBeUndefined();
	});
});

describe('paidAlready', () => {
	const since = Date.parse('2026-11-30T09:00:00Z');

	it('lets one row excuse one item, in input order, and only rows since the item time', () => {
		const ledger: Record<number, LedgerTransaction[]> = {
			1001: [
				row(1, -10, 'Payment', '2026-11-30T08:59:59Z'),
				row(2, -10, 'ManualManipulation'),
				row(3, -10, 'OrderExecution'),
			],
			1002: [row(4, -20, 'Payment')],
		};

		const excused = paidAlready(
			[
				{ itemIndex: 0, accountId: 1001, signedCents: -1000, since },
				{ itemIndex: 1, accountId: 1001, signedCents: -1000, since },
				{ itemIndex: 2, accountId: 1002, signedCents: -2000, since },
			],
			(accountId) => ledger[accountId] ?? [],
		);

		expect([...excused].map(([index, payment]) => [index, payment.Id])).toEqual([
			[0, 2],
			[2, 4],
		]);
	});
});
