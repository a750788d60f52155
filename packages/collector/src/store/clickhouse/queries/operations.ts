import { TupleParam } from '@clickhouse/client';
import { statsInChunks } from '../../operation-keys.js';
import type { OperationKey, OperationStats, TimeRange } from '../../Store.js';
import type { ClickHouseQueryContext } from './context.js';
import { float64, selectRecords } from './context.js';
import { SPANS_IN_RANGE, countOf, percentileSql, stringOf, storedSpansSql } from './span-sql.js';

const NS_PER_MS = 1e6;

/**
 * Per (service, name) asked for: the spans starting in the range (each once, all hosts)
 * and their interpolated p95 duration in ms, as duckdb/queries/operations.ts answers.
 * Keys are matched as exact pairs; operations without spans are left out.
 * @example
 * await operationStats(ctx, [{ service: 'orders', name: 'GET /orders' }], range);
 * // [{ service: 'orders', name: 'GET /orders', spanCount: 42, p95Ms: 18.25 }]
 */
export async function operationStats(
  ctx: ClickHouseQueryContext,
  keys: readonly OperationKey[],
  range: TimeRange,
): Promise<OperationStats[]> {
  return statsInChunks(keys, (chunk) => statsOf(ctx, chunk, range));
}

async function statsOf(ctx: ClickHouseQueryContext, keys: readonly OperationKey[], range: TimeRange): Promise<OperationStats[]> {
  if (keys.length === 0) return [];
  const where = `${SPANS_IN_RANGE} AND (service, name) IN {keys:Array(Tuple(String, String))}`;
  const records = await selectRecords(
    ctx,
    `SELECT service, name, span_count, ${percentileSql('durations', 0.95)} / ${NS_PER_MS} AS p95_ms
     FROM (
       SELECT service, name, count() AS span_count, arraySort(groupArray(duration_ns)) AS durations
       FROM (${storedSpansSql(ctx.db, where, ['service', 'name', 'duration_ns'])})
       GROUP BY service, name
     )
     ORDER BY service, name`,
    { startNs: range.startNs, endNs: range.endNs, keys: keys.map((k) => new TupleParam([k.service, k.name])) },
  );
  return records.map((record) => ({
    service: stringOf(record, 'service'),
    name: stringOf(record, 'name'),
    spanCount: countOf(record, 'span_count'),
    p95Ms: float64(record, 'p95_ms'),
  }));
}
