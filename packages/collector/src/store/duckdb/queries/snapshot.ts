import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Runs several reads in one transaction, so that they see one snapshot of the store; an
 * error rolls back (a COMMIT after a failed statement would throw and hide the error).
 */
export async function inSnapshot<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await conn.run('COMMIT');
  return result;
}
