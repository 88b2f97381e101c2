// What every operation does with its items before and after ETNA: read and check each item's
// parameters before the first request, and turn a failure into an item or the error that stops.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	describeInputProblem,
	errorItemJson,
	nodeErrorOf,
	type EtnaFailure,
} from '../../helpers/errors';
import { hostErrorItemShape } from '../../helpers/engine';
import { itemNumber, type Checked, type InputProblem } from '../../helpers/validation';
import { EtnaCredentialError, loadConnection, type EtnaConnection } from '../../transport';

/** One item's parameters, checked: ready to send, or refused with what was given. */
export type ItemPlan<T> =
	| { ok: true; itemIndex: number; value: T }
	| { ok: false; itemIndex: number; failure: EtnaFailure; given: Record<string, unknown> };

/** Reads a parameter of one item as it is, for the checks to judge. */
export function parameterOf(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
): unknown {
	return context.getNodeParameter(name, itemIndex, fallback) as unknown;
}

/** The item's Options collection, read once (its fields are judged by the checks). */
export function optionsOf(context: IExecuteFunctions, itemIndex: number): Record<string, unknown> {
	const options = context.getNodeParameter('options', itemIndex, {}) as unknown;
	return isJsonObject(options) ? options : {};
}

/** Passes a checked value on, or hands its problem to `refuse`. */
export class InputRefusal extends Error {
	constructor(readonly problem: InputProblem) {
		super(problem.rule);
	}
}

export function accept<T>(checked: Checked<T>): T {
	if (!checked.ok) throw new InputRefusal(checked.problem);
	return checked.value;
}

/**
 * Plans every item before anything is sent. `plan` reads and checks one item, putting what it
 * read into `given` (for the error item) and calling `accept` on each check.
 */
export function planItems<T>(
	context: IExecuteFunctions,
	plan: (itemIndex: number, given: Record<string, unknown>) => T,
): Array<ItemPlan<T>> {
	return context.getInputData().map((_, itemIndex): ItemPlan<T> => {
		const given: Record<string, unknown> = {};
		try {
			return { ok: true, itemIndex, value: plan(itemIndex, given) };
		} catch (error) {
			if (error instanceof InputRefusal) {
				return {
					ok: false,
					itemIndex,
					given,
					failure: describeInputProblem(error.problem, itemIndex),
				};
			}
			// An expression that cannot be resolved for this item: nothing to send.
			const reason = error instanceof Error ? error.message : String(error);
			return {
				ok: false,
				itemIndex,
				given,
				failure: {
					message: `Item ${itemNumber(itemIndex)}: a parameter could not be read: ${reason}`,
					description: 'Nothing was sent to ETNA. Fix the expression and run the item again.',
					outcome: 'notSent',
					httpCode: null,
				},
			};
		}
	});
}

/** The item a failure becomes on the error output (or the main one, with "Continue"). */
export function failedItem(
	itemIndex: number,
	failure: EtnaFailure,
	request: Record<string, unknown>,
): INodeExecutionData {
	return {
		json: errorItemJson(failure, { ...request, itemIndex }, hostErrorItemShape()),
		pairedItem: { item: itemIndex },
	};
}

/** A JSON object (not a list, not text): what ETNA's single-record answers are. */
export function isJsonObject(body: unknown): body is IDataObject {
	return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** ETNA's answer as it came, plus what the node adds, paired with its input item. */
export function resultItem(itemIndex: number, json: IDataObject): INodeExecutionData {
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * The credential, read before any request. A credential that cannot work fails every item
 * (or stops the node) with nothing sent.
 */
export async function connectionOrFailure(
	context: IExecuteFunctions,
): Promise<{ ok: true; connection: EtnaConnection } | { ok: false; failure: EtnaFailure }> {
	try {
		return { ok: true, connection: await loadConnection.call(context) };
	} catch (error) {
		if (!(error instanceof EtnaCredentialError)) {
			throw new NodeOperationError(context.getNode(), error as Error);
		}
		return {
			ok: false,
			failure: {
				message: error.message,
				description: 'Nothing was sent to ETNA. Fix the credential and run the workflow again.',
				outcome: 'notSent',
				httpCode: null,
				failure: { cause: 'configuration-invalid' },
			},
		};
	}
}

/** Every item failed the same way before any request: their error items, or the stop. */
export function failEveryItem(
	context: IExecuteFunctions,
	failure: EtnaFailure,
): INodeExecutionData[] {
	if (!context.continueOnFail()) throw nodeErrorOf(context.getNode(), failure, 0);
	return context.getInputData().map((_, itemIndex) => failedItem(itemIndex, failure, {}));
}

/** With Stop Workflow, the first refused input stops the node before any request. */
export function stopOnRefusedInput<T>(context: IExecuteFunctions, plans: Array<ItemPlan<T>>): void {
	if (context.continueOnFail()) return;
	const refused = plans.find((plan) => !plan.ok);
	if (refused && !refused.ok)
		throw nodeErrorOf(context.getNode(), refused.failure, refused.itemIndex);
}
