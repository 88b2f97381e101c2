// GET /accounts/{id}/transactions: the ledger, paged, sorted and filtered like the account list.
import type { FieldSchema } from '../filters';
import type { ApiAnswer } from '../http';
import { accountOf, type ApiCall, type SandboxContext } from './context';
import { listAnswer } from './lists';
/** The ledger's fields, for `filter` and `sortBy`. */
export const TRANSACTION_FIELDS: FieldSchema = {
	Id: 'number',
	AccountId: 'number',
	Date: 'date',
	Value: 'number',
	Type: 'string',
	Description: 'string',
	SecurityId: 'number',
	Quantity: 'number',
	Fee: 'number',
};

export function listTransactions(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	return listAnswer(context, call.url, context.model.transactionsOf(found.account.Id), {
		fields: TRANSACTION_FIELDS,
		sortField: 'sortBy',
		direction: { parameter: 'isDesc', trueMeansDescending: true },
		// The ledger writes "" where the account list writes null for a missing page.
		noLink: '',
	});
}
