// GET /accounts (the paged, filtered list) and GET /accounts/{id}.
import type { FieldSchema } from '../filters';
import { answer, type ApiAnswer } from '../http';
import { listedAccount, publicAccount } from '../model';
import { accountOf, type ApiCall, type SandboxContext } from './context';
import { listAnswer } from './lists';

/** The list's fields, for `filter` and `propertyName`. */
export const ACCOUNT_FIELDS: FieldSchema = {
	Id: 'number',
	ClearingAccount: 'string',
	Enabled: 'boolean',
	Cash: 'number',
	Currency: 'string',
	Status: 'string',
	MarginType: 'string',
	DayTradingBuyingPower: 'number',
	CreatedDate: 'date',
	ModifiedDate: 'date',
};

export function listAccounts(context: SandboxContext, { url }: ApiCall): ApiAnswer {
	// Filtered and sorted on the list's fields; only the page served is built in full.
	const accounts = [...context.model.accounts.values()].map(listedAccount);
	return listAnswer(
		context,
		url,
		accounts,
		{
			fields: ACCOUNT_FIELDS,
			sortField: 'propertyName',
			direction: { parameter: 'isAscending', trueMeansDescending: false },
			noLink: null,
		},
		(listed) => publicAccount(listed.account),
	);
}

export function getAccount(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	return 'refused' in found ? found.refused : answer(200, publicAccount(found.account));
}
