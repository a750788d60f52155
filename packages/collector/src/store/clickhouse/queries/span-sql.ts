import type { ClickHouseRecord } from './context.js';
import { int64 } from './context.js';

/*
 * SQL pieces the ClickHouse analytics queries share: each span once, and DuckDB's
 * interpolated percentile, so that both stores answer alike.
 */

/** Columns a query may keep of a span; a span stored twice keeps its copy that ended last. */
export type SpanColumn = 'parent_span_id' | 'service' | 'name' | 'start_ns' | 'end_ns' | 'duration_ns' | 'status_code';

/** OTLP STATUS_CODE_ERROR. */
export const STATUS_ERROR = 2;

/** The spans starting in a range ({startNs:Int64}, {endNs:Int64}), as a WHERE condition. */
export const SPANS_IN_RANGE = 'start_ns >= {startNs:Int64} AND start_ns < {endNs:Int64}';

/**
 * SQL of the spans matching `where`, one row per (trace_id, span_id) with `columns` of the
 * copy that ended last (as ../../unique-spans.ts picks for getTraceSpans): a batch re-sent
 * after the dedupe window is stored twice, and a count must not double it.
 * Grouped by a 128-bit hash of the ids (collision-free in practice) and one argMax per
 * column: at 2M spans that took ~0.35 s and 70 MB, against ~0.8 s and 300 MB grouped by
 * the two strings and ~1 s with one argMax of a tuple (a plain count: 0.03 s). Memory grows
 * with the spans `where` selects.
 * The inner aliases are prefixed: an alias named like a column would replace that column
 * in the other aggregates and in the GROUP BY.
 * @example
 * uniqueSpansSql('`tracedock`', 'start_ns >= {startNs:Int64}', ['service', 'duration_ns'])
 * // SELECT kept_trace_id AS trace_id, kept_span_id AS span_id, kept_service AS service, ... FROM (...)
 */
export function uniqueSpansSql(db: string, where: string, columns: readonly SpanColumn[]): string {
  const kept = columns.map((c) => `${c === 'end_ns' ? 'max(end_ns)' : `argMax(${c}, end_ns)`} AS kept_${c}`);
  const renamed = columns.map((c) => `kept_${c} AS ${c}`);
  return `SELECT kept_trace_id AS trace_id, kept_span_id AS span_id${renamed.map((c) => `, ${c}`).join('')}
    FROM (
      SELECT any(trace_id) AS kept_trace_id, any(span_id) AS kept_span_id${kept.map((c) => `, ${c}`).join('')}
      FROM ${db}.spans
      WHERE ${where}
      GROUP BY sipHash128(trace_id, span_id)
    )`;
}

/**
 * SQL of the spans matching `where` as stored: what the aggregates over a range (services,
 * service map, operation baselines) count, as the DuckDB store does. A copy the write path's
 * dedupe filter no longer remembered counts again there; grouping it away cost ~10x (0.35
 * against 0.03 s at 2M spans, see uniqueSpansSql) for a case real retries rarely reach. Trace
 * searches count spans once (trace-search.ts), and a trace shows each once.
 * @example storedSpansSql('`tracedock`', 'start_ns >= {startNs:Int64}', ['service']) // SELECT trace_id, span_id, service FROM ...
 */
export function storedSpansSql(db: string, where: string, columns: readonly SpanColumn[]): string {
  return `SELECT trace_id, span_id${columns.map((c) => `, ${c}`).join('')} FROM ${db}.spans WHERE ${where}`;
}

/**
 * SQL of the q-quantile of a sorted non-empty array, interpolated as DuckDB's quantile_cont
 * computes it: position (n - 1)·q, then lo·(1 - d) + hi·d. ClickHouse's own
 * quantileExactInclusive is the same method (R7) but rounds differently (position
 * (n - 1)·q + 1, then lo + d·(hi - lo)): it differs from DuckDB in the last bit for about
 * a fifth of random inputs, so both stores would not give equal numbers.
 * @example percentileSql('durations', 0.95) // an expression of type Float64
 */
export function percentileSql(sorted: string, q: number): string {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile is from 0 to 1, got ${q}`);
  const position = `((length(${sorted}) - 1) * ${q})`;
  const fraction = `(${position} - floor(${position}))`;
  const lo = `${sorted}[toUInt64(floor(${position})) + 1]`;
  const hi = `${sorted}[toUInt64(ceil(${position})) + 1]`;
  return `(${lo} * (1 - ${fraction}) + ${hi} * ${fraction})`;
}

/**
 * A count() column (UInt64, which the reader's settings quote) as a number.
 * @example countOf({ span_count: '42' }, 'span_count') // 42
 */
export function countOf(record: ClickHouseRecord, column: string): number {
  const value = Number(int64(record, column));
  if (!Number.isSafeInteger(value)) throw new TypeError(`ClickHouse column ${column}: ${value} is not a safe integer`);
  return value;
}

/**
 * A string column, checked.
 * @example stringOf({ name: 'gateway' }, 'name') // 'gateway'
 */
export function stringOf(record: ClickHouseRecord, column: string): string {
  const value = record[column];
  if (typeof value !== 'string') throw new TypeError(`ClickHouse column ${column}: expected a string, got ${typeof value}`);
  return value;
}

/**
 * An Array(String) column, checked.
 * @example stringsOf({ services: ['gateway', 'orders'] }, 'services') // ['gateway', 'orders']
 */
export function stringsOf(record: ClickHouseRecord, column: string): string[] {
  const value = record[column];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new TypeError(`ClickHouse column ${column}: expected a list of strings`);
  }
  return value;
}
