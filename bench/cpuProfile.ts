// A V8 CPU profile (.cpuprofile) as figures: self time by layer (the node's own code, n8n's
// expressions, request helpers, engine, database; Node's http) and the top functions. Used by
// bench:profile (in-process) and bench:scale --cpu-prof (a real n8n).

export interface CpuProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
	nodes: CpuProfileNode[];
	samples?: number[];
	timeDeltas?: number[];
}

/** The layer a sampled function belongs to, by its file. */
function layerOf({ functionName, url }: CpuProfileNode['callFrame']): string {
	if (functionName === '(idle)') return 'idle (waiting for ETNA)';
	if (functionName === '(garbage collector)') return 'V8 garbage collector';
	if (functionName === '(program)') return 'V8 and native code (program)';
	if (/\/nodes\/EtnaTrader/.test(url)) return "the node's own code (nodes/**)";
	if (/n8n-workflow\/dist\/.*(expression|workflow-data-proxy|extensions|native-methods)/.test(url))
		return 'n8n-workflow: expression evaluation';
	if (/@n8n\/tournament|esprima|recast|ast-types|luxon|jmespath|js-base64/.test(url))
		return 'n8n-workflow: expression evaluation';
	if (/n8n-workflow\//.test(url)) return 'n8n-workflow: parameters, data proxy, other';
	if (/n8n-core\/.*request-helper|axios|follow-redirects|form-data|proxy-from-env/.test(url))
		return "n8n-core's request helpers and axios";
	if (/n8n-core\//.test(url)) return "n8n-core's engine (execution context, run data)";
	if (/@n8n\/backend-network/.test(url))
		return "n8n's network layer (agents per request, SSRF guard)";
	if (/typeorm|sqlite|\/pg\/|@n8n\/db/.test(url)) return "n8n's database (saving executions)";
	if (/node_modules\/n8n\/dist\//.test(url)) return 'n8n: execution lifecycle, hooks, saving';
	if (/^node:(_http|http|https|net|tls|dns|stream|internal\/(streams|http|net|dns))/.test(url))
		return "Node.js's http, net and streams";
	if (/\/test\/support\//.test(url)) return 'test harness (engine setup, credentials)';
	if (/\/sandbox\//.test(url)) return 'sandbox (should be in its own process)';
	if (url.startsWith('node:') || url === '') return 'Node.js, other built-ins';
	return 'other modules';
}

/** Self time per layer and per function, from V8's samples (each sample's delta to the next). */
export function summarizeCpuProfile(profile: CpuProfile, top: number, items: number): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	const layers = new Map<string, number>();
	const functions = new Map<string, number>();
	let busy = 0;
	for (let index = 0; index < samples.length; index++) {
		const node = byId.get(samples[index]);
		const micros = deltas[index + 1] ?? 0;
		if (!node) continue;
		const layer = layerOf(node.callFrame);
		layers.set(layer, (layers.get(layer) ?? 0) + micros);
		if (layer.startsWith('idle')) continue;
		busy += micros;
		const { functionName, url, lineNumber } = node.callFrame;
		const where = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\.build\//, '')}:${lineNumber + 1}`;
		functions.set(where, (functions.get(where) ?? 0) + micros);
	}
	const row = (name: string, micros: number) =>
		`  ${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / busy).toFixed(1).padStart(5)}% ${(micros / 1000 / items).toFixed(3).padStart(7)} ms/item  ${name}`;
	const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
	return [
		`CPU self time by layer (% of busy time, idle apart): busy ${(busy / 1000).toFixed(0)} ms, ${(busy / 1000 / items).toFixed(3)} ms/item`,
		...sorted(layers).map(([name, micros]) =>
			name.startsWith('idle')
				? `  ${(micros / 1000).toFixed(0).padStart(8)} ms   (idle)               ${name}`
				: row(name, micros),
		),
		``,
		`top ${top} functions by self time:`,
		...sorted(functions)
			.slice(0, top)
			.map(([name, micros]) => row(name, micros)),
	].join('\n');
}
