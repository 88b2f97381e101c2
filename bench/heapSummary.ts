// Summarises a V8 .heapsnapshot (as --heapsnapshot-signal writes it): objects by constructor
// (count, self size, retained size) and the single objects that retain the most, with the edge
// that holds them. Retained sizes come from the dominator tree (Cooper, Harvey and Kennedy's
// iterative algorithm), over strong edges only, as DevTools computes them.
// The file is read whole into a Buffer (not a JS string: a snapshot of a few hundred MB is past
// V8's longest string), numbers are parsed by hand into typed arrays, and the strings one by
// one.
//   node .build/bench/heapSummary.js FILE.heapsnapshot
import { readFileSync } from 'node:fs';

interface Meta {
	node_fields: string[];
	node_types: [string[], ...unknown[]];
	edge_fields: string[];
	edge_types: [string[], ...unknown[]];
}

interface Snapshot {
	nodeFieldCount: number;
	edgeFieldCount: number;
	nodes: Uint32Array;
	edges: Uint32Array;
	strings: string[];
	nodeTypes: string[];
	edgeTypes: string[];
	fields: { type: number; name: number; selfSize: number; edgeCount: number };
	edgeFields: { type: number; nameOrIndex: number; toNode: number };
}

/** The numbers of a JSON array starting at `from` (just after its '['), into a typed array. */
function parseNumbers(
	buffer: Buffer,
	from: number,
	count: number,
): { values: Uint32Array; end: number } {
	const values = new Uint32Array(count);
	let index = 0;
	let current = 0;
	let inNumber = false;
	let position = from;
	for (; position < buffer.length; position += 1) {
		const byte = buffer[position];
		if (byte >= 48 && byte <= 57) {
			current = current * 10 + (byte - 48);
			inNumber = true;
		} else {
			if (inNumber) {
				values[index] = current;
				index += 1;
				current = 0;
				inNumber = false;
			}
			if (byte === 93) break; // ']'
		}
	}
	return { values: index === count ? values : values.subarray(0, index), end: position };
}

function readSnapshot(file: string): Snapshot {
	const buffer = readFileSync(file);
	const nodesAt = buffer.indexOf('"nodes":[');
	const header = JSON.parse(
		`${buffer.subarray(0, nodesAt).toString('utf8').trim().replace(/,$/, '')}}`,
	) as { snapshot: { meta: Meta; node_count: number; edge_count: number } };
	const { meta, node_count: nodeCount, edge_count: edgeCount } = header.snapshot;
	const nodeFieldCount = meta.node_fields.length;
	const edgeFieldCount = meta.edge_fields.length;
	const nodes = parseNumbers(buffer, nodesAt + '"nodes":['.length, nodeCount * nodeFieldCount);
	const edgesAt = buffer.indexOf('"edges":[', nodes.end);
	const edges = parseNumbers(buffer, edgesAt + '"edges":['.length, edgeCount * edgeFieldCount);
	const stringsAt = buffer.indexOf('"strings":[', edges.end) + '"strings":['.length;
	const strings: string[] = [];
	// Each string scanned to its closing quote (a backslash escapes the next byte), then decoded.
	let position = stringsAt;
	while (position < buffer.length) {
		const byte = buffer[position];
		if (byte === 93) break; // ']': the end of the strings
		if (byte !== 34) {
			position += 1; // a comma or whitespace between strings
			continue;
		}
		let end = position + 1;
		while (end < buffer.length && buffer[end] !== 34) end += buffer[end] === 92 ? 2 : 1;
		strings.push(JSON.parse(buffer.toString('utf8', position, end + 1)) as string);
		position = end + 1;
	}
	return {
		nodeFieldCount,
		edgeFieldCount,
		nodes: nodes.values,
		edges: edges.values,
		strings,
		nodeTypes: meta.node_types[0],
		edgeTypes: meta.edge_types[0],
		fields: {
			type: meta.node_fields.indexOf('type'),
			name: meta.node_fields.indexOf('name'),
			selfSize: meta.node_fields.indexOf('self_size'),
			edgeCount: meta.node_fields.indexOf('edge_count'),
		},
		edgeFields: {
			type: meta.edge_fields.indexOf('type'),
			nameOrIndex: meta.edge_fields.indexOf('name_or_index'),
			toNode: meta.edge_fields.indexOf('to_node'),
		},
	};
}

export interface ClassFigures {
	name: string;
	count: number;
	selfBytes: number;
	/** Sum of the retained sizes of its objects not dominated by another of the same class. */
	retainedBytes: number;
}

export interface ObjectFigures {
	className: string;
	/** The edge its dominator holds it by, when the dominator holds it directly. */
	heldAs: string;
	holderClass: string;
	retainedBytes: number;
}

export interface HeapSummary {
	totalBytes: number;
	nodeCount: number;
	classes: ClassFigures[];
	/** Plain objects (constructor Object) grouped by their first property names. */
	plainObjects: ClassFigures[];
	objects: ObjectFigures[];
}

