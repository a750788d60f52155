import type { OperationKey, OperationStats } from './Store.js';

/**
 * Keys per statement: each adds its pair to the statement (DuckDB: two parameters of an OR
 * chain; ClickHouse: a tuple of a URL parameter, which the server bounds). A trace rarely
 * has more; both stores chunk alike, so they answer in one order.
 */
const KEYS_PER_QUERY = 200;

/**
 * The stats of each distinct key, asked `KEYS_PER_QUERY` keys per call of `statsOf`, in order.
 * @example await statsInChunks(keys, (chunk) => statsOf(conn, chunk, range))
 */
export async function statsInChunks(
  keys: readonly OperationKey[],
  statsOf: (chunk: readonly OperationKey[]) => Promise<OperationStats[]>,
): Promise<OperationStats[]> {
  const seen = new Map<string, OperationKey>();
  for (const key of keys) seen.set(JSON.stringify([key.service, key.name]), key);
  const unique = [...seen.values()];
  const out: OperationStats[] = [];
  for (let i = 0; i < unique.length; i += KEYS_PER_QUERY) out.push(...(await statsOf(unique.slice(i, i + KEYS_PER_QUERY))));
  return out;
}
