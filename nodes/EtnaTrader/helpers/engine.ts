// What the n8n that runs this node does with a failed item under "On Error: Continue (using error
// output)". Every n8n routes json that is exactly { error } or { error, message }; n8n-core 2.36.0
// and later also route { error, message, details } and keep it whole. An item carrying its own
// `error` field is routed everywhere but keeps only the message, so the node never uses one.
// Checked against every published n8n-core from 2.0.0 to 2.41.1 and 1.122.48 (the last 1.x).

/** withDetails: { error, message, details }; compact: { error, message }, which every n8n routes. */
export type ErrorItemShape = 'withDetails' | 'compact';

/**
 * The shape for an n8n-core version. Only a version known to keep `details` gets them: earlier
 * ones (1.x, 2.0 to 2.35; a few 2.34 and 2.35 patches also had it) and unknown ones (a 3.x, an
 * unreadable version) get the compact shape, which cannot land on the success output.
 */
export function errorItemShapeFor(coreVersion: string | undefined): ErrorItemShape {
	const match = /^(\d+)\.(\d+)\./.exec(coreVersion ?? '');
	if (!match) return 'compact';
	const [major, minor] = [Number(match[1]), Number(match[2])];
	return major === 2 && minor >= 36 ? 'withDetails' : 'compact';
}

let hostCoreVersion: { version: string | undefined } | undefined;

/** The version of the n8n-core this process runs in, read once; undefined when unreadable. */
function hostN8nCoreVersion(): string | undefined {
	if (hostCoreVersion === undefined) {
		let version: string | undefined;
		try {
			// n8n resolves its own packages for community nodes (NODE_PATH): this is its n8n-core.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const manifest = require('n8n-core/package.json') as { version?: unknown };
			version = typeof manifest.version === 'string' ? manifest.version : undefined;
		} catch {
			version = undefined;
		}
		hostCoreVersion = { version };
	}
	return hostCoreVersion.version;
}

/** The shape for the n8n this process runs in. */
export function hostErrorItemShape(): ErrorItemShape {
	return errorItemShapeFor(hostN8nCoreVersion());
}

/**
 * The major version of the n8n-core this process runs in (1 for n8n 1.x, whose n8n-core is 1.x;
 * 2 for n8n 2.x), or undefined when it cannot be read.
 */
export function hostN8nCoreMajor(): number | undefined {
	const match = /^(\d+)\./.exec(hostN8nCoreVersion() ?? '');
	return match ? Number(match[1]) : undefined;
}
