// The flow every write of a record shares (a user, a trading account, an access): as an AI
// Agent's tool only after a person's yes in a review step (as money is), every item planned and
// checked before the first request, then one item at a time. A write moves no money; its unknown
// outcomes say so, and each operation makes its own safe to run again (it looks before it writes).
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { reviewOf, runsAsTool } from '../../helpers/agentTool';
import {
	describeFailedReply,
	humanReviewRequired,
	nodeErrorOf,
	type EtnaFailure,
	type Subject,
} from '../../helpers/errors';
import { itemNumber } from '../../helpers/validation';
import { EtnaRouteError, loginNameOf, type EtnaConnection, type EtnaReply } from '../../transport';
import {
	connectionOrFailure,
	failEveryItem,
	failedItem,
	failuresAsItems,
	planItems,
	resultItem,
	stopOnRefusedInput,
	type Planner,
} from './items';
import { withTimeout } from './readEach';

export type WriteResult =
	| { ok: true; json: IDataObject; changed: boolean }
	| { ok: false; failure: EtnaFailure; details?: IDataObject };

export interface Write<Given, T> extends Planner<Given, T> {
	/** As the editor names it: "Create User". */
	operation: string;
	/** What it does, for a refusal as a tool: "changes ETNA's users". */
	effect: string;
	run(
		context: IExecuteFunctions,
		connection: EtnaConnection,
		plan: T & { timeoutMs: number },
		itemIndex: number,
	): Promise<WriteResult>;
}

/** A request the routes table refused before sending: a bug, and nothing was sent. */
function bugBeforeSending(error: EtnaRouteError, itemIndex: number): EtnaFailure {
	return {
		message: `Item ${itemNumber(itemIndex)}: the ETNA Trader node built a request ETNA would not serve (a bug in the node, not in your data): ${error.message}`,
		description: "Nothing was sent to ETNA. Report it to the node's maintainers, with n8n's log.",
		outcome: 'notSent',
		httpCode: null,
	};
}

export async function writeEach<Given, T>(
	this: IExecuteFunctions,
	write: Write<Given, T>,
): Promise<INodeExecutionData[]> {
	// Access is power over money: as a tool, every write waits for a person, as Withdraw does.
	if (runsAsTool(this)) {
		const review = reviewOf(this);
		if (!review.ok) {
			return failEveryItem(
				this,
				humanReviewRequired(write.operation, review.refusal, write.effect),
			);
		}
	}
	const loaded = await connectionOrFailure(this);
	if (!loaded.ok) return failEveryItem(this, loaded.failure);
	const { connection } = loaded;

	const plans = planItems(this, withTimeout(write));
	stopOnRefusedInput(this, plans);

	const output: INodeExecutionData[] = [];
	const changed: number[] = [];
	for (const plan of plans) {
		if (!plan.ok) {
			output.push(failedItem(plan.itemIndex, plan.failure, plan.given));
			continue;
		}
		let result: WriteResult;
		try {
			result = await write.run(this, connection, plan.value, plan.itemIndex);
		} catch (error) {
			if (!(error instanceof EtnaRouteError))
				throw new NodeOperationError(this.getNode(), error as Error);
			result = { ok: false, failure: bugBeforeSending(error, plan.itemIndex) };
		}
		if (result.ok) {
			if (result.changed) changed.push(plan.itemIndex);
			output.push(resultItem(plan.itemIndex, result.json));
			continue;
		}
		if (!failuresAsItems(this)) {
			// n8n drops this run's output when the node stops: say what was already done.
			const done = changed.length
				? ` Before the node stopped, item(s) ${changed.map(itemNumber).join(', ')} were done in ETNA; their results are not in the output because the node stopped.`
				: '';
			const { failure } = result;
			throw nodeErrorOf(
				this.getNode(),
				{ ...failure, description: `${failure.description}${done}` },
				plan.itemIndex,
			);
		}
		output.push(failedItem(plan.itemIndex, result.failure, result.details ?? {}));
	}
	return output;
}

/** What every failed request of a write needs to be worded. */
export interface WriteContext {
	connection: EtnaConnection;
	timeoutMs: number;
	details?: IDataObject;
}

/** The write's own request failed: worded for a change of a record (it moved no money). */
export function writeFailed(
	reply: EtnaReply,
	subject: Extract<Subject, { kind: 'write' }>,
	{ connection, timeoutMs, details }: WriteContext,
): WriteResult {
	return {
		ok: false,
		details,
		failure: describeFailedReply(reply, subject, {
			timeoutMs,
			loginName: loginNameOf(connection),
		}),
	};
}

/** A read the write makes first failed: the write was not sent. */
export function readBeforeWriteFailed(
	reply: EtnaReply,
	read: { what: string; accountId?: number; userId?: number },
	notSent: string,
	{ connection, timeoutMs, details }: WriteContext,
): WriteResult {
	const failure = describeFailedReply(
		reply,
		{ kind: 'read', ...read },
		{ timeoutMs, loginName: loginNameOf(connection) },
	);
	return {
		ok: false,
		details,
		failure: {
			...failure,
			description: `${failure.description} ${notSent}`,
			// Whatever the read's outcome, the write did not go out.
			outcome: 'notSent',
		},
	};
}

/** The node refused the item itself (an existing user with Fail, a twin): nothing was sent. */
export function refusedItem(
	itemIndex: number,
	message: string,
	description: string,
	details?: IDataObject,
): WriteResult {
	return {
		ok: false,
		details,
		failure: {
			message: `Item ${itemNumber(itemIndex)}: ${message}`,
			description,
			outcome: 'notSent',
			httpCode: null,
		},
	};
}
