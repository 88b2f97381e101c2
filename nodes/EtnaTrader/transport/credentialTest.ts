// The credential's Test: one page of one account from the account list, built from the routes
// table like every other request. n8n sends it from the credential type's `test`, resolving
// expressions over the credential's fields, so the Base URL and API Version clean-up is written
// in n8n's expression language here (connection.ts keeps it beside readConnection's).
import type { ICredentialTestRequest } from 'n8n-workflow';

import { CLEAN_API_VERSION_EXPRESSION, CLEAN_BASE_URL_EXPRESSION } from './connection';
import { DEFAULT_SORT, listRequestOf } from './paging';
import { ETNA_ROUTES, routeCall } from './routes';

/** Reads one account: an administrator's call that moves no money, with every required parameter. */
export function credentialTestRequest(): ICredentialTestRequest['request'] {
	const list = listRequestOf({ kind: 'accounts' }, DEFAULT_SORT);
	const call = routeCall(list.route, {
		query: { pageNumber: '0', pageSize: '1', ...list.query },
		timeoutMs: 30_000,
	});
	if (!ETNA_ROUTES[call.route].versioned) throw new Error('The Test reads a versioned route');
	return {
		baseURL: `={{${CLEAN_BASE_URL_EXPRESSION}}}`,
		url: `=/v{{${CLEAN_API_VERSION_EXPRESSION}}}/${call.path.map((segment) => encodeURIComponent(String(segment))).join('/')}`,
		method: call.method,
		qs: call.query,
		disableFollowRedirect: true,
	};
}
