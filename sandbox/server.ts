// A local ETNA Trader private API (see shared etna-api.md), with no dependencies beyond Node.js.
// It keeps balances and a ledger, checks the headers the real API checks, records every request,
// counts requests in flight and can be told to misbehave (status codes, delays, hangs, resets,
// broken JSON, redirects), to answer slowly, to page in small pages and to expire tokens early.
// This file wires the pieces: routes/ handles the API and the /__sandbox controls.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { checkContract } from './contract';
import { FaultBook, processesFirst, type Fault, type FaultRule } from './faults';
import {
	API_PREFIX,
	answer,
	CONTROL_PREFIX,
	headerValue,
	queryOf,
	readBody,
	sendJson,
	sleep,
	type ApiAnswer,
} from './http';
import { InFlightCounter, type InFlightStats } from './inFlight';
import { SandboxModel, type SandboxModelOptions } from './model';
import { DEFAULT_MAX_PAGE_SIZE } from './paging';
import { authorizeAndRoute, matchApiRoute } from './routes/api';
import {
	settingProblem,
	type ApiCall,
	type SandboxContext,
	type SandboxSettings,
} from './routes/context';
import { handleControl, type SandboxControls } from './routes/control';

export type { Fault, FaultRule, SandboxEndpoint } from './faults';
export type { InFlightStats } from './inFlight';
export { DEFAULT_MAX_PAGE_SIZE } from './paging';

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
	/** Milliseconds added before every API answer, for benchmarks; 0 when absent. */
	latencyMs?: number;
	/** The most items a page of the account list or the ledger holds; 100 when absent. */
	maxPageSize?: number;
}

export interface EtnaSandbox extends SandboxControls {
	/** The API root to put in the credential, e.g. http://127.0.0.1:40123/api */
	readonly apiUrl: string;
	readonly origin: string;
	readonly port: number;
	readonly model: SandboxModel;
	readonly requests: RecordedRequest[];
	/** Milliseconds added before every API answer; reset() restores the start value. */
	latencyMs: number;
	/** The most items one page holds; reset() restores the start value. */
	maxPageSize: number;
	/** Requests that reached the API (not the sandbox's own control endpoints). */
	apiRequests(): RecordedRequest[];
	addFault(rule: FaultRule): void;
	clearFaults(): void;
	/** The fault rules in force, first applied first. */
	faults(): FaultRule[];
	/** Forgets the requests received so far. */
	clearRequests(): void;
	/** Successful POST /token calls that issued a full (not an interim) token since the reset. */
	logins(): number;
	/** API requests in flight now, and the most at once since the last reset. */
	inFlight(): InFlightStats;
	/** Starts the in-flight maxima again from what is in flight now. */
	resetInFlightMaxima(): void;
	/**
	 * Balances, ledger, tokens, token policy, faults, recorded requests, logins, in-flight
	 * maxima, latency and page size back to the start.
	 */
	reset(): void;
	close(): Promise<void>;
}

/** The headers that carry secrets, quoted back in ETNA's error shapes (/token's, or the API's). */
function echoedSecrets(status: number, call: ApiCall): ApiAnswer {
	const quoted = ['et-app-key', 'authorization', 'username', 'password', 'pincode']
		.map((name) => `${name}=${headerValue(call.request, name) ?? ''}`)
		.join(', ');
	const text = `Request refused; it carried ${quoted}.`;
	return call.segments[0] === 'token'
		? { status, body: { State: 'Failed', Step: 'BaseAuthentication', Reason: text } }
		: { status, body: { Message: text } };
}

function checkedSetting(name: keyof SandboxSettings, value: number): number {
	const problem = settingProblem(name, value);
	if (problem) throw new RangeError(problem);
	return value;
}