/** A class name as DevTools groups objects: constructor for objects, the kind in parentheses otherwise. */
function classOf(snapshot: Snapshot, node: number): string {
	const base = node * snapshot.nodeFieldCount;
	const type = snapshot.nodeTypes[snapshot.nodes[base + snapshot.fields.type]];
	const name = snapshot.strings[snapshot.nodes[base + snapshot.fields.name]] ?? '?';
	switch (type) {
		case 'object':
		case 'native':
			return name;
		case 'closure':
			return '(closure)';
		case 'string':
		case 'concatenated string':
		case 'sliced string':
			return '(string)';
		case 'array':
			return '(internal array)';
		case 'code':
			return '(compiled code)';
		case 'hidden':
		case 'object shape':
			return '(system)';
		default:
			return `(${type})`;
	}
}

export function summarizeHeapSnapshot(file: string, top = 15): HeapSummary {
	const snapshot = readSnapshot(file);
	const { nodes, edges, nodeFieldCount, edgeFieldCount, fields, edgeFields } = snapshot;
	const nodeCount = nodes.length / nodeFieldCount;
	const weak = snapshot.edgeTypes.indexOf('weak');
	// First edge of each node: edges are stored node after node.
	const firstEdge = new Uint32Array(nodeCount + 1);
	for (let node = 0; node < nodeCount; node += 1) {
		firstEdge[node + 1] = firstEdge[node] + nodes[node * nodeFieldCount + fields.edgeCount];
	}
	const target = (edge: number) =>
		edges[edge * edgeFieldCount + edgeFields.toNode] / nodeFieldCount;
	const strong = (edge: number) => edges[edge * edgeFieldCount + edgeFields.type] !== weak;

	// Post-order from the root (node 0), iteratively.
	const order = new Int32Array(nodeCount).fill(-1); // post-order number of each node
	const byOrder = new Uint32Array(nodeCount); // node of each post-order number
	const stackNode = new Uint32Array(nodeCount);
	const stackEdge = new Uint32Array(nodeCount);
	const visited = new Uint8Array(nodeCount);
	let reached = 0;
	let depth = 0;
	stackNode[0] = 0;
	stackEdge[0] = firstEdge[0];
	visited[0] = 1;
	while (depth >= 0) {
		const node = stackNode[depth];
		const edge = stackEdge[depth];
		if (edge < firstEdge[node + 1]) {
			stackEdge[depth] = edge + 1;
			if (!strong(edge)) continue;
			const next = target(edge);
			if (visited[next]) continue;
			visited[next] = 1;
			depth += 1;
			stackNode[depth] = next;
			stackEdge[depth] = firstEdge[next];
		} else {
			order[node] = reached;
			byOrder[reached] = node;
			reached += 1;
			depth -= 1;
		}
	}
	// Predecessors (strong edges between reached nodes), by post-order number.
	const predecessorCount = new Uint32Array(reached + 1);
	for (let node = 0; node < nodeCount; node += 1) {
		if (order[node] < 0) continue;
		for (let edge = firstEdge[node]; edge < firstEdge[node + 1]; edge += 1) {
			if (!strong(edge)) continue;
			const to = order[target(edge)];
			if (to >= 0) predecessorCount[to + 1] += 1;
		}
	}
	for (let index = 0; index < reached; index += 1) {
		predecessorCount[index + 1] += predecessorCount[index];
	}
	const predecessors = new Uint32Array(predecessorCount[reached]);
	const filled = predecessorCount.slice(0, reached);
	for (let node = 0; node < nodeCount; node += 1) {
		const from = order[node];
		if (from < 0) continue;
		for (let edge = firstEdge[node]; edge < firstEdge[node + 1]; edge += 1) {
			if (!strong(edge)) continue;
			const to = order[target(edge)];
			if (to >= 0) {
				predecessors[filled[to]] = from;
				filled[to] += 1;
			}
		}
	}
	// Immediate dominators, in post-order numbers; the root is the highest number.
	const rootOrder = reached - 1;
	const dominator = new Int32Array(reached).fill(-1);
	dominator[rootOrder] = rootOrder;
	let changed = true;
	while (changed) {
		changed = false;
		for (let current = rootOrder - 1; current >= 0; current -= 1) {
			let chosen = -1;
			for (let at = predecessorCount[current]; at < predecessorCount[current + 1]; at += 1) {
				let other = predecessors[at];
				if (dominator[other] < 0) continue;
				if (chosen < 0) {
					chosen = other;
					continue;
				}
				let mine = chosen;
				while (mine !== other) {
					while (mine < other) mine = dominator[mine];
					while (other < mine) other = dominator[other];
				}
				chosen = mine;
			}
			if (chosen >= 0 && dominator[current] !== chosen) {
				dominator[current] = chosen;
				changed = true;
			}
		}
	}
	// Retained sizes: a node's dominator comes later in post-order.
	const retained = new Float64Array(reached);
	for (let current = 0; current < reached; current += 1) {
		retained[current] += nodes[byOrder[current] * nodeFieldCount + fields.selfSize];
		if (current !== rootOrder && dominator[current] >= 0) {
			retained[dominator[current]] += retained[current];
		}
	}

	const names = new Array<string>(reached);
	for (let current = 0; current < reached; current += 1) {
		names[current] = classOf(snapshot, byOrder[current]);
	}
	const property = snapshot.edgeTypes.indexOf('property');
	// Plain objects told apart by their properties: `{json,pairedItem}` is an n8n item, `{Id,...}`
	// an account as ETNA sends it.
	const shapes = new Array<string>(reached);
	for (let current = 0; current < reached; current += 1) {
		if (names[current] !== 'Object') continue;
		const node = byOrder[current];
		const keys: string[] = [];
		for (let edge = firstEdge[node]; edge < firstEdge[node + 1] && keys.length < 6; edge += 1) {
			if (edges[edge * edgeFieldCount + edgeFields.type] !== property) continue;
			const key = snapshot.strings[edges[edge * edgeFieldCount + edgeFields.nameOrIndex]] ?? '?';
			if (key !== '__proto__') keys.push(key);
		}
		shapes[current] = `{${keys.join(',')}}`;
	}
	let totalBytes = 0;
	for (let current = 0; current < reached; current += 1) {
		totalBytes += nodes[byOrder[current] * nodeFieldCount + fields.selfSize];
	}
	const group = (keyOf: (current: number) => string | undefined): ClassFigures[] => {
		const groups = new Map<string, ClassFigures>();
		for (let current = 0; current < reached; current += 1) {
			const name = keyOf(current);
			if (name === undefined || name === '(synthetic)') continue;
			const self = nodes[byOrder[current] * nodeFieldCount + fields.selfSize];
			const figures = groups.get(name) ?? { name, count: 0, selfBytes: 0, retainedBytes: 0 };
			figures.count += 1;
			figures.selfBytes += self;
			// Not counted again under an object of the same group that holds it (a few steps up
			// only: a long chain, a linked list, would make this quadratic).
			let holder = dominator[current];
			let nested = false;
			for (let steps = 0; steps < 64 && holder >= 0 && holder !== rootOrder; steps += 1) {
				if (keyOf(holder) === name) {
					nested = true;
					break;
				}
				holder = dominator[holder];
			}
			if (!nested) figures.retainedBytes += retained[current];
			groups.set(name, figures);
		}
		return [...groups.values()]
			.sort((left, right) => right.retainedBytes - left.retainedBytes)
			.slice(0, top);
	};
	const classes = group((current) => names[current]);
	const plainObjects = group((current) => shapes[current]);

	// The biggest single objects, below the synthetic roots (the root and "(GC roots)" groups).
	const candidates: number[] = [];
	for (let current = 0; current < reached; current += 1) {
		if (current === rootOrder || names[current].startsWith('(synthetic')) continue;
		candidates.push(current);
	}
	candidates.sort((left, right) => retained[right] - retained[left]);
	const objects: ObjectFigures[] = [];
	for (const current of candidates) {
		if (objects.length >= top) break;
		const holder = dominator[current];
		const holderNode = byOrder[holder];
		let heldAs = '(not directly)';
		for (let edge = firstEdge[holderNode]; edge < firstEdge[holderNode + 1]; edge += 1) {
			if (target(edge) !== byOrder[current]) continue;
			const type = snapshot.edgeTypes[edges[edge * edgeFieldCount + edgeFields.type]];
			const nameOrIndex = edges[edge * edgeFieldCount + edgeFields.nameOrIndex];
			heldAs =
				type === 'element' || type === 'hidden'
					? `[${nameOrIndex}]`
					: (snapshot.strings[nameOrIndex] ?? '?');
			break;
		}
		objects.push({
			className: names[current],
			heldAs,
			holderClass: names[holder],
			retainedBytes: retained[current],
		});
	}
	return { totalBytes, nodeCount, classes, plainObjects, objects };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Prints the summary of one snapshot: the classes by retained size, then the biggest objects. */
export function printHeapSummary(file: string, print: (line: string) => void): void {
	const summary = summarizeHeapSnapshot(file);
	print(
		`  heap ${mb(summary.totalBytes)} in ${summary.nodeCount} objects; by class (retained, self, count):`,
	);
	for (const figures of summary.classes) {
		print(
			`    ${figures.name}: ${mb(figures.retainedBytes)} retained, ${mb(figures.selfBytes)} self, ${figures.count} objects`,
		);
	}
	print('  plain objects by their properties (retained, self, count):');
	for (const figures of summary.plainObjects) {
		print(
			`    ${figures.name}: ${mb(figures.retainedBytes)} retained, ${mb(figures.selfBytes)} self, ${figures.count} objects`,
		);
	}
	print('  the objects that retain the most (held by):');
	for (const object of summary.objects) {
		// Names come from the heap: a property name, never a value, so no secret is printed.
		print(
			`    ${object.className} ${mb(object.retainedBytes)}, held as ${object.holderClass}.${object.heldAs}`,
		);
	}
}

if (require.main === module) {
	const file = process.argv[2];
	if (!file) {
		console.error('usage: node .build/bench/heapSummary.js FILE.heapsnapshot');
		process.exit(1);
	}
	printHeapSummary(file, (line) => console.log(line));
}
