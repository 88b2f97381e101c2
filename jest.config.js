/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }],
	},
	setupFiles: ['<rootDir>/test/support/jestEnv.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/support/captureLogs.ts'],
	testTimeout: 20000,
};
