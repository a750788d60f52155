import type { DuckDBConnection } from '@duckdb/node-api';
import type { OperationKey, OperationStats, TimeRange } from '../../Store.js';
import { readNumber, readString } from '../columns.js';
import { Params } from '../params.js';

const NS_PER_MS = 1e6;
/** Keys per statement: each one adds two parameters to an OR chain; a trace rarely has more. */
const KEYS_PER_QUERY = 200;

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
  const unique = uniqueKeys(keys);
  const out: OperationStats[] = [];
  for (let i = 0; i < unique.length; i += KEYS_PER_QUERY) {
    out.push(...(await statsOf(conn, unique.slice(i, i + KEYS_PER_QUERY), range)));
  }
  return out;
}

function uniqueKeys(keys: readonly OperationKey[]): OperationKey[] {
  const seen = new Map<string, OperationKey>();
  for (const key of keys) seen.set(JSON.stringify([key.service, key.name]), key);
  return [...seen.values()];
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
