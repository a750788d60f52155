import type { DuckDBConnection } from '@duckdb/node-api';
import type { ContainerSampleRow } from '../../../model/rows.js';
import type { TimeRange } from '../../Store.js';
import { SAMPLE_COLUMNS, sampleFromRow } from '../mapRows.js';
import { Params } from '../params.js';
import { assertLimit } from './limit.js';

/**
 * Every container's samples in the range: what the host as a whole was doing, for the
 * noisy-neighbour check. Bounded by `limit` because a wide range times many containers
 * is a lot of rows.
 */
export async function samplesInRange(
  conn: DuckDBConnection,
  range: TimeRange,
  limit: number,
): Promise<ContainerSampleRow[]> {
  assertLimit(limit);
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT ${SAMPLE_COLUMNS} FROM container_samples
     WHERE time_ns >= ${p.bigint(range.startNs)} AND time_ns < ${p.bigint(range.endNs)}
     ORDER BY container_id, time_ns
     LIMIT ${p.integer(limit)}`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(sampleFromRow);
}