export async function startEtnaSandbox(options: SandboxOptions = {}): Promise<EtnaSandbox> {
	const model = new SandboxModel(options);
	const startSettings: SandboxSettings = {
		latencyMs: checkedSetting('latencyMs', options.latencyMs ?? 0),
		maxPageSize: checkedSetting('maxPageSize', options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE),
	};
	const settings: SandboxSettings = { ...startSettings };
	const requests: RecordedRequest[] = [];
	const faultBook = new FaultBook();
	const inFlight = new InFlightCounter();
	const sockets = new Set<Socket>();
	const hanging = new Set<ServerResponse>();
	let logins = 0;
	let origin = '';

	const context: SandboxContext = {
		model,
		settings,
		get origin() {
			return origin;
		},
		countLogin() {
			logins += 1;
		},
	};

	/** Sends an API answer after the configured latency, unless the client left meanwhile. */
	async function reply(response: ServerResponse, result: ApiAnswer): Promise<void> {
		await sleep(settings.latencyMs);
		if (!response.destroyed) sendJson(response, result);
	}

	async function answerWithFault(
		fault: Fault,
		call: ApiCall,
		response: ServerResponse,
		handle: () => ApiAnswer,
	): Promise<void> {
		if (fault.kind === 'delay') {
			await sleep(fault.ms);
			return reply(response, handle());
		}
		if (processesFirst(fault)) handle();
		switch (fault.kind) {
			case 'hang':
				hanging.add(response);
				response.once('close', () => hanging.delete(response));
				return;
			case 'reset':
				call.request.socket.destroy();
				return;
			case 'malformedJson':
				return reply(response, { status: 200, body: '{"Amount": -' });
			case 'status':
				return reply(response, {
					status: fault.status,
					body: fault.body ?? {},
					headers: fault.headers,
				});
			case 'echoSecrets':
				return reply(response, echoedSecrets(fault.status, call));
			case 'redirect':
				await sleep(settings.latencyMs);
				response.writeHead(fault.status ?? 307, { location: fault.location, 'content-length': 0 });
				response.end();
				return;
		}
	}

	async function handleApi(
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
		body: string,
	): Promise<void> {
		const method = request.method ?? 'GET';
		const segments = url.pathname.slice(API_PREFIX.length).split('/').slice(1);
		const { route, accountId } = matchApiRoute(method, segments);
		checkContract(method, url, route?.endpoint, body);
		const leave = inFlight.enter(accountId);
		response.once('finish', leave);
		response.once('close', leave);
		const call: ApiCall = { request, method, url, segments, body };
		const handle = () => authorizeAndRoute(context, call, route);
		const fault = faultBook.take({ accountId, endpoint: route?.endpoint });
		if (fault) return answerWithFault(fault, call, response, handle);
		return reply(response, handle());
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
				const path = url.pathname.slice(CONTROL_PREFIX.length);
				sendJson(response, handleControl(sandbox, request.method ?? 'GET', path, body));
			} else if (url.pathname.startsWith(`${API_PREFIX}/`)) {
				await handleApi(request, response, url, body);
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
		get latencyMs() {
			return settings.latencyMs;
		},
		set latencyMs(latencyMs: number) {
			settings.latencyMs = checkedSetting('latencyMs', latencyMs);
		},
		get maxPageSize() {
			return settings.maxPageSize;
		},
		set maxPageSize(maxPageSize: number) {
			settings.maxPageSize = checkedSetting('maxPageSize', maxPageSize);
		},
		apiRequests,
		addFault(rule) {
			faultBook.add(rule);
		},
		clearFaults() {
			faultBook.clear();
		},
		faults() {
			return faultBook.list();
		},
		clearRequests() {
			requests.length = 0;
		},
		logins() {
			return logins;
		},
		inFlight() {
			return inFlight.stats();
		},
		resetInFlightMaxima() {
			inFlight.resetMaxima();
		},
		reset() {
			model.reset();
			faultBook.clear();
			requests.length = 0;
			logins = 0;
			inFlight.resetMaxima();
			Object.assign(settings, startSettings);
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
