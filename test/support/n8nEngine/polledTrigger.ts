// The ETNA Trader Trigger polled in-process, as n8n's poll engine runs poll() on each tick.
import { PollContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
} from 'n8n-workflow';

import { storeOf, type CredentialStore, type TestCredentials } from './credentials';
import { additionalDataFor, lifecycleHooks } from './engine';
import { TRIGGER_TYPE, TestNodeTypes } from './nodeTypes';

export interface PollOptions {
	/** n8n's mode: a poll on its schedule ('trigger') or "Fetch test event" ('manual'). */
	mode?: 'trigger' | 'manual';
	/** The poll budget n8n 2.x gives; absent: the context has none, as on n8n 1.x. */
	budgetMs?: number;
}

/**
 * One ETNA Trader Trigger as an active workflow keeps it: its parameters, its credential and
 * the node's static data, which lives on between polls (and through a restart as JSON).
 */
export class PolledTrigger {
	/** The node's static data, as n8n stores it for the workflow. */
	staticData: IDataObject = {};

	private readonly node: INode;

	private readonly store: CredentialStore;

	constructor(parameters: INodeParameters, credentials: TestCredentials) {
		this.node = {
			id: 'etna-trader-trigger',
			name: 'ETNA Trader Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { etnaTraderApi: { id: '1', name: 'ETNA sandbox' } },
		};
		this.store = storeOf(credentials);
	}

	/** What survives a restart of n8n: the static data, through the database as JSON. */
	restart(): void {
		this.staticData = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}

	/** Runs poll() in n8n-core's PollContext, as n8n's poll engine does on each tick. */
	async poll({ mode = 'trigger', budgetMs }: PollOptions = {}): Promise<
		INodeExecutionData[][] | null
	> {
		const nodeTypes = new TestNodeTypes();
		const workflow = new Workflow({
			id: 'trigger-workflow',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: { [`node:${this.node.name}`]: this.staticData },
		});
		const hooks = lifecycleHooks('manual', workflow.id, this.node);
		const additionalData = additionalDataFor(this.store, hooks);
		const context = new PollContext(
			workflow,
			this.node,
			additionalData,
			mode,
			'activate',
			undefined,
			undefined,
			undefined,
			undefined,
			() => this.staticData,
		);
		if (budgetMs === undefined) {
			// n8n 1.x's context has no poll budget.
			Object.defineProperty(context, 'getPollBudgetMs', { value: undefined });
		} else {
			Object.defineProperty(context, 'getPollBudgetMs', { value: () => budgetMs });
		}
		const trigger = nodeTypes.getByNameAndVersion(TRIGGER_TYPE);
		if (!trigger.poll) throw new Error('The trigger has no poll()');
		return await trigger.poll.call(context);
	}
}
