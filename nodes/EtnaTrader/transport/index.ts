// The only place that speaks HTTP to ETNA: it reads the credential, builds the URLs and the
// headers, sends through n8n's request helpers and hands back what happened, never a raw error.
export {
	authenticationHeaders,
	bearerTokenOf,
	EtnaCredentialError,
	loginNameOf,
	readConnection,
	type EtnaAuth,
	type EtnaConnection,
} from './connection';
export {
	EtnaLoginError,
	forgetLogins,
	sessionTokenFor,
	type LoginFailure,
	type LoginResult,
} from './login';
export {
	DEFAULT_SORT,
	PAGE_SIZE,
	readPages,
	type EtnaList,
	type ListSort,
	type PagedRead,
	type PagedResult,
} from './paging';
export {
	callEtna,
	callEtnaPatiently,
	ETNA_CREDENTIAL_TYPE,
	LONGEST_RATE_LIMIT_WAIT_MS,
	loadConnection,
	replyFromError,
	secretsOf,
	urlOf,
	type EtnaCall,
	type EtnaReply,
	type Patience,
} from './request';
