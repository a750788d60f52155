import type { SpanRow } from '../../model/rows.js';

/*
 * The side table span_traces (schema.ts) lets a lookup by trace id skip the spans table's
 * full scan: one row per trace per written batch holds a compact key of the trace id and
 * the earliest and latest span start of that trace in the batch. A lookup reads the key's
 * rows (a BIGINT-sized column, ~1/10 of the spans' row count) for the trace's start range,
 * then scans spans only where start_ns is in that range, which DuckDB's zone maps prune
 * to the row groups written around that time. Two traces may share a key; the spans query
 * still compares the full id, so a shared key only widens the range.
 */

/** A trace id: 32 lowercase hex digits (model/rows.ts). */
const TRACE_ID = /^[0-9a-f]{32}$/;
const KEY_HEX_DIGITS = 16;

/**
 * The key of a trace id: its last 8 bytes as an unsigned 64-bit integer (W3C trace context
 * makes the right-most bytes the random ones). Null for an id that is not 32 hex digits.
 * The SQL twin is TRACE_KEY_SQL.
 */
export function traceKey(traceId: string): bigint | null {
  if (!TRACE_ID.test(traceId)) return null;
  return BigInt(`0x${traceId.slice(-KEY_HEX_DIGITS)}`);
}

/** traceKey in SQL, for the migration that fills span_traces from existing spans. */
export const TRACE_KEY_SQL = `('0x' || right(trace_id, ${KEY_HEX_DIGITS}))::UBIGINT`;

export interface TraceRange {
  key: bigint;
  minStartNs: bigint;
  maxStartNs: bigint;
}

/**
 * One range per trace of the batch. Receivers validate ids, so every id has a key; one
 * without (a caller that skipped validation) is left out, and getTraceSpans finds it by a
 * full scan instead, since its lookup has no key either.
 */
export function traceRanges(rows: readonly SpanRow[]): TraceRange[] {
  const byId = new Map<string, { minStartNs: bigint; maxStartNs: bigint }>();
  for (const row of rows) {
    const range = byId.get(row.traceId);
    if (range === undefined) byId.set(row.traceId, { minStartNs: row.startNs, maxStartNs: row.startNs });
    else if (row.startNs < range.minStartNs) range.minStartNs = row.startNs;
    else if (row.startNs > range.maxStartNs) range.maxStartNs = row.startNs;
  }
  const out: TraceRange[] = [];
  for (const [traceId, range] of byId) {
    const key = traceKey(traceId);
    if (key !== null) out.push({ key, ...range });
  }
  return out;
}
