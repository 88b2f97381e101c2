/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The suites that need a real n8n (or a browser) have configs of their own.
	testPathIgnorePatterns: [
		'/node_modules/',
		'<rootDir>/test/e2e/',
		'<rootDir>/test/queue/',
		'<rootDir>/test/editor/',
	],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }],
	},
	setupFiles: ['<rootDir>/test/support/jestEnv.ts'],
	setupFilesAfterEnv: [
		'<rootDir>/test/support/captureLogs.ts',
		'<rootDir>/test/support/etnaContract.ts',
	],
	testTimeout: 20000,
};
