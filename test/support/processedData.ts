// n8n's deduplication store (what `this.helpers.checkProcessedAndRecord` reaches) for the
// in-process suite: n8n 2.41.1's DeduplicationHelper (n8n `dist/deduplication/
// deduplication-helper.js`, byte for byte the same in 1.123.81), statement for statement, over a
// table kept in memory with the real table's primary key (workflowId, context). Each statement
// is its own step with a pause before it, as a database round trip is, so concurrent calls
// interleave as they do in n8n: a read and the write after it are not atomic, and a second create
// of a row fails as the primary key makes it. The real store is exercised by the real-n8n suites.
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

interface ProcessedDataRow {
	workflowId: string;
	context: string;
	value: { mode: string; data: string[] };
}

/** Counts of the statements the store ran, by kind: what a claim costs in database round trips. */
export interface StatementCounts {
	select: number;
	insert: number;
	update: number;
	delete: number;
}

export class ProcessedDataTable implements IDataDeduplicator {
	private readonly rows = new Map<string, ProcessedDataRow>();

	readonly statements: StatementCounts = { select: 0, insert: 0, update: 0, delete: 0 };

	/** Statements wait this many turns of the event loop: more turns, more interleaving. */
	constructor(private readonly turns = 1) {}

	private async roundTrip(kind: keyof StatementCounts): Promise<void> {
		this.statements[kind] += 1;
		for (let turn = 0; turn < this.turns; turn += 1) {
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}

	private static keyOf(workflowId: string, context: string): string {
		return `${workflowId}\u0000${context}`;
	}

	private static contextOf(scope: DeduplicationScope, data: ICheckProcessedContextData): string {
		if (scope === 'node') {
			if (!data.node)
				throw new Error("No node information has been provided and so cannot use scope 'node'");
			return `n:${data.node.id}`;
		}
		return '';
	}

	private static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	private workflowIdOf(data: ICheckProcessedContextData): string {
		const id = data.workflow.id;
		// n8n: assert.ok(contextData.workflow.id); the table's foreign key wants a saved workflow.
		if (!id)
			throw new Error(
				'The expression evaluated to a falsy value: assert.ok(contextData.workflow.id)',
			);
		return id;
	}

	private async findOne(workflowId: string, context: string): Promise<ProcessedDataRow | null> {
		await this.roundTrip('select');
		const row = this.rows.get(ProcessedDataTable.keyOf(workflowId, context));
		// A copy, as a database read gives: later writes do not change what was read.
		return row ? (JSON.parse(JSON.stringify(row)) as ProcessedDataRow) : null;
	}

	private async insert(row: ProcessedDataRow): Promise<void> {
		await this.roundTrip('insert');
		const key = ProcessedDataTable.keyOf(row.workflowId, row.context);
		if (this.rows.has(key)) {
			throw new Error(
				'SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context',
			);
		}
		this.rows.set(key, JSON.parse(JSON.stringify(row)) as ProcessedDataRow);
	}

	private async update(row: ProcessedDataRow): Promise<void> {
		await this.roundTrip('update');
		const key = ProcessedDataTable.keyOf(row.workflowId, row.context);
		// UPDATE ... WHERE workflowId AND context: no row, nothing written.
		if (this.rows.has(key)) this.rows.set(key, JSON.parse(JSON.stringify(row)) as ProcessedDataRow);
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		if (options.mode !== 'entries') throw new Error('Only the entries mode is modelled');
		const context = ProcessedDataTable.contextOf(scope, contextData);
		const workflowId = this.workflowIdOf(contextData);
		const found = await this.findOne(workflowId, context);
		if (found && found.value.mode !== options.mode) {
			throw new Error('Deduplication data was originally saved with an incompatible setting');
		}
		const hashed = items.map((item) => ProcessedDataTable.hash(item));
		if (!found) {
			if (options.maxEntries) hashed.splice(0, hashed.length - options.maxEntries);
			await this.insert({ workflowId, context, value: { mode: options.mode, data: hashed } });
			return { new: items, processed: [] };
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		const seen = new Set(found.value.data);
		hashed.forEach((hash, index) => {
			if (seen.has(hash)) {
				output.processed.push(items[index]);
			} else {
				output.new.push(items[index]);
				found.value.data.push(hash);
			}
		});
		if (options.maxEntries) {
			found.value.data.splice(0, found.value.data.length - options.maxEntries);
		}
		await this.update(found);
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		const context = ProcessedDataTable.contextOf(scope, contextData);
		const found = await this.findOne(this.workflowIdOf(contextData), context);
		if (!found) return;
		for (const hash of items.map((item) => ProcessedDataTable.hash(item))) {
			const index = found.value.data.findIndex((value) => value === hash);
			if (index !== -1) found.value.data.splice(index, 1);
		}
		await this.update(found);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		await this.roundTrip('delete');
		const context = ProcessedDataTable.contextOf(scope, contextData);
		this.rows.delete(ProcessedDataTable.keyOf(this.workflowIdOf(contextData), context));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		const context = ProcessedDataTable.contextOf(scope, contextData);
		const found = await this.findOne(this.workflowIdOf(contextData), context);
		return options.mode === 'entries' && found ? found.value.data.length : 0;
	}

	/** The values a row holds, hashed as n8n keeps them (tests compare with `hashOf`). */
	valuesOf(workflowId: string, context: string): string[] {
		return [...(this.rows.get(ProcessedDataTable.keyOf(workflowId, context))?.value.data ?? [])];
	}

	/** Forgets every row: a new database. */
	clear(): void {
		this.rows.clear();
		this.resetCounts();
	}

	resetCounts(): void {
		for (const kind of Object.keys(this.statements) as Array<keyof StatementCounts>) {
			this.statements[kind] = 0;
		}
	}

	static hashOf(value: string): string {
		return ProcessedDataTable.hash(value);
	}
}

let table: ProcessedDataTable | undefined;

/**
 * The store n8n-core's helpers reach in this test file's module registry, set up once per file
 * as n8n's commands do at start (DataDeduplicationService.init).
 */
export function processedData(): ProcessedDataTable {
	if (!table) {
		table = new ProcessedDataTable();
		void DataDeduplicationService.init(table);
	}
	return table;
}
