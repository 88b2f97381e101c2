// The bench sandbox (bench/sandboxProcess.ts) from the benchmark's side: started by
// bench/sandbox.ts, asked over IPC for its request counts and its per-account withdrawal tally.
import type { ChildProcess } from 'node:child_process';

import { startSandbox } from './sandbox';
import type { PaidAnswer, SandboxQuestion, TallyAnswer } from './sandboxProcess';

export interface BenchSandbox {
	apiUrl: string;
	/** An administrator token: goes into n8n's credential, never into printed output. */
	token: string;
	appKey: string;
	process: ChildProcess;
	/** API requests received so far, per endpoint (accounts, transactions, withdrawal, info, ...). */
	counts(): Promise<Record<string, number>>;
	/** Successful withdrawals so far, in all. */
	paid(): Promise<number>;
	tally(): Promise<Omit<TallyAnswer, 'id'>>;
	stop(): Promise<void>;
}

export async function startBenchSandbox(
	accounts: number,
	latencyMs: number,
	appKey: string,
): Promise<BenchSandbox> {
	const { apiUrl, token, process: child } = await startSandbox({ appKey, accounts, latencyMs });

	// Answers come back in order of the questions, except that 'counts' has no id: one at a time.
	let next = 0;
	const waiting = new Map<number, (answer: unknown) => void>();
	let countsWaiting: ((answer: Record<string, number>) => void) | undefined;
	child.on('message', (message: unknown) => {
		if (typeof message !== 'object' || message === null) return;
		if ('id' in message && typeof message.id === 'number') {
			waiting.get(message.id)?.(message);
			waiting.delete(message.id);
		} else {
			countsWaiting?.(message as Record<string, number>);
			countsWaiting = undefined;
		}
	});
	const ask = async <Answer>(question: Omit<SandboxQuestion, 'id'>): Promise<Answer> => {
		next += 1;
		const id = next;
		const answer = new Promise<Answer>((resolve) =>
			waiting.set(id, (value) => resolve(value as Answer)),
		);
		child.send({ ...question, id });
		return await answer;
	};
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return {
		apiUrl,
		token,
		appKey,
		process: child,
		async counts() {
			const answer = new Promise<Record<string, number>>((resolve) => (countsWaiting = resolve));
			child.send('counts');
			return await answer;
		},
		async paid() {
			return (await ask<PaidAnswer>({ ask: 'paid' })).withdrawals;
		},
		async tally() {
			const { firstId, perAccount, payableAtStart } = await ask<TallyAnswer>({ ask: 'tally' });
			return { firstId, perAccount, payableAtStart };
		},
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
				await exited;
				clearTimeout(killer);
			}
		},
	};
}
