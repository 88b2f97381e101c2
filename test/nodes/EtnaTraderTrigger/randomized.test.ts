// Interleaves, at random but from a fixed seed, new ledger rows (some visible only later),
// polls (some with a budget for one account), restarts, failing reads and an account that fails
// for several polls, and checks the one promise the trigger makes: every matching row written
// after it started is emitted exactly once.
import type { INodeExecutionData } from 'n8n-workflow';

import { useSandbox } from '../../support/etna';
import { PolledTrigger } from '../../support/n8nEngine';

const etna = useSandbox();

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function randomFrom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WATCHED = [1001, 1002, 1003];
const ALL = [...WATCHED, 1004];

describe.each([11, 12, 13, 14])('with seed %i', (seed) => {
	it('emits every matching row exactly once across inserts, late rows, polls, restarts and faults', async () => {
		const random = randomFrom(seed);
		const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
		etna.sandbox.maxPageSize = pick([2, 3, 100]);
		const trigger = new PolledTrigger(
			{ event: 'newTransaction', accountIds: WATCHED.join(','), options: { direction: 'in' } },
			etna.credentials(),
		);
		await trigger.poll();
		const expected: number[] = [];
		const hidden: number[] = [];
		const emitted: number[] = [];
		const take = (output: INodeExecutionData[][] | null) => {
			for (const item of output?.[0] ?? []) emitted.push(Number(item.json.Id));
		};

		for (let step = 0; step < 80; step++) {
			const action = random();
			if (action < 0.45) {
				const accountId = pick(ALL);
				const cents = Math.round((random() - 0.4) * 10_000) || 1;
				etna.sandbox.model.paymentType = pick(['Payment', 'Commission', 'ManualManipulation']);
				const id = etna.sandbox.model.recordPayment(accountId, cents).Id;
				if (WATCHED.includes(accountId) && cents > 0) expected.push(id);
				if (random() < 0.2) {
					etna.sandbox.model.hideTransaction(id);
					hidden.push(id);
				}
			} else if (action < 0.55 && hidden.length) {
				etna.sandbox.model.revealTransaction(hidden.shift() ?? 0);
			} else if (action < 0.65) {
				trigger.restart();
			} else if (action < 0.72) {
				etna.sandbox.addFault({
					endpoint: 'transactions',
					skip: Math.floor(random() * 3),
					times: 1,
					fault: { kind: 'status', status: 500 },
				});
				// A failed read keeps its account's cursor; its rows come with a later poll.
				await trigger.poll().then(take, () => undefined);
				etna.sandbox.clearFaults();
			} else if (action < 0.78) {
				// One account fails for a few polls; a quiet poll may fail naming it.
				etna.sandbox.addFault({
					accountId: pick(WATCHED),
					endpoint: 'transactions',
					times: 1 + Math.floor(random() * 4),
					fault: { kind: 'status', status: 503 },
				});
			} else {
				// Now and then a budget so short that a poll reads one account.
				take(await trigger.poll({ budgetMs: random() < 0.3 ? 0 : undefined }).catch(() => null));
			}
		}
		for (const id of hidden) etna.sandbox.model.revealTransaction(id);
		etna.sandbox.clearFaults();
		for (let drain = 0; drain < 10; drain++) take(await trigger.poll());

		expect([...emitted].sort((left, right) => left - right)).toEqual(
			[...expected].sort((left, right) => left - right),
		);
		expect(new Set(emitted).size).toBe(emitted.length);
	});
});
