import type { SpanRow } from './model.js';

/**
 * Marks the critical path: the chain of spans that the root's end time waited on, as
 * Jaeger computes it. From a span's end, walking back in time, the child that finished
 * last is on the path; then the cursor moves to that child's start and the child that
 * finished last before the cursor is on it, and so on; each chosen child is walked the same
 * way. A child that overlaps a chosen one did not delay the parent and is left off.
 * Iterative, so a deep chain cannot overflow the stack.
 */
export function markCriticalPath(rows: SpanRow[]): void {
  const root = rows.findIndex((r) => r.parentIndex === -1 && r.span.parentSpanId === null);
  const start = root === -1 ? 0 : root;
  if (rows[start] === undefined) return;
  const childrenOf = (i: number): number[] => {
    const row = rows[i];
    if (row === undefined) return [];
    const kids: number[] = [];
    // Direct children are the rows of the subtree one level deeper.
    for (let j = i + 1; j < row.subtreeEnd; j = rows[j]?.subtreeEnd ?? row.subtreeEnd) kids.push(j);
    return kids;
  };
  const endOf = (i: number): number => {
    const row = rows[i];
    return row === undefined ? 0 : row.offsetMs + row.durationMs;
  };
  const stack = [start];
  while (stack.length > 0) {
    const i = stack.pop() ?? start;
    const row = rows[i];
    if (row === undefined) continue;
    row.critical = true;
    const parentEndMs = endOf(i);
    let cursorMs = parentEndMs;
    // A child that outlived its parent (async work) counts as ending with the parent.
    const clampedEnd = (kid: number): number => Math.min(endOf(kid), parentEndMs);
    const kids = childrenOf(i).sort((a, b) => clampedEnd(b) - clampedEnd(a));
    for (const kid of kids) {
      const child = rows[kid];
      if (child === undefined || child.offsetMs >= cursorMs || clampedEnd(kid) > cursorMs) continue;
      stack.push(kid);
      cursorMs = child.offsetMs;
    }
  }
}
