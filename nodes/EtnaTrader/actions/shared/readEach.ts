// The flow every read shares: plan all items, then one read per item, each answer becoming one
// or more output items paired with its input. A read moves no money, so a failed one is simply
// reported (error output, Continue, or the stop) and safe to run again.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { describeFailedReply, nodeErrorOf, type Subject } from '../../helpers/errors';
import { andThen, checkTimeout, DEFAULT_TIMEOUT_MS, mapChecked } from '../../helpers/validation';
import { loginNameOf, type EtnaConnection, type EtnaReply } from '../../transport';
import {
	connectionOrFailure,
	failEveryItem,
	failuresAsItems,
	failedItem,
	planItems,
	resultItem,
	stopOnRefusedInput,
	type Planner,
} from './items';

export type ReadResult =
	| { ok: true; results: IDataObject[] }
	| { ok: false; reply: EtnaReply; subject: Subject };

/** A read: how it plans an item (its own parameters; the timeout is added for every read), and the request. */
export interface Read<Given, T> extends Planner<Given, T> {
	run(
		context: IExecuteFunctions,
		connection: EtnaConnection,
		plan: T & { timeoutMs: number },
	): Promise<ReadResult>;
}

/** The read's own planning, with the Timeout option checked after its own parameters. */
export function withTimeout<Given, T>(
	planner: Planner<Given, T>,
): Planner<{ own: Given; timeout: unknown }, T & { timeoutMs: number }> {
	return {
		read: (context, itemIndex, options) => ({
			own: planner.read(context, itemIndex, options),
			timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
		}),
		check: ({ own, timeout }) =>
			andThen(planner.check(own), (value) =>
				mapChecked(checkTimeout(timeout), (timeoutMs) => ({ ...value, timeoutMs })),
			),
		shown: ({ own }) => planner.shown(own),
	};
}

export async function readEach<Given, T>(
	this: IExecuteFunctions,
	read: Read<Given, T>,
): Promise<INodeExecutionData[]> {
	const loaded = await connectionOrFailure(this);
	if (!loaded.ok) return failEveryItem(this, loaded.failure);
	const { connection } = loaded;

	const plans = planItems(this, withTimeout(read));
	stopOnRefusedInput(this, plans);

	const output: INodeExecutionData[] = [];
	for (const plan of plans) {
		if (!plan.ok) {
			output.push(failedItem(plan.itemIndex, plan.failure, plan.given));
			continue;
		}
		const result = await read.run(this, connection, plan.value);
		if (result.ok) {
			output.push(...result.results.map((json) => resultItem(plan.itemIndex, json)));
			continue;
		}
		const failure = describeFailedReply(result.reply, result.subject, {
			timeoutMs: plan.value.timeoutMs,
			loginName: loginNameOf(connection),
		});
		if (!failuresAsItems(this)) throw nodeErrorOf(this.getNode(), failure, plan.itemIndex);
		const { subject } = result;
		const ids =
			subject.kind === 'read'
				? {
						accountId: subject.accountId,
						...(subject.userId !== undefined ? { userId: subject.userId } : {}),
						...(subject.orderId !== undefined ? { orderId: subject.orderId } : {}),
					}
				: { accountId: undefined };
		output.push(failedItem(plan.itemIndex, failure, ids));
	}
	return output;
}
