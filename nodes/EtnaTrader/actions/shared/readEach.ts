// The flow every read shares: plan all items, then one read per item, each answer becoming one
// or more output items paired with its input. A read moves no money, so a failed one is simply
// reported (error output, Continue, or the stop) and safe to run again.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { describeFailedReply, nodeErrorOf, type Subject } from '../../helpers/errors';
import {
	andThen,
	checkFields,
	checkTimeout,
	DEFAULT_TIMEOUT_MS,
	mapChecked,
} from '../../helpers/validation';
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

/**
 * A read's answer: ETNA's records as they came, and what the node adds to each (its accountId,
 * userId), which Fields never drops.
 */
export type ReadResult =
	| { ok: true; records: IDataObject[]; added?: IDataObject }
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

/** The read's planning with its Fields option, checked after everything else the item gives. */
function withFields<Given, T>(
	planner: Planner<Given, T>,
): Planner<{ own: Given; fields: unknown }, T & { fields?: string[] }> {
	return {
		read: (context, itemIndex, options) => ({
			own: planner.read(context, itemIndex, options),
			fields: options.fields,
		}),
		check: ({ own, fields }) =>
			andThen(planner.check(own), (value) =>
				mapChecked(checkFields(fields), (names) => ({ ...value, fields: names })),
			),
		shown: ({ own }) => planner.shown(own),
	};
}

/**
 * The record with only the named fields of ETNA's that it has, in the order named, then what the
 * node adds. With no Fields and nothing added, ETNA's record itself: no copy per item.
 */
function outputJson(
	record: IDataObject,
	fields: string[] | undefined,
	added: IDataObject | undefined,
): IDataObject {
	const kept: IDataObject = fields ? {} : record;
	if (fields) {
		for (const name of fields) {
			if (Object.prototype.hasOwnProperty.call(record, name)) kept[name] = record[name];
		}
	}
	return added ? { ...kept, ...added } : kept;
}

export async function readEach<Given, T>(
	this: IExecuteFunctions,
	read: Read<Given, T>,
): Promise<INodeExecutionData[]> {
	const loaded = await connectionOrFailure(this);
	if (!loaded.ok) return failEveryItem(this, loaded.failure);
	const { connection } = loaded;

	const plans = planItems(this, withFields(withTimeout(read)));
	stopOnRefusedInput(this, plans);

	const output: INodeExecutionData[] = [];
	for (const plan of plans) {
		if (!plan.ok) {
			output.push(failedItem(plan.itemIndex, plan.failure, plan.given));
			continue;
		}
		const result = await read.run(this, connection, plan.value);
		if (result.ok) {
			const { fields } = plan.value;
			for (const record of result.records) {
				output.push(resultItem(plan.itemIndex, outputJson(record, fields, result.added)));
			}
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
