// What a failure looks like on the n8n under test: a failed item on the error output, and the
// credential's Test button. Every n8n routes json that is exactly { error, message }; only
// n8n-core 2.36.0 and later also route it with `details`, so on the legacy line an item with
// details would land on the SUCCESS output, as if the money had moved. n8n merges the input
// item's json into every routed item.
import type { IDataObject } from 'n8n-workflow';

import { executeWorkflow, type N8nInstance } from '../../../scripts/n8n/instance';
import { outputsOf, type Payout } from '../../realN8n/workflows';
import { LINE } from './world';

export type Outcome = 'notSent' | 'rejected' | 'unknown';

/** How `message` opens for each outcome: what a workflow routes on, on any n8n. */
export const OUTCOME_SENTENCES: Record<Outcome, string> = {
	notSent: 'Outcome: not sent (nothing reached ETNA).',
	rejected: 'Outcome: rejected (ETNA did not do it; no money moved).',
	unknown: 'Outcome: unknown (the money may have moved).',
};

/** Whether this n8n keeps `details` on error items (2.36 and later). */
export const KEEPS_DETAILS = LINE === 'current';

export interface ExpectedFailure {
	/** The json of the item that went into the node: n8n merges it into the error item. */
	input: IDataObject;
	error: RegExp;
	outcome: Outcome;
	httpCode: number | null;
	itemIndex: number;
	/** What the node read from the item (details carries it where n8n keeps details). */
	request: IDataObject;
}

function escaped(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for the whole error item, for toEqual: any key more or less fails. */
export function errorItem(expected: ExpectedFailure): IDataObject {
	const message = expect.stringMatching(
		new RegExp(`^${escaped(OUTCOME_SENTENCES[expected.outcome])} \\S`),
	);
	const compact = { ...expected.input, error: expect.stringMatching(expected.error), message };
	if (!KEEPS_DETAILS) return compact;
	return {
		...compact,
		details: {
			description: expect.any(String),
			outcome: expected.outcome,
			httpCode: expected.httpCode,
			itemIndex: expected.itemIndex,
			...expected.request,
		},
	};
}

/** Every item of the batch refused by ETNA alike: HTTP `httpCode` and an error matching `error`. */
export function everyItemRejected(
	payouts: Payout[],
	error: RegExp,
	httpCode: number,
): IDataObject[] {
	return payouts.map((payout, itemIndex) =>
		errorItem({ input: payout, error, outcome: 'rejected', httpCode, itemIndex, request: payout }),
	);
}

/**
 * Runs the workflow with `n8n execute` and checks that its Withdraw node put nothing on the
 * success output; returns what it put on the error output.
 */
export async function errorsOfFailingRun(
	n8n: N8nInstance,
	workflowId: string,
): Promise<IDataObject[]> {
	const { main, errors } = outputsOf(await executeWorkflow(n8n, workflowId));
	expect(main).toEqual([]);
	return errors;
}

/**
 * What the Test button says when ETNA answers 403 or 401. The credential's rules word it on 2.x.
 * n8n 1.x never applies a credential's responseCode rules: its NodeApiError does not keep the
 * HTTP error as `cause`, where its credential tester looks for the status, so the generic
 * messages of n8n's NodeApiError show instead.
 */
export const TEST_BUTTON_REFUSALS =
	LINE === 'current'
		? {
				appKey:
					'ETNA refused the App Key (HTTP 403): the Et-App-Key is wrong; copy it from BO Companies, WebApi tab',
				token:
					"ETNA refused the token (HTTP 401): it is not an ETNA administrator's token, or it has expired",
			}
		: {
				appKey: 'Forbidden - perhaps check your credentials?',
				token: 'Authorization failed - please check your credentials',
			};

/** Where details are kept, `message` is the outcome sentence followed by the description. */
export function expectMessageMatchesDetails(item: IDataObject): void {
	if (!KEEPS_DETAILS) {
		expect(item).not.toHaveProperty('details');
		return;
	}
	const details = item.details as IDataObject;
	const outcome = details.outcome as Outcome;
	expect(item.message).toBe(`${OUTCOME_SENTENCES[outcome]} ${String(details.description)}`);
}
