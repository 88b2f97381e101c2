// A fake OpenAI-compatible chat model on 127.0.0.1, for n8n's AI Agent: it answers
// POST /v1/chat/completions (non-streaming) from a script the test gives, and keeps every request
// body, so a test can read what the model was told (the tool results) and search it for secrets.
//
// A script is a list of tool calls, then a final answer. It is followed without state of its own:
// a request that already carries k `role: 'tool'` messages gets the script's call k, or the final
// answer once every call has had its result. A call names its tool by a pattern, matched against
// the tool names n8n sends in `tools`, so a test need not spell n8n's sanitised names.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One tool call the model makes. */
export interface ScriptedCall {
	/** Which tool: a pattern matched against the tool names of the request; exactly one must match. */
	tool: RegExp;
	/**
	 * The tool's arguments as the model sends them (any JSON: a test may send a wrong type or
	 * leave a field out). Behind a review node, n8n's schema asks for
	 * `{ toolParameters, hitlParameters }`: the fake wraps them so when the schema says so.
	 */
	args: Record<string, unknown>;
	/**
	 * Keys a model sends beside the wrapped arguments of a reviewed tool (`{ toolParameters,
	 * hitlParameters, ...around }`): what a model that disguises its call adds.
	 */
	around?: Record<string, unknown>;
}

export interface ModelScript {
	calls: ScriptedCall[];
	/** What the model says once every call has had its result. */
	answer: string;
}

/** A chat message as OpenAI's API carries it. */
export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
	name?: string;
}

export interface ToolDefinition {
	type: string;
	function: { name: string; description?: string; parameters?: JsonSchema };
}

export interface JsonSchema {
	type?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	description?: string;
}

export interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages: ChatMessage[];
	tools?: ToolDefinition[];
}

/** A request the fake received, with the script it was matched to. */
export interface RecordedModelRequest {
	/** The marker of the script that answered it (see `FakeModel.script`). */
	marker: string;
	path: string;
	body: ChatRequest;
	/** The body as received, for the leak checks. */
	raw: string;
	/** Set when the fake could not answer from the script (the request was answered 400). */
	problem?: string;
}

export interface FakeModel {
	/** The base URL for an `openAiApi` credential: http://127.0.0.1:PORT/v1 */
	url: string;
	/**
	 * Answers requests whose user messages contain `marker` from `script` (a marker of '' matches
	 * any request no other marker matched). Replaces a script given before for the same marker.
	 */
	script(marker: string, script: ModelScript): void;
	/** Every request received, in order. */
	requests(): RecordedModelRequest[];
	/** The requests answered from the script of `marker`, in order. */
	requestsFor(marker: string): RecordedModelRequest[];
	/** Forgets the recorded requests (the scripts stay). */
	clearRequests(): void;
	close(): Promise<void>;
}

/** The text of a message's content (OpenAI allows a string or a list of parts). */
export function contentText(message: Pick<ChatMessage, 'content'>): string {
	const { content } = message;
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part: unknown) =>
				typeof part === 'object' && part !== null && 'text' in part
					? String((part as { text: unknown }).text)
					: JSON.stringify(part),
			)
			.join('');
	}
	return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** The `role: 'tool'` messages of a request: what the tools answered the model. */
export function toolResults(request: RecordedModelRequest): string[] {
	return request.body.messages
		.filter((message) => message.role === 'tool')
		.map((message) => contentText(message));
}

/** The tool names a request offered the model. */
export function toolNames(request: RecordedModelRequest): string[] {
	return (request.body.tools ?? []).map((tool) => tool.function.name);
}

/** Whether n8n wraps this tool's arguments for a review node: `{ toolParameters, hitlParameters }`. */
export function isReviewedTool(tool: ToolDefinition): boolean {
	const properties = tool.function.parameters?.properties ?? {};
	return 'toolParameters' in properties && 'hitlParameters' in properties;
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

function userText(body: ChatRequest): string {
	return body.messages
		.filter((message) => message.role === 'user')
		.map((message) => contentText(message))
		.join('\n');
}

let completions = 0;

function completion(message: ChatMessage, finishReason: 'tool_calls' | 'stop'): object {
	completions += 1;
	return {
		id: `chatcmpl-fake-${completions}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: 'fake-model',
		choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The answer to one request from a script, or the reason there is none. */
function answer(body: ChatRequest, script: ModelScript): object | string {
	const done = body.messages.filter((message) => message.role === 'tool').length;
	if (done >= script.calls.length) {
		return completion({ role: 'assistant', content: script.answer }, 'stop');
	}
	const call = script.calls[done];
	const tools = body.tools ?? [];
	const matching = tools.filter((tool) => call.tool.test(tool.function.name));
	if (matching.length !== 1) {
		const names = tools.map((tool) => tool.function.name).join(', ');
		return `${matching.length} tools match ${String(call.tool)} among: ${names}`;
	}
	const [tool] = matching;
	const args = isReviewedTool(tool)
		? { toolParameters: call.args, hitlParameters: {}, ...call.around }
		: { ...call.args, ...call.around };
	return completion(
		{
			role: 'assistant',
			content: null,
			tool_calls: [
				{
					id: `call_fake_${completions + 1}`,
					type: 'function',
					function: { name: tool.function.name, arguments: JSON.stringify(args) },
				},
			],
		},
		'tool_calls',
	);
}

export async function startFakeModel(): Promise<FakeModel> {
	const scripts = new Map<string, ModelScript>();
	const recorded: RecordedModelRequest[] = [];

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const raw = await readBody(request);
		const path = (request.url ?? '').split('?')[0];
		const send = (status: number, payload: object) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(payload));
		};
		if (request.method !== 'POST' || path !== '/v1/chat/completions') {
			send(404, { error: { message: `The fake model serves only POST /v1/chat/completions` } });
			return;
		}
		let body: ChatRequest;
		try {
			body = JSON.parse(raw) as ChatRequest;
		} catch {
			send(400, { error: { message: 'The body is not JSON' } });
			return;
		}
		const text = userText(body);
		// The longest marker the user's words contain, so "case-1" does not answer "case-10".
		const marker =
			[...scripts.keys()]
				.filter((candidate) => candidate !== '' && text.includes(candidate))
				.sort((left, right) => right.length - left.length)[0] ?? (scripts.has('') ? '' : undefined);
		const entry: RecordedModelRequest = { marker: marker ?? '', path, body, raw };
		recorded.push(entry);
		const script = marker === undefined ? undefined : scripts.get(marker);
		const result =
			body.stream === true
				? 'The fake model answers only stream: false'
				: script
					? answer(body, script)
					: `No script for this request (user said: ${text.slice(0, 200)})`;
		if (typeof result === 'string') {
			entry.problem = result;
			send(400, { error: { message: result, type: 'invalid_request_error' } });
			return;
		}
		send(200, result);
	};

	const server: Server = createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			response.writeHead(500, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ error: { message: String(error) } }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}/v1`,
		script(marker, script) {
			scripts.set(marker, script);
		},
		requests: () => [...recorded],
		requestsFor: (marker) => recorded.filter((entry) => entry.marker === marker),
		clearRequests() {
			recorded.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
