// A local ETNA Trader private API (see shared etna-api.md), with no dependencies beyond Node.js.
// It keeps balances, checks the headers the real API checks, records every request it gets and
// can be told to misbehave (status codes, delays, hangs, resets, broken JSON, redirects).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import {
	publicAccount,
	SandboxModel,
	type SandboxModelOptions,
	type TradingAccount,
} from './model';

export type Fault =
	/** Answer with this status and body instead of doing the work (or after it, with afterProcessing). */
	| {
			kind: 'status';
			status: number;
			body?: unknown;
			headers?: Record<string, string>;
			afterProcessing?: boolean;
	  }
	/** Wait, then handle the request normally: a slow API whose answer may come after the client gave up. */
	| { kind: 'delay'; ms: number }
	/** Never answer. */
	| { kind: 'hang' }
	/** Drop the connection, before the work or after it (money moved, answer lost). */
	| { kind: 'reset'; afterProcessing?: boolean }
	/** Do the work, then answer 200 with a body that is not JSON. */
	| { kind: 'malformedJson' }
	/** Answer with a redirect elsewhere, doing nothing. */
	| { kind: 'redirect'; location: string; status?: number };

export interface FaultRule {
	fault: Fault;
	/** Only requests about this trading account; any API request when absent. */
	accountId?: number;
	/** How many requests it applies to; every one when absent. */
	times?: number;
}

export interface RecordedRequest {
	method: string;
	/** Path and query exactly as received. */
	url: string;
	path: string;
	query: Record<string, string[]>;
	/** Header names in lower case. */
	headers: Record<string, string | string[] | undefined>;
	body: string;
	receivedAt: string;
}

export interface SandboxOptions extends SandboxModelOptions {
	host?: string;
	port?: number;
}

export interface EtnaSandbox {
	/** The API root to put in the credential, e.g. http://127.0.0.1:40123/api */
	readonly apiUrl: string;
	readonly origin: string;
	readonly port: number;
	readonly model: SandboxModel;
	readonly requests: RecordedRequest[];
	/** Requests that reached the API (not the sandbox's own control endpoints). */
	apiRequests(): RecordedRequest[];
	addFault(rule: FaultRule): void;
	clearFaults(): void;
	/** Forgets the requests received so far. */
	clearRequests(): void;
	/** Balances, tokens, faults and recorded requests back to the start. */
	reset(): void;
	close(): Promise<void>;
}

const API_PREFIX = '/api';
const CONTROL_PREFIX = '/__sandbox';
const ACCEPTED_VERSIONS = new Set(['1.0', '1']);

const APP_KEY_ERROR = { error: 'Application key is not defined or does not exist' };
const DENIED = { Message: 'Authorization has been denied for this request.' };

interface ApiAnswer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

function answer(status: number, body: unknown): ApiAnswer {
	return { status, body };
}

/** ETNA writes CreateDate with seven fractional digits (.NET ticks). */
function etnaTimestamp(date: Date): string {
	return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

function sendJson(response: ServerResponse, { status, body, headers }: ApiAnswer): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

function queryOf(url: URL): Record<string, string[]> {
	const query: Record<string, string[]> = {};
	for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
	return query;
}

/** The filters of etna-api.md: `Id = 7420`, `Id in (1, 2)`, `Cash between 0 and 2500`, `Currency = 'USD'`. */
function accountFilter(
	filter: string,
): ((account: Record<string, unknown>) => boolean) | undefined {
	const literal = (text: string): string | number =>
		/^'.*'$/.test(text) ? text.slice(1, -1) : Number(text);
	let match = /^\s*(\w+)\s*=\s*('[^']*'|-?[\d.]+)\s*$/i.exec(filter);
	if (match) {
		const [, field, value] = match;
		return (account) => account[field] === literal(value);
	}
	match = /^\s*(\w+)\s+in\s*\(([^)]*)\)\s*$/i.exec(filter);
	if (match) {
		const [, field, list] = match;
		const values = list.split(',').map((item) => literal(item.trim()));
		return (account) => values.includes(account[field] as string | number);
	}
	match = /^\s*(\w+)\s+between\s+(-?[\d.]+)\s+and\s+(-?[\d.]+)\s*$/i.exec(filter);
	if (match) {
		const [, field, low, high] = match;
		return (account) => {
			const value = Number(account[field]);
			return value >= Number(low) && value <= Number(high);
		};
	}
	return undefined;
}

