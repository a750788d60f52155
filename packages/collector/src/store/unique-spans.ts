import type { SpanRow } from '../model/rows.js';

/**
 * The spans of a trace as a store returns them: one per span id (of copies a retry stored
 * twice, the one that ended last; the first read on a tie), by start, then span id.
 */
export function uniqueByStart(spans: readonly SpanRow[]): SpanRow[] {
  const bySpanId = new Map<string, SpanRow>();
  for (const span of spans) {
    const kept = bySpanId.get(span.spanId);
    if (kept === undefined || span.endNs > kept.endNs) bySpanId.set(span.spanId, span);
  }
  return [...bySpanId.values()].sort((a, b) =>
    a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0,
  );
}
