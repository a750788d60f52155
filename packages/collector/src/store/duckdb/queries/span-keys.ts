import type { DuckDBConnection } from '@duckdb/node-api';
import { readString } from '../columns.js';
import { Params } from '../params.js';

/**
 * (trace id, span id) of the newest spans that started at or after `sinceNs`: what the span
 * deduplication filter (pipeline/span-dedupe.ts) is seeded with when the collector starts, so
 * that a batch re-sent across a restart is still stored once. Zone maps on start_ns prune the
 * scan to the recent row groups.
 */
export async function recentSpanKeys(
  conn: DuckDBConnection,
  sinceNs: bigint,
  limit: number,
): Promise<{ traceId: string; spanId: string }[]> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT trace_id, span_id FROM spans WHERE start_ns >= ${p.bigint(sinceNs)}
     ORDER BY start_ns DESC LIMIT ${p.integer(limit)}`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map((row) => ({ traceId: readString(row, 'trace_id'), spanId: readString(row, 'span_id') }));
}
