// POST /accounts/{id}/withdrawal and /deposit: move money, answer a PaymentInfoModel, and
// record a Payment in the ledger. A withdrawal may take no more than the account's excess.
import { answer, refusal, type ApiAnswer } from '../http';
import { accountOf, type ApiCall, type SandboxContext } from './context';

export type Movement = 'withdrawal' | 'deposit';

/** The query parameter that carries the amount, in the API's own spelling. */
const AMOUNT_PARAMETER: Record<Movement, string> = {
	withdrawal: 'withdrowalValue',
	deposit: 'depositValue',
};

function moveMoney(movement: Movement, context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	const { account } = found;
	const parameter = AMOUNT_PARAMETER[movement];
	const rawValue = call.url.searchParams.get(parameter);
	const value = rawValue === null || rawValue.trim() === '' ? Number.NaN : Number(rawValue);
	if (!Number.isFinite(value)) {
		return refusal(422, `The value '${rawValue ?? ''}' is not valid for ${parameter}.`);
	}
	if (value <= 0) return refusal(422, `${parameter} must be greater than zero.`);
	if (!account.Enabled) return refusal(422, `Trading account ${account.Id} is disabled.`);
	const cents = Math.round(value * 100);
	const excessCents = account.cashCents - account.heldCents;
	if (movement === 'withdrawal' && cents > excessCents) {
		return refusal(
			422,
			`Insufficient funds: the account's excess (${excessCents / 100}) is less than ${value}.`,
		);
	}
	const payment = context.model.recordPayment(
		account.Id,
		movement === 'withdrawal' ? -cents : cents,
	);
	return answer(200, {
		Amount: movement === 'withdrawal' ? -value : value,
		CreateDate: payment.Date,
		Description: '',
	});
}

export function withdraw(context: SandboxContext, call: ApiCall): ApiAnswer {
	return moveMoney('withdrawal', context, call);
}

export function deposit(context: SandboxContext, call: ApiCall): ApiAnswer {
	return moveMoney('deposit', context, call);
}
