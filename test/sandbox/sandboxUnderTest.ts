// One sandbox per test file, reset before each test, and the calls the sandbox's tests make:
// the API with the app key (and an administrator's token when asked), and the control endpoints.
import { startEtnaSandbox, type EtnaSandbox, type SandboxOptions } from '../../sandbox/server';

export interface Reply<Body = unknown> {
	status: number;
	body: Body;
	headers: Headers;
}

export interface SandboxUnderTest {
	readonly sandbox: EtnaSandbox;
	readonly appKey: string;
	/** An API call with the app key; `path` is below /api, e.g. /v1.0/accounts/1001; `body` as JSON. */
	call<Body = unknown>(
		method: string,
		path: string,
		headers?: Record<string, string>,
		body?: unknown,
	): Promise<Reply<Body>>;
	/** An Authorization header with a fresh administrator's token. */
	admin(): Record<string, string>;
	/** A call to /__sandbox/..., with a JSON body when given. */
	control<Body = unknown>(method: string, path: string, body?: unknown): Promise<Reply<Body>>;
}

export async function readReply<Body>(response: Response): Promise<Reply<Body>> {
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// Not JSON: the text itself is the body.
	}
	return { status: response.status, body: body as Body, headers: response.headers };
}

export function sandboxUnderTest(options: SandboxOptions = {}): SandboxUnderTest {
	const appKey = 'sandbox-test-key';
	let started: EtnaSandbox | undefined;
	beforeAll(async () => {
		started = await startEtnaSandbox({ appKeys: [appKey], ...options });
	});
	beforeEach(() => started?.reset());
	afterAll(async () => started?.close());

	const underTest: SandboxUnderTest = {
		get sandbox() {
			if (!started) throw new Error('The sandbox has not started');
			return started;
		},
		appKey,
		async call<Body>(
			method: string,
			path: string,
			headers: Record<string, string> = {},
			body?: unknown,
		) {
			const response = await fetch(`${underTest.sandbox.apiUrl}${path}`, {
				method,
				headers: {
					'Et-App-Key': appKey,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
					...headers,
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return readReply<Body>(response);
		},
		admin() {
			return { Authorization: `Bearer ${underTest.sandbox.model.issueToken('admin')}` };
		},
		async control<Body>(method: string, path: string, body?: unknown) {
			const response = await fetch(`${underTest.sandbox.origin}/__sandbox${path}`, {
				method,
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return readReply<Body>(response);
		},
	};
	return underTest;
}
