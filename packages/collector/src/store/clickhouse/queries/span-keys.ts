import { readString } from '../../duckdb/columns.js';
import { selectRecords, toResultRow, type ClickHouseQueryContext } from './context.js';

/**
 * (trace id, span id) of this host's newest spans that started at or after `sinceNs`, at most
 * `limit` of them, newest first: what a collector's span deduplication filter
 * (pipeline/span-dedupe.ts) is seeded with when it starts, as the DuckDB store's
 * recentSpanKeys. Unlike there, many collectors share the tables, and a re-sent batch comes
 * back to the collector that stored it, so only `hostName`'s spans count: another host's
 * would only take room in the filter. The spans table is ordered by start_ns, so the range
 * reads the recent granules only.
 * @example
 * const keys = await recentSpanKeys(ctx, 'host-a', sinceNs, 100_000); // [{ traceId, spanId }, ...]
 */
export async function recentSpanKeys(
  ctx: ClickHouseQueryContext,
  hostName: string,
  sinceNs: bigint,
  limit: number,
): Promise<{ traceId: string; spanId: string }[]> {
  const records = await selectRecords(
    ctx,
    `SELECT trace_id, span_id FROM ${ctx.db}.spans
     WHERE host_name = {hostName:String} AND start_ns >= {sinceNs:Int64}
     ORDER BY start_ns DESC LIMIT {limit:UInt32}`,
    { hostName, sinceNs, limit },
  );
  return records.map((record) => {
    const row = toResultRow(record, []);
    return { traceId: readString(row, 'trace_id'), spanId: readString(row, 'span_id') };
  });
}