export async function startEtnaSandbox(options: SandboxOptions = {}): Promise<EtnaSandbox> {
	const model = new SandboxModel(options);
	const requests: RecordedRequest[] = [];
	let faults: FaultRule[] = [];
	const sockets = new Set<Socket>();
	const hanging = new Set<ServerResponse>();
	let origin = '';

	function takeFault(accountId: number | undefined): Fault | undefined {
		const rule = faults.find(
			(candidate) => candidate.accountId === undefined || candidate.accountId === accountId,
		);
		if (!rule) return undefined;
		if (rule.times !== undefined) {
			rule.times -= 1;
			if (rule.times <= 0) faults = faults.filter((candidate) => candidate !== rule);
		}
		return rule.fault;
	}

	function handleToken(request: IncomingMessage): ApiAnswer {
		const username = headerValue(request, 'username') ?? '';
		const password = headerValue(request, 'password') ?? '';
		const user = model.users.get(username);
		const failed = {
			State: 'Failed',
			Step: 'BaseAuthentication',
			Reason: 'Invalid credentials',
		};
		if (!user) return answer(401, failed);
		if (user.verificationCode !== undefined) {
			const code = headerValue(request, 'verificationcode');
			const interim = (headerValue(request, 'authorization') ?? '').replace(/^Bearer /, '');
			const interimToken = model.lookupToken(interim);
			if (code !== undefined && interimToken?.interim && interimToken.username === username) {
				if (code !== user.verificationCode) {
					return answer(401, { State: 'Failed', Step: 'VerificationCode', Reason: 'Invalid code' });
				}
				return answer(200, { State: 'Succeeded', Token: model.issueToken(username) });
			}
			if (password !== user.password) return answer(401, failed);
			return answer(202, {
				State: 'Expecting',
				Step: 'VerificationCode',
				Reason: 'Expecting confirmation code',
				Token: model.issueToken(username, true),
			});
		}
		if (password !== user.password) return answer(401, failed);
		return answer(200, { State: 'Succeeded', Token: model.issueToken(username) });
	}

	function moveMoney(
		account: TradingAccount,
		rawValue: string | null,
		direction: 'withdrawal' | 'deposit',
	): ApiAnswer {
		const parameter = direction === 'withdrawal' ? 'withdrowalValue' : 'depositValue';
		const value = rawValue === null || rawValue.trim() === '' ? Number.NaN : Number(rawValue);
		if (!Number.isFinite(value)) {
			return answer(422, {
				Message: `The value '${rawValue ?? ''}' is not valid for ${parameter}.`,
			});
		}
		if (value <= 0) return answer(422, { Message: `${parameter} must be greater than zero.` });
		if (!account.Enabled) {
			return answer(422, { Message: `Trading account ${account.Id} is disabled.` });
		}
		const cents = Math.round(value * 100);
		if (direction === 'withdrawal' && cents > account.cashCents) {
			return answer(422, {
				Message: `Insufficient funds: the account's cash (${account.cashCents / 100}) is less than ${value}.`,
			});
		}
		account.cashCents += direction === 'withdrawal' ? -cents : cents;
		const now = new Date();
		account.ModifiedDate = now.toISOString();
		return answer(200, {
			Amount: direction === 'withdrawal' ? -value : value,
			CreateDate: etnaTimestamp(now),
			Description: '',
		});
	}

	function listAccounts(url: URL): ApiAnswer {
		const pageSize = Number(url.searchParams.get('pageSize') ?? '20');
		const pageNumber = Number(url.searchParams.get('pageNumber') ?? '0');
		if (
			!Number.isInteger(pageSize) ||
			pageSize < 1 ||
			!Number.isInteger(pageNumber) ||
			pageNumber < 0
		) {
			return answer(422, { Message: 'pageSize must be at least 1 and pageNumber at least 0.' });
		}
		let accounts = [...model.accounts.values()].map(publicAccount);
		const filter = url.searchParams.get('filter');
		if (filter) {
			const predicate = accountFilter(filter);
			if (!predicate) return answer(422, { Message: `The filter '${filter}' is not valid.` });
			accounts = accounts.filter(predicate);
		}
		const propertyName = url.searchParams.get('propertyName') || 'Id';
		const ascending = url.searchParams.get('isAscending') !== 'false';
		accounts.sort((a, b) => {
			const left = a[propertyName] as number | string;
			const right = b[propertyName] as number | string;
			const order = left < right ? -1 : left > right ? 1 : 0;
			return ascending ? order : -order;
		});
		const page = accounts.slice(pageNumber * pageSize, (pageNumber + 1) * pageSize);
		const link = (number: number) => {
			const next = new URL(url.toString(), origin);
			next.searchParams.set('pageNumber', String(number));
			return next.toString();
		};
		return answer(200, {
			Result: page,
			TotalCount: accounts.length,
			NextPageLink: (pageNumber + 1) * pageSize < accounts.length ? link(pageNumber + 1) : null,
			PreviousPageLink: pageNumber > 0 ? link(pageNumber - 1) : null,
		});
	}

	/** The API proper, after the app key and the token were checked. */
	function route(method: string, url: URL, segments: string[]): ApiAnswer | 'unknown-route' {
		const [versionSegment, collection, idSegment, action, ...rest] = segments;
		const version = versionSegment?.startsWith('v') ? versionSegment.slice(1) : undefined;
		if (!version || !ACCEPTED_VERSIONS.has(version) || collection !== 'accounts' || rest.length) {
			return 'unknown-route';
		}
		if (idSegment === undefined) {
			return method === 'GET' ? listAccounts(url) : 'unknown-route';
		}
		if (!/^\d+$/.test(idSegment) || Number(idSegment) > 2147483647) {
			return answer(422, { Message: `The value '${idSegment}' is not valid for accountId.` });
		}
		const account = model.accounts.get(Number(idSegment));
		if (action === undefined && method === 'GET') {
			return account
				? answer(200, publicAccount(account))
				: answer(404, { Message: `Trading account ${idSegment} was not found.` });
		}
		if (method === 'POST' && (action === 'withdrawal' || action === 'deposit')) {
			if (!account) return answer(404, { Message: `Trading account ${idSegment} was not found.` });
			const parameter = action === 'withdrawal' ? 'withdrowalValue' : 'depositValue';
			return moveMoney(account, url.searchParams.get(parameter), action);
		}
		return 'unknown-route';
	}

	async function handleApi(
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		const method = request.method ?? 'GET';
		const segments = url.pathname.slice(API_PREFIX.length).split('/').slice(1);
		const accountSegment = segments[1] === 'accounts' ? segments[2] : undefined;
		const accountId =
			accountSegment !== undefined && /^\d+$/.test(accountSegment)
				? Number(accountSegment)
				: undefined;
		const fault = takeFault(accountId);

		if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
		if (fault?.kind === 'hang') {
			hanging.add(response);
			return;
		}
		if (fault?.kind === 'redirect') {
			response.writeHead(fault.status ?? 307, { location: fault.location, 'content-length': 0 });
			response.end();
			return;
		}
		const processFirst =
			fault?.kind === 'malformedJson' ||
			((fault?.kind === 'reset' || fault?.kind === 'status') && fault.afterProcessing === true);
		if (fault && !processFirst) {
			if (fault.kind === 'reset') {
				request.socket.destroy();
				return;
			}
			if (fault.kind === 'status') {
				sendJson(response, {
					status: fault.status,
					body: fault.body ?? {},
					headers: fault.headers,
				});
				return;
			}
		}

		const result = authorizeAndRoute(request, method, url, segments);
		if (fault && processFirst) {
			if (fault.kind === 'reset') request.socket.destroy();
			else if (fault.kind === 'malformedJson')
				sendJson(response, { status: 200, body: '{"Amount": -' });
			else if (fault.kind === 'status') {
				sendJson(response, {
					status: fault.status,
					body: fault.body ?? {},
					headers: fault.headers,
				});
			}
			return;
		}
		sendJson(response, result);
	}

	function authorizeAndRoute(
		request: IncomingMessage,
		method: string,
		url: URL,
		segments: string[],
	): ApiAnswer {
		const appKey = headerValue(request, 'et-app-key');
		if (appKey === undefined || !model.appKeys.has(appKey)) return answer(403, APP_KEY_ERROR);
		if (segments.length === 1 && segments[0] === 'token') {
			return method === 'POST' ? handleToken(request) : answer(405, { Message: 'Use POST.' });
		}
		const authorization = headerValue(request, 'authorization') ?? '';
		const bearer = /^Bearer (\S+)$/.exec(authorization);
		const token = bearer ? model.lookupToken(bearer[1]) : undefined;
		// Every account endpoint here is an administrator's: a user's token gets the same 401.
		if (!token || token.interim || token.role !== 'admin') return answer(401, DENIED);
		const result = route(method, url, segments);
		if (result === 'unknown-route') {
			return answer(404, {
				Message: `No HTTP resource was found that matches the request URI '${url.pathname}'.`,
			});
		}
		return result;
	}

	async function handleControl(
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
		body: string,
	): Promise<void> {
		const action = `${request.method ?? 'GET'} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
		switch (action) {
			case 'GET /accounts':
				return sendJson(response, answer(200, [...model.accounts.values()].map(publicAccount)));
			case 'GET /requests':
				// Secrets are masked here: this listing may end up in logs or on a screen.
				return sendJson(
					response,
					answer(
						200,
						apiRequests().map((recorded) => ({
							...recorded,
							headers: {
								...recorded.headers,
								authorization: recorded.headers.authorization === undefined ? undefined : '***',
								'et-app-key': recorded.headers['et-app-key'] === undefined ? undefined : '***',
							},
						})),
					),
				);
			case 'POST /faults':
				sandbox.addFault(JSON.parse(body) as FaultRule);
				return sendJson(response, answer(200, { ok: true }));
			case 'DELETE /faults':
				sandbox.clearFaults();
				return sendJson(response, answer(200, { ok: true }));
			case 'POST /reset':
				sandbox.reset();
				return sendJson(response, answer(200, { ok: true }));
			default:
				return sendJson(response, answer(404, { error: `Unknown sandbox control ${action}` }));
		}
	}

	function apiRequests(): RecordedRequest[] {
		return requests.filter((recorded) => recorded.path.startsWith(`${API_PREFIX}/`));
	}

	const server: Server = createServer((request, response) => {
		void (async () => {
			const url = new URL(request.url ?? '/', 'http://sandbox');
			const body = await readBody(request);
			requests.push({
				method: request.method ?? '',
				url: request.url ?? '',
				path: url.pathname,
				query: queryOf(url),
				headers: { ...request.headers },
				body,
				receivedAt: new Date().toISOString(),
			});
			if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
				await handleControl(request, response, url, body);
			} else if (url.pathname.startsWith(`${API_PREFIX}/`)) {
				await handleApi(request, response, url);
			} else {
				sendJson(response, answer(404, { Message: 'Not found: the API lives under /api.' }));
			}
		})().catch((error: unknown) => {
			if (!response.headersSent) {
				sendJson(response, answer(500, { Message: `Sandbox error: ${String(error)}` }));
			}
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	origin = `http://${host}:${port}`;

	const sandbox: EtnaSandbox = {
		apiUrl: `${origin}${API_PREFIX}`,
		origin,
		port,
		model,
		requests,
		apiRequests,
		addFault(rule) {
			faults.push({ ...rule });
		},
		clearFaults() {
			faults = [];
		},
		clearRequests() {
			requests.length = 0;
		},
		reset() {
			model.reset();
			faults = [];
			requests.length = 0;
		},
		async close() {
			for (const response of hanging) response.destroy();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			});
		},
	};
	return sandbox;
}
