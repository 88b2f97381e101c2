// The only place that speaks HTTP to ETNA: it reads the credential, builds the URLs and the
// headers from the one table of ETNA's routes (routes.ts), sends through n8n's request helpers
// and hands back what happened, never a raw error. Nothing here imports from helpers/ or
// actions/: the wording of failures lives above.
export {
	authenticationHeaders,
	EtnaCredentialError,
	loginNameOf,
	readConnection,
	type EtnaConnection,
} from './connection';
export { credentialTestRequest } from './credentialTest';
export { allOf, filterOn } from './filters';
export { EtnaLoginError, sessionTokenFor, type LoginFailure, type LoginFailureKind } from './login';
export {
	DEFAULT_SORT,
	PAGE_SIZE,
	readFirstPage,
	readNewestId,
	readPages,
	type EtnaList,
	type ListSort,
} from './paging';
export { classifyReply, type EtnaReply, type ReplyClass } from './replies';
export { clock } from './clock';
export {
	callEtna,
	callRoute,
	callUrlOf,
	loadConnection,
	urlOf,
	type EtnaContext,
	type SentReply,
} from './request';
export {
	amountParameterOf,
	ETNA_ROUTES,
	EtnaRouteError,
	ROUTE_NAMES,
	routeCall,
	wholeModelOf,
	type EtnaCall,
	type EtnaRoute,
	type RouteName,
	type RouteRequest,
} from './routes';
