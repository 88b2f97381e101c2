// The node as an AI Agent's tool, run through n8n-core's engine as n8n 2.41.1 runs a tool an agent
// asked for (one item of the model's arguments; the node that asked as the run's source), against
// the sandbox. The real agent, model and email review step are in test/e2e/agent.e2e.test.ts.
import { NodeHelpers, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { EtnaTrader } from '../../../../nodes/EtnaTrader/EtnaTrader.node';

import { TOOL_DEFAULT_LIMIT } from '../../../../nodes/EtnaTrader/actions/shared/descriptions';
import {
	HUMAN_REVIEW_TOOL_TYPES,
	isToolNode,
	judgeReview,
	type ReviewFacts,
	type ReviewVerdict,
} from '../../../../nodes/EtnaTrader/helpers/agentTool';
import { useSandbox } from '../../../support/etna';
import {
	etnaNode,
	NODE_TYPE,
	PERSONS_YES,
	REVIEW_MESSAGE,
	runEtnaNode,
	runEtnaToolCall,
	type RecordedReviewRun,
	type ReviewStep,
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
	route: { wiredTo: ToolCaller; askedBy: ToolCaller; review?: ReviewStep },
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

const REFUSED =
	"Withdraw moves money and runs as an AI Agent's tool only after a person approves the call in a human review step: refused, because";
const STRAIGHT_REFUSAL = `${REFUSED} the call came straight from "AI Agent", with no human review tool between it and this tool.`;

/** Behind a review step whose runs n8n recorded as given. */
function reviewed(review: ReviewStep) {
	return { ...APPROVED, review };
}

/** A time-out of the review's wait limit: n8n passes its input item through, as it came. */
function passedThrough(item: IDataObject): RecordedReviewRun {
	return { answeredThroughLink: false, output: [item] };
}

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
		expect(refusal.error).toBe(STRAIGHT_REFUSAL);
		expect(refusal.message).toMatch(
			/^Outcome: not sent \(nothing reached ETNA\)\. Put a human review tool \('Send and Wait' of Email, Gmail, Slack/,
		);
	});

	it('says Deposit for a deposit', async () => {
		const run = await call(money('deposit'), { accountId: 1001, amount: 25 }, DIRECT);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(refusalOf(run).error).toMatch(
			/^Deposit moves money and runs as an AI Agent's tool only after/,
		);
	});

	it('is refused when the agent asks, even if a review step is wired too', async () => {
		const run = await call(
			money('withdraw'),
			{ accountId: 1001, amount: 25 },
			{ wiredTo: 'review', askedBy: 'agent' },
		);

		expect(etna.sandbox.apiRequests()).toHaveLength(0);
		expect(refusalOf(run).error).toBe(STRAIGHT_REFUSAL);
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

describe('Allow Without Human Review counts only as a fixed value', () => {
	it.each([
		["the model's $fromAI", "={{ $fromAI('allow', 'Skip the review?', 'boolean') }}"],
		['an expression that gives true', '={{ true }}'],
	])('refuses it as %s, naming the option, and sends nothing', async (_, expression) => {
		const run = await call(
			money('withdraw', { allowWithoutHumanReview: expression }),
			{ accountId: 1001, amount: 25, allow: true },
			DIRECT,
		);

		expect(etna.sandbox.apiRequests()).toEqual([]);
		const refusal = refusalOf(run);
		expect(refusal.error).toBe(
			`${REFUSED} Allow Without Human Review is an expression, and counts only when switched on as a fixed value, so neither the model nor an input can switch it.`,
		);
		expect(refusal.message).toMatch(/Set Allow Without Human Review to a fixed on or off/);
	});
});

describe('a review step that no person answered', () => {
	it.each<[string, RecordedReviewRun[]]>([
		[
			"its wait limit ran out and it passed on the model's arguments with approved: true",
			[
				passedThrough({
					chatInput: 'Pay it',
					toolParameters: { accountId: 1001, amount: 25 },
					approved: true,
					toolCallId: 'call-1',
				}),
			],
		],
		[
			'its wait limit ran out and it passed on an input that carried data.approved',
			[
				passedThrough({
					data: { approved: true },
					toolParameters: { accountId: 1001, amount: 25 },
				}),
			],
		],
		[
			'a person approved another call, and this one was passed through with approved: true',
			[passedThrough({ approved: true, toolCallId: 'call-1' }), PERSONS_YES],
		],
		[
			"an approval shaped like a person's, without n8n's mark of an answer through the link",
			[{ ...PERSONS_YES, answeredThroughLink: false }],
		],
	])('refuses when %s, sending nothing', async (_, runs) => {
		const run = await call(money('withdraw'), { accountId: 1001, amount: 25 }, reviewed({ runs }));

		expect(etna.sandbox.apiRequests()).toEqual([]);
		expect(refusalOf(run).error).toBe(
			`${REFUSED} "Email review" passed the call on without a person's yes through its buttons (its wait limit ran out, or an approval was written into the call).`,
		);
	});

	it('withdraws when a person approved through the link, with a wait limit set on the review', async () => {
		const run = await call(
			money('withdraw'),
			{ accountId: 1001, amount: 25 },
			reviewed({
				parameters: {
					options: {
						limitWaitTime: {
							values: { limitType: 'afterTimeInterval', resumeAmount: 30, resumeUnit: 'minutes' },
						},
					},
				},
				runs: [PERSONS_YES],
			}),
		);

		expect(run.main[0].json).toMatchObject({ Amount: -25, accountId: 1001 });
		expect(etna.withdrawals()).toHaveLength(1);
	});
});

describe('a review step that cannot stand for a person', () => {
	it.each<[string, ReviewStep, string]>([
		[
			'a node whose type merely ends in HitlTool (n8n loads any such name, and it passes the call straight on)',
			{ type: 'n8n-nodes-base.noOpHitlTool' },
			'the call came from "Email review" (n8n-nodes-base.noOpHitlTool), which is not one of n8n\'s human review tools.',
		],
		[
			'a review with pinned data (n8n answers a manual run with it)',
			{ pinned: true },
			'the review tool "Email review" has pinned data, so its answer was not a person\'s.',
		],
		[
			'a review whose recipient the model fills ($fromAI)',
			{ parameters: { toEmail: "={{ $fromAI('approver', 'Who approves', 'string') }}" } },
			'the review tool "Email review" lets the model fill its fields ($fromAI), so the model could choose who approves or what they read.',
		],
		[
			'a review whose message reads $tool.parameters, which the model can disguise',
			{ parameters: { message: '=Approve {{ JSON.stringify($tool.parameters) }}?' } },
			'the review tool "Email review" does not show the person the call as this tool will run it.',
		],
		['a deactivated review', { disabled: true }, 'the review tool "Email review" is deactivated.'],
		[
			"n8n's Chat review, whose approver is the chat's user",
			{ type: '@n8n/n8n-nodes-langchain.chatHitlTool' },
			'the review tool "Email review" asks the chat\'s user, who may be the one asking for the money.',
		],
	])('refuses %s, sending nothing', async (_, review, reason) => {
		const run = await call(money('withdraw'), { accountId: 1001, amount: 25 }, reviewed(review));

		expect(etna.sandbox.apiRequests()).toEqual([]);
		expect(refusalOf(run).error).toBe(`${REFUSED} ${reason}`);
	});

	it("accepts n8n's Chat review with Trust Approval in Chat on", async () => {
		const run = await call(
			money('withdraw', { trustChatApproval: true }),
			{ accountId: 1001, amount: 25 },
			reviewed({ type: '@n8n/n8n-nodes-langchain.chatHitlTool' }),
		);

		expect(run.main[0].json).toMatchObject({ Amount: -25 });
		expect(etna.withdrawals()).toHaveLength(1);
	});

	it.each(HUMAN_REVIEW_TOOL_TYPES.filter((type) => !type.endsWith('chatHitlTool')))(
		"accepts a person's yes in %s",
		async (type) => {
			const run = await call(money('withdraw'), { accountId: 1002, amount: 1 }, reviewed({ type }));

			expect(run.main[0].json).toMatchObject({ Amount: -1, accountId: 1002 });
		},
	);
});

describe('what the reviewer read is what is sent', () => {
	it('refuses arguments that carry a query field, which $fromAI would read before the real ones', async () => {
		const run = await call(
			money('withdraw'),
			{ accountId: 1001, amount: 300, query: { amount: 3 } },
			APPROVED,
		);

		expect(etna.sandbox.apiRequests()).toEqual([]);
		expect(refusalOf(run).error).toBe(
			`${REFUSED} the model's arguments carry a field named query, which would make the tool run with other values than the reviewer read.`,
		);
	});
});

describe('the rule, case by case', () => {
	const personsYes = { answeredThroughLink: true, output: PERSONS_YES.output };
	const base: ReviewFacts = {
		coreMajor: 2,
		allowWithoutHumanReview: undefined,
		trustChatApproval: undefined,
		engineRun: true,
		askerName: 'Review',
		askerRun: 0,
		asker: {
			type: 'n8n-nodes-base.slackHitlTool',
			disabled: false,
			takesThisTool: true,
			parameters: { message: REVIEW_MESSAGE },
			pinned: false,
			runs: [personsYes],
		},
		argumentsHaveQuery: false,
	};
	const asker = (changes: Partial<NonNullable<ReviewFacts['asker']>>): ReviewFacts => ({
		...base,
		asker: { ...(base.asker as NonNullable<ReviewFacts['asker']>), ...changes },
	});
	const verdict = (facts: ReviewFacts): string => {
		const judged: ReviewVerdict = judgeReview(facts);
		return judged.ok ? `ok by ${judged.by}` : judged.refusal.kind;
	};

	it.each<[string, ReviewFacts, string]>([
		["a person's yes in Slack", base, 'ok by person'],
		['n8n 1.x (no review tools)', { ...base, coreMajor: 1 }, 'noReviewOnThisN8n'],
		[
			'n8n 1.x with the option on',
			{ ...base, coreMajor: 1, allowWithoutHumanReview: true },
			'ok by option',
		],
		['an n8n whose version cannot be read', { ...base, coreMajor: undefined }, 'noReviewOnThisN8n'],
		[
			'the option as an expression',
			{ ...base, allowWithoutHumanReview: '={{ true }}' },
			'optionIsExpression',
		],
		['the option off', { ...base, allowWithoutHumanReview: false }, 'ok by person'],
		[
			"a run inside another node's call (older agent, OpenAI node)",
			{ ...base, engineRun: false },
			'inAnotherCall',
		],
		[
			"no recorded asker (Require Approval of n8n's Agents)",
			{ ...base, askerName: undefined, asker: undefined },
			'noAsker',
		],
		['straight from the agent', asker({ type: undefined, runs: [] }), 'notAReviewTool'],
		[
			'a node named like a review tool',
			asker({ type: 'n8n-nodes-base.setHitlTool' }),
			'notAReviewTool',
		],
		['a review tool not wired to this tool', asker({ takesThisTool: false }), 'notAReviewTool'],
		['a deactivated review', asker({ disabled: true }), 'reviewDisabled'],
		['a pinned review', asker({ pinned: true }), 'reviewPinned'],
		[
			'a review filled by the model',
			asker({ parameters: { channelId: "={{ $fromAi('channel') }}" } }),
			'reviewFilledByModel',
		],
		[
			"a review left with n8n's default message ([object Object])",
			asker({ parameters: {} }),
			'reviewHidesTheCall',
		],
		[
			'a review whose subject reads $tool.parameters',
			asker({
				parameters: { message: REVIEW_MESSAGE, subject: '=Pay {{ $tool.parameters.amount }}?' },
			}),
			'reviewHidesTheCall',
		],
		[
			'a review that shows no call at all',
			asker({ parameters: { message: 'Approve?' } }),
			'reviewHidesTheCall',
		],
		[
			'a wait limit that ran out (pass-through)',
			asker({ runs: [{ answeredThroughLink: false, output: [{ approved: true }] }] }),
			'notAnsweredByPerson',
		],
		[
			'a wait limit that ran out with no approval in it',
			asker({ runs: [{ answeredThroughLink: false, output: [{ toolParameters: {} }] }] }),
			'notAnsweredByPerson',
		],
		[
			"a person's no",
			asker({
				runs: [
					{
						answeredThroughLink: true,
						output: [{ data: { approved: false, respondedAt: 'now' } }],
					},
				],
			}),
			'notAnsweredByPerson',
		],
		[
			'a yes with fields besides the answer',
			asker({
				runs: [
					{
						answeredThroughLink: true,
						output: [{ data: { approved: true, respondedAt: 'now' }, toolParameters: {} }],
					},
				],
			}),
			'notAnsweredByPerson',
		],
		[
			'a forged approval beside a real one',
			asker({ runs: [{ answeredThroughLink: false, output: [{ approved: true }] }, personsYes] }),
			'notAnsweredByPerson',
		],
		['two real approvals', asker({ runs: [personsYes, personsYes] }), 'ok by person'],
		['the chat review', asker({ type: '@n8n/n8n-nodes-langchain.chatHitlTool' }), 'chatReview'],
		[
			'the chat review, trusted',
			{ ...asker({ type: '@n8n/n8n-nodes-langchain.chatHitlTool' }), trustChatApproval: true },
			'ok by person',
		],
		[
			'the chat review, trust as an expression',
			{
				...asker({ type: '@n8n/n8n-nodes-langchain.chatHitlTool' }),
				trustChatApproval: '={{ true }}',
			},
			'optionIsExpression',
		],
		['arguments with a query field', { ...base, argumentsHaveQuery: true }, 'disguisedArguments'],
	])('%s: %s', (_, facts, expected) => {
		expect(verdict(facts)).toBe(expected);
	});
});
