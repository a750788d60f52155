import type { DuckDBConnection } from '@duckdb/node-api';
import { statsInChunks } from '../../operation-keys.js';
import type { OperationKey, OperationStats, TimeRange } from '../../Store.js';
import { readNumber, readString } from '../columns.js';
import { Params } from '../params.js';

const NS_PER_MS = 1e6;

/**
 * Per (service, name): spans starting in the range and the interpolated p95 duration, the
 * baseline that "slower than usual" is measured against. Keys are matched as exact pairs,
 * so ("a", "b") never borrows spans of ("a", "c").
 */
export async function operationStats(
  conn: DuckDBConnection,
  keys: readonly OperationKey[],
  range: TimeRange,
): Promise<OperationStats[]> {
  return statsInChunks(keys, (chunk) => statsOf(conn, chunk, range));
}

async function statsOf(
  conn: DuckDBConnection,
  keys: readonly OperationKey[],
  range: TimeRange,
): Promise<OperationStats[]> {
  if (keys.length === 0) return [];
  const p = new Params();
  const start = p.bigint(range.startNs);
  const end = p.bigint(range.endNs);
  const pairs = keys.map((k) => `(service = ${p.text(k.service)} AND name = ${p.text(k.name)})`).join(' OR ');
  const result = await conn.runAndReadAll(
    `SELECT service, name, count(*) AS span_count,
       quantile_cont(duration_ns, 0.95) / ${p.double(NS_PER_MS)} AS p95_ms
     FROM spans
     WHERE start_ns >= ${start} AND start_ns < ${end} AND (${pairs})
     GROUP BY service, name
     ORDER BY service, name`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map((row) => ({
    service: readString(row, 'service'),
    name: readString(row, 'name'),
    spanCount: readNumber(row, 'span_count'),
    p95Ms: readNumber(row, 'p95_ms'),
  }));
}
