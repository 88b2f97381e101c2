// The node as an AI Agent's tool, run through n8n-core's engine as n8n 2.41.1 runs a tool an agent
// asked for (one item of the model's arguments; the node that asked as the run's source), against
// the sandbox. The real agent, model and email review step are in test/e2e/agent.e2e.test.ts.
import { NodeHelpers, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { EtnaTrader } from '../../../../nodes/EtnaTrader/EtnaTrader.node';

import { TOOL_DEFAULT_LIMIT } from '../../../../nodes/EtnaTrader/actions/shared/descriptions';
import { isToolNode } from '../../../../nodes/EtnaTrader/helpers/agentTool';
import { useSandbox } from '../../../support/etna';
import {
	etnaNode,
	NODE_TYPE,
	runEtnaNode,
	runEtnaToolCall,
	type ToolCaller,
	type ToolRun,
} from '../../../support/n8nEngine';

const etna = useSandbox();

/** Account ID and Amount as the editor's "let the model define this parameter" fills them. */
const FROM_MODEL = {
	accountId: "={{ $fromAI('accountId', 'ETNA ID of the trading account', 'number') }}",
	amount: "={{ $fromAI('amount', 'Amount in USD, at most 2 decimals', 'number') }}",
};

function money(operation: 'withdraw' | 'deposit', options: INodeParameters = {}): INodeParameters {
	return { resource: 'tradingAccount', operation, ...FROM_MODEL, options };
}

async function call(
	parameters: INodeParameters,
	args: IDataObject,
	route: { wiredTo: ToolCaller; askedBy: ToolCaller },
) {
	return await runEtnaToolCall({ parameters, args, credentials: etna.credentials(), ...route });
}

/**
 * A tool's refusal: its answer (the model gets the items' json on every n8n and agent version),
 * not an error, so the agent goes on and can tell the person why.
 */
function refusalOf(run: ToolRun): { error: string; message: string } {
	expect(run.nodeError).toBeUndefined();
	expect(run.main).toHaveLength(1);
	const { error, message } = run.main[0].json;
	expect(typeof error).toBe('string');
	expect(typeof message).toBe('string');
	return { error: String(error), message: String(message) };
}

const DIRECT = { wiredTo: 'agent', askedBy: 'agent' } as const;
const APPROVED = { wiredTo: 'review', askedBy: 'review' } as const;

const REVIEW_REFUSAL =
	"Withdraw moves money: put a human review step (for example Email or Slack 'Send and Wait' as a tool) between this tool and the agent, or turn on Allow Without Human Review";

describe('which runs are a tool', () => {
	it("is the type n8n generates from usableAsTool, not the node's own", () => {
		expect(isToolNode({ type: 'n8n-nodes-etna-trader.etnaTraderTool' })).toBe(true);
		expect(isToolNode({ type: 'n8n-nodes-etna-trader.etnaTrader' })).toBe(false);
	});
});

describe('the editor', () => {
	const { description } = new EtnaTrader();
	const node = etnaNode('Withdraw', NODE_TYPE, {});
	/** The names of the fields n8n shows for these parameters, on the node or on its tool. */
	function shown(parameters: INodeParameters, asTool: boolean): string[] {
		const shownOn = { ...description, name: asTool ? 'etnaTraderTool' : description.name };
		return description.properties
			.filter((property) => NodeHelpers.displayParameter(parameters, property, node, shownOn))
			.map((property) => property.name);
	}

	it.each(['withdraw', 'deposit'])(
		'tells, on the %s tool only, that it needs a human review step',
		(operation) => {
			const parameters = { resource: 'tradingAccount', operation };
			expect(shown(parameters, true)).toContain('humanReviewNotice');
			expect(shown(parameters, false)).not.toContain('humanReviewNotice');
			expect(shown({ resource: 'tradingAccount', operation: 'getBalance' }, true)).not.toContain(
				'humanReviewNotice',
			);
		},
	);
});

describe('Withdraw as a tool wired straight to the agent', () => {
	it('sends nothing, and answers the model that a review step is needed and nothing was sent', async () => {
		const run = await call(money('withdraw'), { accountId: 1001, amount: 25 }, DIRECT);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		const refusal = refusalOf(run);
		expect(refusal.error).toBe(REVIEW_REFUSAL);
		expect(refusal.message).toMatch(
			/^Outcome: not sent \(nothing reached ETNA\)\. Nothing was sent to ETNA\./,
		);
	});

	it('says Deposit for a deposit', async () => {
		const run = await call(money('deposit'), { accountId: 1001, amount: 25 }, DIRECT);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(refusalOf(run).error).toMatch(/^Deposit moves money: put a human review step/);
	});

	it('is refused when the agent asks, even if a review step is wired too', async () => {
		const run = await call(
			money('withdraw'),
			{ accountId: 1001, amount: 25 },
			{ wiredTo: 'review', askedBy: 'agent' },
		);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(refusalOf(run).error).toBe(REVIEW_REFUSAL);
	});

	it('sends exactly one withdrawal with Allow Without Human Review on', async () => {
		const run = await call(
			money('withdraw', { allowWithoutHumanReview: true }),
			{ accountId: 1001, amount: 25 },
			DIRECT,
		);

		expect(run.nodeError).toBeUndefined();
		expect(etna.withdrawals().map((request) => request.url)).toEqual([
			'/api/v1.0/accounts/1001/withdrawal?withdrowalValue=25',
		]);
		expect(run.main.map((item) => item.json)).toEqual([
			expect.objectContaining({ Amount: -25, accountId: 1001 }),
		]);
	});
});

describe('Withdraw as a tool behind a review step a person approved', () => {
	it("sends exactly one withdrawal with the model's arguments", async () => {
		const run = await call(money('withdraw'), { accountId: 1002, amount: 12.34 }, APPROVED);

		expect(run.nodeError).toBeUndefined();
		expect(etna.sandbox.apiRequests().map((request) => `${request.method} ${request.url}`)).toEqual(
			['POST /api/v1.0/accounts/1002/withdrawal?withdrowalValue=12.34'],
		);
		expect(run.main[0].json).toMatchObject({ Amount: -12.34, accountId: 1002 });
	});

	it('still refuses an amount above Maximum Amount, sending nothing', async () => {
		const run = await call(
			money('withdraw', { maxAmount: 500 }),
			{ accountId: 1001, amount: 500.01 },
			APPROVED,
		);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(refusalOf(run).error).toMatch(/Amount 500\.01 .*500/);
	});
});

describe("the model's arguments get the node's checks", () => {
	const allowed = money('withdraw', { allowWithoutHumanReview: true });

	it.each<[string, IDataObject, RegExp]>([
		['a word', { accountId: 1001, amount: 'lots' }, /Amount "lots" is not valid/],
		['no amount', { accountId: 1001 }, /Amount is empty/],
		['a negative amount', { accountId: 1001, amount: -5 }, /Amount -5 is not valid/],
		['three decimals', { accountId: 1001, amount: 1.005 }, /Amount 1\.005 is not valid/],
		['a bad account', { accountId: '1001/../1002', amount: 5 }, /Account ID .* is not valid/],
		['no account', { amount: 5 }, /Account ID is empty/],
	])('refuses %s before any request, and says which field', async (_, args, message) => {
		const run = await call(allowed, args, DIRECT);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		const refusal = refusalOf(run);
		expect(refusal.error).toMatch(message);
		expect(refusal.message).toMatch(/^Outcome: not sent/);
	});
});

describe('reads as a tool', () => {
	it('Get Balance answers straight to the agent, no review needed', async () => {
		const run = await call(
			{ resource: 'tradingAccount', operation: 'getBalance', accountId: FROM_MODEL.accountId },
			{ accountId: 1001 },
			DIRECT,
		);

		expect(run.nodeError).toBeUndefined();
		expect(run.main).toHaveLength(1);
		expect(run.main[0].json).toEqual(
			expect.objectContaining({ accountId: 1001, excess: expect.any(Number) }),
		);
	});

	it(`Transaction > Get Many gives ${TOOL_DEFAULT_LIMIT} rows by default as a tool, 50 as a node`, async () => {
		for (let row = 0; row < 60; row += 1) etna.sandbox.model.recordPayment(1001, 100 + row);
		const parameters = { resource: 'transaction', operation: 'getAll', accountId: '1001' };

		const asTool = await call(parameters, {}, DIRECT);
		const asNode = await runEtnaNode({
			parameters,
			items: [{}],
			credentials: etna.credentials(),
		});

		expect(asTool.nodeError).toBeUndefined();
		expect(asTool.main).toHaveLength(TOOL_DEFAULT_LIMIT);
		expect(asNode.main).toHaveLength(50);
	});
});
