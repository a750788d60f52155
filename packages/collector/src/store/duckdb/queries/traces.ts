import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanRow } from '../../../model/rows.js';
import { SPAN_COLUMNS, spanFromRow } from '../mapRows.js';
import { Params } from '../params.js';
import { traceKey } from '../trace-index.js';
import { uniqueByStart } from '../../unique-spans.js';

/**
 * Every span of one trace, by start time (span id breaks ties so the order is stable), each
 * span once: the write path drops re-sent spans it remembers (pipeline/span-dedupe.ts), and a
 * copy it no longer remembered is left out here (the one that ended last is kept).
 *
 * One statement: the trace's start range from span_traces (trace-index.ts) joined to the
 * spans, which DuckDB turns into dynamic filters on start_ns that zone maps prune on, so one
 * snapshot and one round trip serve the lookup. An unknown key gives the empty range 0..-1,
 * which prunes every row group (NULL bounds would not, and scan them all). Measured at 10M
 * spans, this machine, connection included: 6–7 ms p50 against 9.5–12 ms for a range query
 * then a spans query with the dedupe in SQL (a window over the matched rows doubled that
 * query's time). What is left: the span_traces key column's full scan (~1.4 ms for 1M
 * keys: random keys defeat zone maps), one row group of spans (~1.3 ms), and ~2 ms of
 * prepare, bind and result conversion.
 */
export async function getTraceSpans(conn: DuckDBConnection, traceId: string): Promise<SpanRow[]> {
  const key = traceKey(traceId);
  const p = new Params();
  const id = p.text(traceId);
  const sql =
    key === null
      ? `SELECT ${SPAN_COLUMNS} FROM spans WHERE trace_id = ${id}`
      : `WITH range AS MATERIALIZED (
           SELECT coalesce(min(min_start_ns), 0) AS lo, coalesce(max(max_start_ns), -1) AS hi
           FROM span_traces WHERE trace_key = ${p.ubigint(key)}
         )
         SELECT ${SPAN_COLUMNS} FROM spans, range
         WHERE trace_id = ${id} AND start_ns >= range.lo AND start_ns <= range.hi`;
  const result = await conn.runAndReadAll(sql, p.values, p.types);
  return uniqueByStart(result.getRowObjects().map(spanFromRow));
}
