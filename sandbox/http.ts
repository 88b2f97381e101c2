// The HTTP plumbing every route shares: answers, JSON bodies, headers, queries.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const API_PREFIX = '/api';
export const CONTROL_PREFIX = '/__sandbox';

export interface ApiAnswer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export function answer(status: number, body: unknown): ApiAnswer {
	return { status, body };
}

/** ETNA's error shape for everything but the app key and /token: `{"Message": "..."}`. */
export function refusal(status: number, message: string): ApiAnswer {
	return { status, body: { Message: message } };
}

export function headerValue(request: IncomingMessage, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

export function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

export function sendJson(response: ServerResponse, { status, body, headers }: ApiAnswer): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

export function queryOf(url: URL): Record<string, string[]> {
	const query: Record<string, string[]> = {};
	for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
	return query;
}

export function sleep(ms: number): Promise<void> {
	return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
