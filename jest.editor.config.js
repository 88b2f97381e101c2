/** The editor suite: n8n's editor in Chromium, so one file at a time and long timeouts. */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/editor'],
	// *.editor.spec.ts, so the unit suite's *.test.ts pattern never picks the browser suite up.
	testMatch: ['**/*.editor.spec.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }],
	},
	maxWorkers: 1,
	testTimeout: 180000,
};
