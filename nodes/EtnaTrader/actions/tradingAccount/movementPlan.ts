// One Withdraw or Deposit item, planned in one pass before anything is sent: its parameters as
// given, judged by the pure checks, composed into the plan or the first refusal.
import {
	allChecked,
	andThen,
	checkAccountId,
	checkAmount,
	checkIdempotencyKey,
	checkMaxAmount,
	checkPaidSince,
	checkTimeout,
	checkWithinLimit,
	DEFAULT_TIMEOUT_MS,
	mapChecked,
	type Amount,
} from '../../helpers/validation';
import { optionIsSet, parameterOf, type Planner } from '../shared/items';

export interface MoneyMovement {
	/** The operation as the editor names it: "Withdraw". */
	operation: 'Withdraw' | 'Deposit';
	/** How messages name it: "the withdrawal of 25 from account 1001". */
	noun: 'withdrawal' | 'deposit';
	preposition: 'from' | 'to';
	/** The route (transport's table), which names the query parameter that carries the amount. */
	route: 'withdrawal' | 'deposit';
	/** The sign of its `Value` in ETNA's ledger: -1 takes money out. */
	ledgerSign: -1 | 1;
}

export interface PlannedMovement {
	accountId: number;
	amount: Amount;
	timeoutMs: number;
	requireSufficientCash: boolean;
	dryRun: boolean;
	reconcileUnknown: boolean;
	/** Skip If Already Paid Since: the instant, or absent when the option is off. */
	paidSince?: number;
	/** Idempotency Key: the caller's id of the request, or absent when the option is off. */
	idempotencyKey?: string;
}

interface MovementGiven {
	accountId: unknown;
	amount: unknown;
	options: Record<string, unknown>;
	/** Whether Idempotency Key is among the node's Options, whatever its expression gives. */
	keySet: boolean;
	timeZone: string;
}

export function movementPlanner(movement: MoneyMovement): Planner<MovementGiven, PlannedMovement> {
	return {
		read: (context, itemIndex, options) => ({
			accountId: parameterOf(context, 'accountId', itemIndex),
			amount: parameterOf(context, 'amount', itemIndex),
			options,
			keySet: optionIsSet(context, 'idempotencyKey'),
			timeZone: context.getTimezone(),
		}),
		check: ({ accountId, amount, options, keySet, timeZone }) =>
			mapChecked(
				allChecked({
					accountId: checkAccountId(accountId),
					amount: andThen(checkMaxAmount(options.maxAmount), (limit) =>
						andThen(checkAmount(amount), (checked) => checkWithinLimit(checked, limit, amount)),
					),
					timeoutMs: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS),
					paidSince: checkPaidSince(options.skipIfPaidSince, timeZone),
					idempotencyKey: checkIdempotencyKey(options.idempotencyKey, keySet),
				}),
				(checked) => ({
					...checked,
					requireSufficientCash:
						movement.noun === 'withdrawal' && options.requireSufficientCash === true,
					dryRun: options.dryRun === true,
					reconcileUnknown: options.reconcileUnknown === true,
				}),
			),
		shown: ({ accountId, amount }) => ({ accountId, amount }),
	};
}
