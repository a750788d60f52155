import type { WireSpan } from '../../api/wire.js';

export function bigintMin(values: readonly bigint[]): bigint {
  let min = values[0] ?? 0n;
  for (const v of values) if (v < min) min = v;
  return min;
}

/**
 * Spans in depth-first order (children by start time), with each row's depth and parent row.
 * Roots: spans without a parent or whose parent is not in the trace; spans in a parent
 * cycle (reachable from no root) are walked from the first of them, so each gets a row.
 */
export function treeOrder(spans: readonly WireSpan[], startNs: readonly bigint[]): { order: number[]; depth: number[]; parent: number[] } {
  const byId = new Map<string, number>();
  spans.forEach((s, i) => byId.set(s.spanId, i));
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  spans.forEach((s, i) => {
    const parent = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
    if (parent === undefined || parent === i) roots.push(i);
    else {
      const list = children.get(parent);
      if (list === undefined) children.set(parent, [i]);
      else list.push(i);
    }
  });
  const byStart = (a: number, b: number): number => {
    const d = (startNs[a] ?? 0n) - (startNs[b] ?? 0n);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  };
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);
  const out: number[] = [];
  const depth = new Array<number>(spans.length).fill(0);
  const parent = new Array<number>(spans.length).fill(-1);
  const visited = new Uint8Array(spans.length);
  const walk = (root: number): void => {
    const stack: [number, number, number][] = [[root, 0, -1]];
    while (stack.length > 0) {
      const [i, d, p] = stack.pop() ?? [0, 0, -1];
      if (visited[i] === 1) continue;
      visited[i] = 1;
      depth[out.length] = d;
      parent[out.length] = p;
      const at = out.length;
      out.push(i);
      const kids = children.get(i) ?? [];
      for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k] ?? 0, d + 1, at]);
    }
  };
  roots.forEach(walk);
  // Spans in a parent cycle are reachable from no root; they still get a row each.
  spans.forEach((_, i) => {
    if (visited[i] === 0) walk(i);
  });
  return { order: out, depth, parent };
}

/** One row per distinct span id: an OTLP retry can deliver a span twice. */
export function distinctSpans(spans: readonly WireSpan[]): WireSpan[] {
  const seen = new Set<string>();
  return spans.filter((s) => (seen.has(s.spanId) ? false : (seen.add(s.spanId), true)));
}
