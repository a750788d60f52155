import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanRow } from '../../../model/rows.js';
import { firstRow, readNullableBigInt } from '../columns.js';
import { SPAN_COLUMNS, spanFromRow } from '../mapRows.js';
import { Params } from '../params.js';
import { traceKey } from '../trace-index.js';
import { inSnapshot } from './snapshot.js';

/**
 * The trace's span start range from span_traces (trace-index.ts); null when the trace is
 * unknown. Bound as literals in the spans query, so that zone maps prune on them.
 */
async function startRange(conn: DuckDBConnection, key: bigint): Promise<{ minNs: bigint; maxNs: bigint } | null> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT min(min_start_ns) AS min_ns, max(max_start_ns) AS max_ns FROM span_traces WHERE trace_key = ${p.ubigint(key)}`,
    p.values,
    p.types,
  );
  const row = firstRow(result.getRowObjects(), 'trace start range');
  const minNs = readNullableBigInt(row, 'min_ns');
  const maxNs = readNullableBigInt(row, 'max_ns');
  return minNs === null || maxNs === null ? null : { minNs, maxNs };
}

/**
 * Every span of one trace, by start time (span id breaks ties so the order is stable), each
 * span once: the write path drops re-sent spans it remembers (pipeline/span-dedupe.ts), and a
 * copy it no longer remembered is left out here. Both reads run in one transaction, so they
 * see the same snapshot.
 */
export async function getTraceSpans(conn: DuckDBConnection, traceId: string): Promise<SpanRow[]> {
  const key = traceKey(traceId);
  const p = new Params();
  const where = [`trace_id = ${p.text(traceId)}`];
  if (key !== null) {
    return inSnapshot(conn, async () => {
      const range = await startRange(conn, key);
      if (range === null) return [];
      where.push(`start_ns >= ${p.bigint(range.minNs)}`, `start_ns <= ${p.bigint(range.maxNs)}`);
      return readSpans(conn, where, p);
    });
  }
  return readSpans(conn, where, p);
}

async function readSpans(conn: DuckDBConnection, where: readonly string[], p: Params): Promise<SpanRow[]> {
  const result = await conn.runAndReadAll(
    `SELECT ${SPAN_COLUMNS} FROM spans WHERE ${where.join(' AND ')}
     QUALIFY row_number() OVER (PARTITION BY span_id ORDER BY end_ns DESC) = 1
     ORDER BY start_ns, span_id`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(spanFromRow);
}
