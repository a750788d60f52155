import type { ServiceMap } from '../../api/wire.js';

/**
 * A layered layout for the service map: each service in the column of its longest call
 * chain from an entry service (one no other service calls), callers left of callees.
 * Cycles (a calls b calls a) are cut by bounding the relaxation to one pass per node.
 */
export interface NodeBox {
  name: string;
  x: number;
  y: number;
}

export const NODE_W = 170;
export const NODE_H = 54;
/** Wide enough for an edge's two label lines between the columns. */
const COL_GAP = 200;
const ROW_GAP = 36;
const MARGIN = 16;

export function layoutServiceMap(map: ServiceMap): { nodes: Map<string, NodeBox>; widthPx: number; heightPx: number } {
  const names = new Set(map.nodes.map((n) => n.name));
  for (const e of map.edges) names.add(e.from).add(e.to);
  const depth = new Map<string, number>([...names].map((n) => [n, 0]));
  for (let pass = 0; pass < names.size; pass++) {
    let changed = false;
    for (const e of map.edges) {
      if (e.from === e.to) continue;
      const next = (depth.get(e.from) ?? 0) + 1;
      if (next > (depth.get(e.to) ?? 0) && next < names.size) {
        depth.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, string[]>();
  for (const name of [...names].sort()) {
    const d = depth.get(name) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), name]);
  }
  const nodes = new Map<string, NodeBox>();
  let rowsMax = 0;
  for (const [d, column] of columns) {
    rowsMax = Math.max(rowsMax, column.length);
    column.forEach((name, row) => nodes.set(name, { name, x: MARGIN + d * (NODE_W + COL_GAP), y: MARGIN + row * (NODE_H + ROW_GAP) }));
  }
  const cols = Math.max(1, ...[...columns.keys()].map((d) => d + 1));
  return {
    nodes,
    widthPx: MARGIN * 2 + cols * NODE_W + (cols - 1) * COL_GAP,
    heightPx: MARGIN * 2 + Math.max(1, rowsMax) * NODE_H + Math.max(0, rowsMax - 1) * ROW_GAP,
  };
}
