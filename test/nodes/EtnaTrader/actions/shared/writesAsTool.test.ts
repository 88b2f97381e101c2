// Users, accounts and access as an AI Agent's tool: reads run free; every write (create, update,
// access) runs only behind a person's yes in a review step, or with Allow Without Human Review
// switched on as a fixed value, as money does. Access is power over money.
import { NodeHelpers, type INodeParameters } from 'n8n-workflow';

import { EtnaTrader } from '../../../../../nodes/EtnaTrader/EtnaTrader.node';
import { useSandbox } from '../../../../support/etna';
import {
	etnaNode,
	NODE_TYPE,
	runEtnaToolCall,
	type ToolCaller,
} from '../../../../support/n8nEngine';

const etna = useSandbox();

const DIRECT = { wiredTo: 'agent', askedBy: 'agent' } as const;
const APPROVED = { wiredTo: 'review', askedBy: 'review' } as const;

/** Each write, as an agent would call it, with what the refusal names. */
const WRITES: Array<[string, INodeParameters, string]> = [
	[
		'Create User',
		{
			resource: 'user',
			operation: 'create',
			login: 'agent.made',
			firstName: 'A',
			lastName: 'B',
			email: 'a@example.com',
		},
		"changes ETNA's users",
	],
	[
		'Update User',
		{ resource: 'user', operation: 'update', userId: 7001, updateFields: { middleName: 'Z' } },
		"changes ETNA's users",
	],
	[
		'Create Trading Account',
		{ resource: 'tradingAccount', operation: 'create', clearingAccount: 'AGENT1', currency: 'USD' },
		"changes ETNA's trading accounts",
	],
	[
		'Update Trading Account',
		{
			resource: 'tradingAccount',
			operation: 'update',
			accountId: 1004,
			updateFields: { repCode: 'X' },
		},
		"changes ETNA's trading accounts",
	],
	[
		'Add User',
		{
			resource: 'tradingAccount',
			operation: 'addUser',
			accountId: 1004,
			userId: 7002,
			accessType: 'Full',
		},
		'changes who may use a trading account',
	],
	[
		'Remove User',
		{ resource: 'tradingAccount', operation: 'removeUser', accountId: 1001, userId: 7002 },
		'changes who may use a trading account',
	],
];

const READS: INodeParameters[] = [
	{ resource: 'user', operation: 'get', userId: 7001 },
	{ resource: 'user', operation: 'getAccounts', userId: 7002 },
	{ resource: 'tradingAccount', operation: 'getUsers', accountId: 1001 },
	{ resource: 'position', operation: 'getAll', accountId: 1003 },
	{ resource: 'order', operation: 'get', accountId: 1001, orderId: 73001 },
];

async function call(
	parameters: INodeParameters,
	route: { wiredTo: ToolCaller; askedBy: ToolCaller },
) {
	return await runEtnaToolCall({ parameters, args: {}, credentials: etna.credentials(), ...route });
}

function writesSent() {
	return etna.sandbox.apiRequests().filter((request) => request.method !== 'GET');
}

describe('a write as a tool', () => {
	it.each(WRITES)(
		'%s wired straight to the agent sends nothing and answers why',
		async (operation, parameters, effect) => {
			const run = await call(parameters, DIRECT);

			expect(etna.sandbox.apiRequests()).toEqual([]);
			expect(run.nodeError).toBeUndefined();
			expect(run.main[0].json.error).toBe(
				`${operation} ${effect} and runs as an AI Agent's tool only after a person approves the call in a human review step: refused, because the call came straight from "AI Agent", with no human review tool between it and this tool.`,
			);
			expect(run.main[0].json.message).toMatch(
				/^Outcome: not sent \(nothing reached ETNA\)\. Put a human review tool/,
			);
		},
	);

	it.each(WRITES)(
		'%s runs once a person approved the call in a review step',
		async (_operation, parameters) => {
			const run = await call(parameters, APPROVED);

			expect(run.main[0].json.error).toBeUndefined();
			expect(writesSent()).toHaveLength(1);
		},
	);

	it('runs with Allow Without Human Review on as a fixed value, and refuses it as an expression', async () => {
		const [, parameters] = WRITES[4];
		const fixed = await call({ ...parameters, options: { allowWithoutHumanReview: true } }, DIRECT);
		const expression = await call(
			{
				...parameters,
				options: { allowWithoutHumanReview: "={{ $fromAI('allow', '', 'boolean') }}" },
			},
			DIRECT,
		);

		expect(fixed.main[0].json).toMatchObject({ AccountAccessType: 'Full', existing: false });
		expect(expression.main[0].json.error).toMatch(
			/because Allow Without Human Review is an expression/,
		);
		expect(writesSent()).toHaveLength(1);
	});
});

describe('a read as a tool', () => {
	it.each(READS)('$resource > $operation runs with no review step', async (parameters) => {
		const run = await call(parameters, DIRECT);

		expect(run.main.length).toBeGreaterThan(0);
		expect(run.main[0].json.error).toBeUndefined();
	});
});

describe('the editor', () => {
	const { description } = new EtnaTrader();
	const node = etnaNode('Tool', NODE_TYPE, {});

	it.each(WRITES)(
		'tells, on the %s tool only, that it needs a human review step',
		(_operation, parameters) => {
			const shown = (asTool: boolean) =>
				description.properties
					.filter((property) =>
						NodeHelpers.displayParameter(
							{ resource: parameters.resource, operation: parameters.operation },
							property,
							node,
							{ ...description, name: asTool ? 'etnaTraderTool' : description.name },
						),
					)
					.map((property) => property.name);

			expect(shown(true)).toContain('humanReviewNotice');
			expect(shown(false)).not.toContain('humanReviewNotice');
		},
	);
});
