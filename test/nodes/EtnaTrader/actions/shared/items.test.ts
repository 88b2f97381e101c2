// Planning items before any request: what n8n throws for a parameter it cannot give becomes the
// item's own failure (nothing sent), while a bug in the node's own code is said to be one, never
// blamed on the user's input, and never reaches the success output.
import * as validation from '../../../../../nodes/EtnaTrader/helpers/validation';
import { runOperation, useSandbox, withdraw } from '../../../../support/etna';

const etna = useSandbox();

afterEach(() => jest.restoreAllMocks());

describe('planning the items', () => {
	it('turns an expression n8n cannot resolve into that item’s failure, sending nothing for it', async () => {
		const result = await runOperation(
			etna,
			{ resource: 'tradingAccount', operation: 'withdraw' },
			{ accountId: "={{ $json.fromNode ? $('No Such Node').item.json.id : 1001 }}", amount: 5 },
			[{}, { fromNode: true }],
			{ onError: 'continueErrorOutput' },
		);

		expect(result.main.map((item) => item.json.accountId)).toEqual([1001]);
		expect(result.errorOutput[0].json).toMatchObject({
			error: expect.stringMatching(/^Item 2: a parameter could not be read: /),
			details: { outcome: 'notSent', itemIndex: 1 },
		});
		expect(etna.withdrawals()).toHaveLength(1);
	});

	it('says a bug in the node’s own planning is one, on the error output, and sends nothing', async () => {
		jest.spyOn(validation, 'checkAccountId').mockImplementation(() => {
			throw new TypeError("Cannot read properties of undefined (reading 'trim')");
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }], {
			onError: 'continueErrorOutput',
		});

		expect(result.main).toEqual([]);
		expect(result.errorOutput[0].json).toMatchObject({
			error:
				"Item 1: the ETNA Trader node failed while checking this item (a bug in the node, not in your data): TypeError: Cannot read properties of undefined (reading 'trim')",
			details: { outcome: 'notSent' },
		});
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('with Stop Workflow, stops the workflow with the bug’s message', async () => {
		jest.spyOn(validation, 'checkAmount').mockImplementation(() => {
			throw new RangeError('an internal limit');
		});

		const result = await withdraw(etna, [{ accountId: 1001, amount: 5 }]);

		expect(result.nodeError?.message).toMatch(/a bug in the node, not in your data\): RangeError/);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});
});
