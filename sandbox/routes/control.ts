// The sandbox's own endpoints under /__sandbox, to watch and steer it by curl. Not ETNA's API:
// no app key or token needed, and secrets are masked wherever requests are listed.
import { faultRuleProblem, type FaultRule } from '../faults';
import { answer, type ApiAnswer } from '../http';
import type { InFlightStats } from '../inFlight';
import { publicAccount, type SandboxModel, type TokenPolicy } from '../model';
import { tokenPolicyProblem } from '../tokens';
import { settingProblem } from './context';

/** What the controls steer: the running sandbox as server.ts builds it (it implements this). */
export interface SandboxControls {
	readonly model: SandboxModel;
	latencyMs: number;
	maxPageSize: number;
	apiRequests(): Array<{ headers: Record<string, string | string[] | undefined> }>;
	addFault(rule: FaultRule): void;
	clearFaults(): void;
	faults(): FaultRule[];
	logins(): number;
	inFlight(): InFlightStats;
	resetInFlightMaxima(): void;
	reset(): void;
}

/** Headers whose values never leave the sandbox: they may end up in logs or on a screen. */
const SECRET_HEADERS = ['authorization', 'et-app-key', 'password', 'verificationcode', 'pincode'];

const OK = { ok: true };

/** What a person can do here, as GET /__sandbox/help shows it. */
export const CONTROL_ENDPOINTS: Readonly<Record<string, string>> = {
	'GET /help': 'this list',
	'GET /accounts': 'every account, as the API shows it',
	'GET /accounts/{id}/info': "the account's balance, as GET /accounts/{id}/info shows it",
	'GET /accounts/{id}/transactions': "the account's whole ledger, oldest first",
	'GET /requests': 'the API requests received, secrets masked',
	'GET /faults': 'the fault rules in force',
	'POST /faults':
		'adds a fault rule, e.g. {"accountId": 1001, "endpoint": "withdrawal", "fault": {"kind": "status", "status": 500}}',
	'DELETE /faults': 'removes every fault rule',
	'POST /reset': 'everything back to the start',
	'GET /token-policy': 'when tokens stop working',
	'POST /token-policy': 'sets it, e.g. {"maxUses": 3, "lifetimeMs": 60000}',
	'POST /tokens/expire': 'expires every token issued so far',
	'GET /logins': 'how many POST /token calls issued a token',
	'GET /in-flight': 'API requests in flight now, and the most at once (overall, per account)',
	'DELETE /in-flight': 'starts those maxima again',
	'GET /settings': 'latencyMs and maxPageSize',
	'POST /settings': 'sets them, e.g. {"latencyMs": 50, "maxPageSize": 100}',
};

function failure(status: number, error: string): ApiAnswer {
	return answer(status, { error });
}

function parseJson(body: string): { value: unknown } | { problem: string } {
	try {
		return { value: JSON.parse(body) as unknown };
	} catch {
		return { problem: 'the body is not JSON' };
	}
}

function maskedRequests(sandbox: SandboxControls): unknown[] {
	return sandbox.apiRequests().map((recorded) => {
		const headers = { ...recorded.headers };
		for (const name of SECRET_HEADERS) if (headers[name] !== undefined) headers[name] = '***';
		return { ...recorded, headers };
	});
}

/** A JSON body checked by `problemOf`, then given to `apply`; 400 or 422 when it does not fit. */
function withJson(
	body: string,
	problemOf: (value: unknown) => string | undefined,
	apply: (value: unknown) => ApiAnswer,
): ApiAnswer {
	const parsed = parseJson(body);
	if ('problem' in parsed) return failure(400, parsed.problem);
	const problem = problemOf(parsed.value);
	if (problem) return failure(422, problem);
	try {
		return apply(parsed.value);
	} catch (error) {
		if (error instanceof RangeError) return failure(422, error.message);
		throw error;
	}
}

function settingsProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return 'settings are an object such as {"latencyMs": 50, "maxPageSize": 100}';
	}
	for (const [key, setting] of Object.entries(value)) {
		if (key !== 'latencyMs' && key !== 'maxPageSize') return `unknown setting ${key}`;
		const problem = settingProblem(key, setting);
		if (problem) return problem;
	}
	return undefined;
}

function accountView(sandbox: SandboxControls, accountId: number, view: string): ApiAnswer {
	const { model } = sandbox;
	if (!model.accounts.has(accountId)) return failure(404, `No sandbox account ${accountId}`);
	return answer(200, view === 'info' ? model.infoOf(accountId) : model.transactionsOf(accountId));
}

export function handleControl(
	sandbox: SandboxControls,
	method: string,
	path: string,
	body: string,
): ApiAnswer {
	const account = /^\/accounts\/(\d+)\/(info|transactions)$/.exec(path);
	if (method === 'GET' && account) return accountView(sandbox, Number(account[1]), account[2]);
	const { model } = sandbox;
	switch (`${method} ${path}`) {
		case 'GET /help':
			return answer(200, CONTROL_ENDPOINTS);
		case 'GET /accounts':
			return answer(200, [...model.accounts.values()].map(publicAccount));
		case 'GET /requests':
			return answer(200, maskedRequests(sandbox));
		case 'GET /faults':
			return answer(200, sandbox.faults());
		case 'POST /faults':
			return withJson(body, faultRuleProblem, (rule) => {
				sandbox.addFault(rule as FaultRule);
				return answer(200, OK);
			});
		case 'DELETE /faults':
			sandbox.clearFaults();
			return answer(200, OK);
		case 'POST /reset':
			sandbox.reset();
			return answer(200, OK);
		case 'GET /token-policy':
			return answer(200, model.tokenPolicy);
		case 'POST /token-policy':
			return withJson(body, tokenPolicyProblem, (policy) => {
				model.tokenPolicy = policy as TokenPolicy;
				return answer(200, model.tokenPolicy);
			});
		case 'POST /tokens/expire':
			model.expireAllTokens();
			return answer(200, OK);
		case 'GET /logins':
			return answer(200, { logins: sandbox.logins() });
		case 'GET /in-flight':
			return answer(200, sandbox.inFlight());
		case 'DELETE /in-flight':
			sandbox.resetInFlightMaxima();
			return answer(200, sandbox.inFlight());
		case 'GET /settings':
			return answer(200, { latencyMs: sandbox.latencyMs, maxPageSize: sandbox.maxPageSize });
		case 'POST /settings':
			return withJson(body, settingsProblem, (value) => {
				const settings = value as { latencyMs?: number; maxPageSize?: number };
				if (settings.latencyMs !== undefined) sandbox.latencyMs = settings.latencyMs;
				if (settings.maxPageSize !== undefined) sandbox.maxPageSize = settings.maxPageSize;
				return answer(200, { latencyMs: sandbox.latencyMs, maxPageSize: sandbox.maxPageSize });
			});
		default:
			return answer(404, {
				error: `Unknown sandbox control ${method} ${path}`,
				known: Object.keys(CONTROL_ENDPOINTS),
			});
	}
}
