// What every operation does with its items before and after ETNA: read and check each item's
// parameters before the first request, and turn a failure into an item or the error that stops.
import {
	ApplicationError,
	ExecutionBaseError,
	NodeOperationError,
	UserError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	describeInputProblem,
	errorItemJson,
	nodeErrorOf,
	type EtnaFailure,
} from '../../helpers/errors';
import { runsAsTool } from '../../helpers/agentTool';
import { hostErrorItemShape } from '../../helpers/engine';
import { itemNumber, type Checked } from '../../helpers/validation';
import { EtnaCredentialError, loadConnection, type EtnaConnection } from '../../transport';

/** One item's parameters, checked: ready to send, or refused with what was given. */
export type ItemPlan<T> =
	| { ok: true; itemIndex: number; value: T }
	| { ok: false; itemIndex: number; failure: EtnaFailure; given: Record<string, unknown> };

/**
 * How an operation plans an item, in one pass: read its parameters as given (n8n resolves
 * expressions here), then judge them with the pure checks (helpers/validation.ts), composed into
 * the plan or the first refusal.
 */
export interface Planner<Given, T> {
	/** `options`: the item's Options collection, read once for every planner (n8n resolves it anew on each read). */
	read(context: IExecuteFunctions, itemIndex: number, options: Record<string, unknown>): Given;
	check(given: Given): Checked<T>;
	/** What a refused item's error item shows of what was given, e.g. its accountId and amount. */
	shown(given: Given): Record<string, unknown>;
}

/** Whether a saved value holds an expression anywhere: n8n resolves only text that starts with '='. */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	return isJsonObject(value) && Object.values(value).some(holdsExpression);
}

/** What one run of the node knows of its parameters as saved, read once. */
interface SavedParameters {
	/** The node's parameters as saved (n8n's getNode() deep-copies the node on every call). */
	parameters: Record<string, unknown>;
	/** Parameters with no expression in them, as n8n gave them for the first item read. */
	fixed: Map<string, unknown>;
}

const savedByRun = new WeakMap<IExecuteFunctions, SavedParameters>();

function savedParameters(context: IExecuteFunctions): SavedParameters {
	let saved = savedByRun.get(context);
	if (!saved) {
		saved = { parameters: context.getNode().parameters, fixed: new Map() };
		savedByRun.set(context, saved);
	}
	return saved;
}

/**
 * Reads a parameter of one item as it is, for the checks to judge. A parameter with no expression
 * in it is the same for every item: n8n reads it once per run (its defaults and checks applied as
 * ever), and only what is an expression is resolved per item, which at 100,000 items is most of
 * the time spent planning.
 */
export function parameterOf(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
): unknown {
	const saved = savedParameters(context);
	if (holdsExpression(saved.parameters[name])) {
		return context.getNodeParameter(name, itemIndex, fallback) as unknown;
	}
	if (saved.fixed.has(name)) return saved.fixed.get(name);
	const value = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	saved.fixed.set(name, value);
	return value;
}

/** The item's Options collection, read once (its fields are judged by the checks). */
export function optionsOf(context: IExecuteFunctions, itemIndex: number): Record<string, unknown> {
	const options = parameterOf(context, 'options', itemIndex, {});
	return isJsonObject(options) ? options : {};
}

/**
 * Whether an option is in the node's Options as saved, whatever its value or expression gives
 * for an item: an option the user added is on even when its expression resolves to nothing.
 */
export function optionIsSet(context: IExecuteFunctions, name: string): boolean {
	const options: unknown = savedParameters(context).parameters.options;
	return isJsonObject(options) && options[name] !== undefined;
}

/**
 * What n8n throws when it cannot give a parameter for an item: an expression that fails or gives
 * the wrong type (ExpressionError, an ExecutionBaseError), or a parameter it cannot find (UserError
 * on 2.x, ApplicationError on 1.x).
 */
function isParameterError(error: unknown): error is Error {
	return [ExecutionBaseError, UserError, ApplicationError].some(
		(type) => typeof type === 'function' && error instanceof type,
	);
}

/**
 * Anything else thrown while planning is a bug in the node, and is said to be one: never worded
 * as the user's input, and never thrown, since with a Continue setting n8n would then pass the
 * input on to the success output as if the money had moved. Nothing is sent for the item.
 */
function bugWhilePlanning(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): EtnaFailure {
	const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	context.logger.error(`ETNA Trader: a bug while planning item ${itemNumber(itemIndex)}`, {
		error: reason,
		stack: error instanceof Error ? error.stack : undefined,
	});
	return {
		message: `Item ${itemNumber(itemIndex)}: the ETNA Trader node failed while checking this item (a bug in the node, not in your data): ${reason}`,
		description:
			"Running it again will fail the same way: report it to the node's maintainers, with n8n's log.",
		outcome: 'notSent',
		httpCode: null,
	};
}

/** Plans every item before anything is sent. */
export function planItems<Given, T>(
	context: IExecuteFunctions,
	planner: Planner<Given, T>,
): Array<ItemPlan<T>> {
	return context.getInputData().map((_, itemIndex): ItemPlan<T> => {
		let given: Given;
		try {
			given = planner.read(context, itemIndex, optionsOf(context, itemIndex));
		} catch (error) {
			// An expression that cannot be resolved for this item: nothing to send.
			const failure = isParameterError(error)
				? {
						message: `Item ${itemNumber(itemIndex)}: a parameter could not be read: ${error.message}`,
						description: 'Fix the expression and run the item again.',
						outcome: 'notSent' as const,
						httpCode: null,
					}
				: bugWhilePlanning(context, error, itemIndex);
			return { ok: false, itemIndex, given: {}, failure };
		}
		let checked: Checked<T>;
		try {
			checked = planner.check(given);
		} catch (error) {
			// The checks are pure and never throw for any value: a throw here is a bug.
			return {
				ok: false,
				itemIndex,
				given: planner.shown(given),
				failure: bugWhilePlanning(context, error, itemIndex),
			};
		}
		if (checked.ok) return { ok: true, itemIndex, value: checked.value };
		return {
			ok: false,
			itemIndex,
			given: planner.shown(given),
			failure: describeInputProblem(checked.problem, itemIndex),
		};
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
				description: 'Fix the credential and run the workflow again.',
				outcome: 'notSent',
				httpCode: null,
				n8nFailure: { cause: 'configuration-invalid' },
			},
		};
	}
}

/**
 * Whether a failed item becomes an item (n8n's Continue settings, or the node as an agent's tool)
 * rather than the error that stops the node. A tool answers with its failure: the model is then
 * told on every n8n and agent version (n8n 1.x stops the whole execution on a tool's error, and
 * agents before v3 hand the model an empty answer).
 */
export function failuresAsItems(context: IExecuteFunctions): boolean {
	return context.continueOnFail() || runsAsTool(context);
}

/** Every item failed the same way before any request: their error items, or the stop. */
export function failEveryItem(
	context: IExecuteFunctions,
	failure: EtnaFailure,
): INodeExecutionData[] {
	if (!failuresAsItems(context)) throw nodeErrorOf(context.getNode(), failure, 0);
	return context.getInputData().map((_, itemIndex) => failedItem(itemIndex, failure, {}));
}

/** With Stop Workflow, the first refused input stops the node before any request. */
export function stopOnRefusedInput<T>(context: IExecuteFunctions, plans: Array<ItemPlan<T>>): void {
	if (failuresAsItems(context)) return;
	const refused = plans.find((plan) => !plan.ok);
	if (refused && !refused.ok)
		throw nodeErrorOf(context.getNode(), refused.failure, refused.itemIndex);
}
