// GET /accounts (the paged, filtered list) and GET /accounts/{id}.
import {
	QueryError,
	parseFilter,
	readBooleanParameter,
	sortRows,
	type FieldSchema,
} from '../filters';
import { answer, refusal, type ApiAnswer } from '../http';
import { publicAccount } from '../model';
import { pageOf, readPageWindow } from '../paging';
import { accountOf, type ApiCall, type SandboxContext } from './context';

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
	try {
		const window = readPageWindow(url, context.settings.maxPageSize);
		let accounts = [...context.model.accounts.values()].map(publicAccount);
		const filter = url.searchParams.get('filter')?.trim();
		if (filter) accounts = accounts.filter(parseFilter(filter, ACCOUNT_FIELDS));
		// Both required: contract.ts refuses a request without them before it gets here.
		const propertyName = url.searchParams.get('propertyName') ?? '';
		const descending = !readBooleanParameter(url, 'isAscending');
		const sorted = sortRows(accounts, propertyName, descending, ACCOUNT_FIELDS);
		return answer(200, pageOf(sorted, window, url, context.origin, null));
	} catch (error) {
		if (error instanceof QueryError) return refusal(422, error.message);
		throw error;
	}
}

export function getAccount(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	return 'refused' in found ? found.refused : answer(200, publicAccount(found.account));
}
