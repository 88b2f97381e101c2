/**
 * The queue-mode suite: PostgreSQL, Redis, one n8n main and two workers, so one file at a time
 * and long timeouts. `npm run test:queue`.
 */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }],
	},
	maxWorkers: 1,
	testTimeout: 10 * 60_000,
};
