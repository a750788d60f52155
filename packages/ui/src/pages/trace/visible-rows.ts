import type { SpanRow } from './model.js';

/**
 * The rows shown with some subtrees collapsed: row indexes in order, skipping each collapsed
 * row's subtree in one jump (subtreeEnd), so it costs O(rows shown + collapsed), not a walk.
 */
export function visibleRows(rows: readonly SpanRow[], collapsed: ReadonlySet<number>): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < rows.length) {
    out.push(i);
    const row = rows[i];
    i = row !== undefined && collapsed.has(i) ? row.subtreeEnd : i + 1;
  }
  return out;
}

/** The window of a virtual list: which rows to render for a scroll position. */
export function rowWindow(count: number, scrollTopPx: number, viewportPx: number, rowPx: number, overscan: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTopPx / rowPx) - overscan);
  const last = Math.min(count, Math.ceil((scrollTopPx + viewportPx) / rowPx) + overscan);
  return { first, last };
}
