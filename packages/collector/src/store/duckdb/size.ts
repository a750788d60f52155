import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { firstRow, readNullableNumber, readNumber } from './columns.js';
import { IN_MEMORY } from './database.js';

async function fileBytes(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * Bytes the data occupies: the used blocks of the database file plus the WAL. The file
 * itself never shrinks (DuckDB reuses freed blocks instead), so its length could never
 * fall under a size cap; used blocks do, after a DELETE and a CHECKPOINT. In memory it
 * is the memory DuckDB holds for the database.
 */
export async function databaseSizeBytes(conn: DuckDBConnection, path: string): Promise<number> {
  if (path === IN_MEMORY) {
    const result = await conn.runAndReadAll(
      'SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()',
    );
    return readNullableNumber(firstRow(result.getRowObjects(), 'memory size'), 'bytes') ?? 0;
  }
  const result = await conn.runAndReadAll(
    `SELECT used_blocks * block_size AS bytes FROM pragma_database_size()
     WHERE database_name = current_database()`,
  );
  const usedBytes = readNumber(firstRow(result.getRowObjects(), 'database size'), 'bytes');
  return usedBytes + (await fileBytes(`${path}.wal`));
}
