// Peak resident memory of process trees, sampled from /proc (Linux): each root (an n8n process)
// and everything it started (its task runner), per process and all together. A sample every
// ~200 ms misses a spike shorter than that; it is what `ps` would have shown.
import { readdirSync, readFileSync } from 'node:fs';

export interface RssRoot {
	label: string;
	pid: number;
}

export interface ProcessPeak {
	pid: number;
	label: string;
	peakKb: number;
	/** CPU time used (user + system), as of its last sample. */
	cpuMs: number;
}

export interface RssReport {
	processes: ProcessPeak[];
	/** The highest sum of all the processes' RSS in one sample (they peak at different times). */
	peakSumKb: number;
	/** When the sum peaked (Date.now()). */
	peakSumAt: number;
	samples: number;
}

function readText(file: string): string | undefined {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined; // the process ended between the listing and the read
	}
}

/** Every process's parent, from /proc/<pid>/stat (the field after the name in parentheses). */
function parents(): Map<number, number[]> {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = readText(`/proc/${entry}/stat`);
		if (!stat) continue;
		const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		const list = children.get(parent) ?? [];
		list.push(Number(entry));
		children.set(parent, list);
	}
	return children;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time of a process so far, from /proc/<pid>/stat (fields 14 and 15). */
export function cpuMsOf(pid: number): number | undefined {
	const stat = readText(`/proc/${pid}/stat`);
	if (!stat) return undefined;
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function rssKb(pid: number): number | undefined {
	const match = /^VmRSS:\s+(\d+) kB/m.exec(readText(`/proc/${pid}/status`) ?? '');
	return match ? Number(match[1]) : undefined;
}

/** A child's label: n8n's task runner by its command line, else its program name. */
function childLabel(rootLabel: string, pid: number): string {
	const command = (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ');
	if (/task-runner|runners/.test(command)) return `${rootLabel} > task runner`;
	const name = (readText(`/proc/${pid}/comm`) ?? '?').trim();
	return `${rootLabel} > ${name}`;
}

export class RssSampler {
	private readonly peaks = new Map<number, ProcessPeak>();

	private peakSumKb = 0;

	private peakSumAt = 0;

	/** The sum of the last sample. */
	lastSumKb = 0;

	private samples = 0;

	private timer: NodeJS.Timeout | undefined;

	/** `roots()` is asked at every sample: processes may start (a re-run) or die (a killed worker). */
	constructor(
		private readonly roots: () => RssRoot[],
		private readonly intervalMs = 200,
	) {}

	start(): void {
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
	}

	stop(): RssReport {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.sample();
		return {
			processes: [...this.peaks.values()],
			peakSumKb: this.peakSumKb,
			peakSumAt: this.peakSumAt,
			samples: this.samples,
		};
	}

	sample(): void {
		const roots = this.roots();
		if (roots.length === 0) return;
		const children = parents();
		let sum = 0;
		for (const root of roots) {
			const queue = [root.pid];
			while (queue.length) {
				const pid = queue.shift() as number;
				queue.push(...(children.get(pid) ?? []));
				const kb = rssKb(pid);
				if (kb === undefined) continue;
				sum += kb;
				const cpuMs = cpuMsOf(pid) ?? 0;
				const known = this.peaks.get(pid);
				if (known) {
					known.peakKb = Math.max(known.peakKb, kb);
					known.cpuMs = Math.max(known.cpuMs, cpuMs);
				} else {
					const label = pid === root.pid ? root.label : childLabel(root.label, pid);
					this.peaks.set(pid, { pid, label, peakKb: kb, cpuMs });
				}
			}
		}
		this.samples += 1;
		this.lastSumKb = sum;
		if (sum > this.peakSumKb) {
			this.peakSumKb = sum;
			this.peakSumAt = Date.now();
		}
	}
}
