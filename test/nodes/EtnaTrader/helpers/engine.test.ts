import { errorItemShapeFor, hostErrorItemShape } from '../../../../nodes/EtnaTrader/helpers/engine';
import { errorItemJson, type EtnaFailure } from '../../../../nodes/EtnaTrader/helpers/errors';

describe('the error item shape for the n8n that runs the node', () => {
	it.each([
		['1.122.48', 'compact'],
		['2.0.0', 'compact'],
		['2.35.5', 'compact'],
		['2.36.0', 'withDetails'],
		['2.41.1', 'withDetails'],
		['3.0.0', 'compact'],
		['not a version', 'compact'],
		[undefined, 'compact'],
	])('n8n-core %p gets the %s shape', (version, shape) => {
		expect(errorItemShapeFor(version)).toBe(shape);
	});

	it('reads the n8n-core it runs in (2.41.1 here)', () => {
		expect(hostErrorItemShape()).toBe('withDetails');
	});
});

describe('errorItemJson', () => {
	const failure: EtnaFailure = {
		message:
			'ETNA answered with a server error (HTTP 500): the outcome of the withdrawal of 5 from account 1001 is unknown.',
		description: 'A server error can come after the money moved. Check the account.',
		outcome: 'unknown',
		httpCode: 500,
	};

	it('keeps to { error, message } in the compact shape, which every n8n routes to the error output', () => {
		const json = errorItemJson(failure, { accountId: 1001, amount: 5, itemIndex: 0 }, 'compact');

		expect(Object.keys(json)).toEqual(['error', 'message']);
		expect(json.message).toBe(
			'Outcome: unknown (the money may have moved). A server error can come after the money moved. Check the account.',
		);
	});

	it('adds details where n8n keeps them', () => {
		expect(
			errorItemJson(failure, { accountId: 1001, amount: Number.NaN, itemIndex: 0 }, 'withDetails'),
		).toEqual({
			error: failure.message,
			message: expect.stringMatching(/^Outcome: unknown/),
			details: {
				description: failure.description,
				outcome: 'unknown',
				httpCode: 500,
				accountId: 1001,
				amount: 'NaN',
				itemIndex: 0,
			},
		});
	});
});
