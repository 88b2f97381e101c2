// GET /accounts/{id}/transactions: the ledger, paged, sorted and filtered like the account list.
import {
	QueryError,
	parseFilter,
	readBooleanParameter,
	sortRows,
	type FieldSchema,
} from '../filters';
import { answer, refusal, type ApiAnswer } from '../http';
import { pageOf, readPageWindow } from '../paging';
import { accountOf, type ApiCall, type SandboxContext } from './context';

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
	const { url } = call;
	try {
		const window = readPageWindow(url, context.settings.maxPageSize);
		let transactions = context.model.transactionsOf(found.account.Id);
		const filter = url.searchParams.get('filter')?.trim();
		if (filter) transactions = transactions.filter(parseFilter(filter, TRANSACTION_FIELDS));
		// Both required: contract.ts refuses a request without them before it gets here.
		const sortBy = url.searchParams.get('sortBy') ?? '';
		const sorted = sortRows(
			transactions,
			sortBy,
			readBooleanParameter(url, 'isDesc'),
			TRANSACTION_FIELDS,
		);
		// The ledger writes "" where the account list writes null for a missing page.
		return answer(200, pageOf(sorted, window, url, context.origin, ''));
	} catch (error) {
		if (error instanceof QueryError) return refusal(422, error.message);
		throw error;
	}
}
