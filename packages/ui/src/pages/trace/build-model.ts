import type { TraceDetail, WireLog, WireSpan } from '../../api/wire.js';
import { serviceColor } from '../../format/service-colors.js';
import { nsToMs } from '../../format/units.js';
import { markCriticalPath } from './critical-path.js';
import type { SpanRow, TraceModel } from './model.js';
import { bigintMin, distinctSpans, treeOrder } from './tree-order.js';

const NS_PER_MS = 1e6;

/**
 * Lays out one trace for the page (see SpanRow): distinct spans in tree order, subtrees,
 * the critical path, and the per-trace summaries.
 *
 * @example
 * const loaded = await api.trace(traceId);
 * if (loaded.ok) render(buildTraceModel(loaded.value));
 */
export function buildTraceModel(detail: TraceDetail): TraceModel {
  const spans = distinctSpans(detail.spans);
  const startNs = spans.map((s) => BigInt(s.startNs));
  const t0 = bigintMin(startNs);
  const t0Ms = nsToMs(t0.toString());
  const laid = treeOrder(spans, startNs);
  const rows: SpanRow[] = laid.order.map((i, at) => {
    const span = spans[i] as WireSpan;
    const offsetMs = Number((startNs[i] ?? t0) - t0) / NS_PER_MS;
    const durationMs = Math.max(0, Number(BigInt(span.endNs) - (startNs[i] ?? t0)) / NS_PER_MS);
    return {
      span,
      depth: laid.depth[at] ?? 0,
      parentIndex: laid.parent[at] ?? -1,
      subtreeEnd: at + 1,
      childCount: 0,
      offsetMs,
      durationMs,
      startMs: t0Ms + offsetMs,
      endMs: t0Ms + offsetMs + durationMs,
      color: serviceColor(span.service),
      isError: span.status.code === 'ERROR',
      critical: false,
      orphan: span.parentSpanId !== null && laid.parent[at] === -1,
    };
  });
  fillSubtrees(rows);
  markCriticalPath(rows);
  return summarize(detail, rows, t0Ms);
}

/** Pre-order rows: a subtree ends at the next row that is not deeper. One pass with a stack. */
function fillSubtrees(rows: SpanRow[]): void {
  const open: number[] = [];
  rows.forEach((row, i) => {
    while (open.length > 0 && (rows[open[open.length - 1] ?? 0]?.depth ?? 0) >= row.depth) {
      const closed = open.pop() ?? 0;
      (rows[closed] as SpanRow).subtreeEnd = i;
    }
    const parent = rows[row.parentIndex];
    if (parent !== undefined) parent.childCount += 1;
    open.push(i);
  });
  for (const i of open) (rows[i] as SpanRow).subtreeEnd = rows.length;
}

function summarize(detail: TraceDetail, rows: SpanRow[], startMs: number): TraceModel {
  const indexById = new Map<string, number>();
  const services = new Set<string>();
  const containerIds = new Set<string>();
  let endMs = startMs;
  let errorCount = 0;
  rows.forEach((row, i) => {
    indexById.set(row.span.spanId, i);
    services.add(row.span.service);
    if (row.span.containerId !== null) containerIds.add(row.span.containerId);
    if (row.endMs > endMs) endMs = row.endMs;
    if (row.isError) errorCount += 1;
  });
  const logsBySpan = new Map<string, WireLog[]>();
  for (const log of detail.logs) {
    if (log.spanId === null) continue;
    const list = logsBySpan.get(log.spanId);
    if (list === undefined) logsBySpan.set(log.spanId, [log]);
    else list.push(log);
  }
  return {
    traceId: detail.traceId,
    rows,
    indexById,
    startMs,
    durationMs: endMs - startMs,
    services: [...services],
    errorCount,
    containers: new Map(detail.containers.map((c) => [c.id, c])),
    containerIds: [...containerIds],
    logsBySpan,
  };
}
