// The flow every read shares: plan all items, then one read per item, each answer becoming one
// or more output items paired with its input. A read moves no money, so a failed one is simply
// reported (error output, Continue, or the stop) and safe to run again.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { describeFailedReply, nodeErrorOf, type Subject } from '../../helpers/errors';
import { checkTimeout, DEFAULT_TIMEOUT_MS } from '../../helpers/validation';
import { loginNameOf, type EtnaConnection, type EtnaReply } from '../../transport';
import {
	accept,
	connectionOrFailure,
	failEveryItem,
	failedItem,
	optionsOf,
	planItems,
	resultItem,
	stopOnRefusedInput,
} from './items';

export type ReadResult =
	| { ok: true; results: IDataObject[] }
	| { ok: false; reply: EtnaReply; subject: Subject };

export interface Read<T> {
	/** Reads and checks one item's own parameters (the timeout is read here for every read). */
	plan(context: IExecuteFunctions, itemIndex: number, given: Record<string, unknown>): T;
	run(
		context: IExecuteFunctions,
		connection: EtnaConnection,
		plan: T & { timeoutMs: number },
	): Promise<ReadResult>;
}

export async function readEach<T>(
	this: IExecuteFunctions,
	read: Read<T>,
): Promise<INodeExecutionData[]> {
	const loaded = await connectionOrFailure(this);
	if (!loaded.ok) return failEveryItem(this, loaded.failure);
	const { connection } = loaded;

	const plans = planItems(this, (itemIndex, given) => {
		const own = read.plan(this, itemIndex, given);
		const timeoutMs = accept(
			checkTimeout(optionsOf(this, itemIndex).timeout ?? DEFAULT_TIMEOUT_MS),
		);
		return { ...own, timeoutMs };
	});
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
		if (!this.continueOnFail()) throw nodeErrorOf(this.getNode(), failure, plan.itemIndex);
		output.push(
			failedItem(plan.itemIndex, failure, {
				accountId: result.subject.kind === 'read' ? result.subject.accountId : undefined,
			}),
		);
	}
	return output;
}
