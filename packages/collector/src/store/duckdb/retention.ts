import type { DuckDBConnection } from '@duckdb/node-api';
import type { RetentionPolicy, RetentionResult } from '../Store.js';
import { firstRow, readNullableBigInt } from './columns.js';
import { Params } from './params.js';
import { databaseSizeBytes } from './size.js';
import { MINUTE_NS } from './span-minutes.js';

/** Each table with its time column; containers go by their last update instead. */
const TIMED_TABLES = [
  { table: 'spans', column: 'start_ns', key: 'spansRemoved' },
  // A trace's row goes once its latest span start in that batch is gone.
  { table: 'span_traces', column: 'max_start_ns', key: undefined },
  // A minute's row goes once the whole minute is before the cut.
  { table: 'span_minutes', column: `minute_ns + ${MINUTE_NS - 1n}`, key: undefined },
  // Edge roll-ups go with their minute too (a minute whose window lost spans reads as
  // stale until then, and is joined live: edge-rollup.ts).
  { table: 'span_edge_pairs', column: 'start_ns', key: undefined },
  { table: 'span_edge_minutes', column: `minute_ns + ${MINUTE_NS - 1n}`, key: undefined },
  { table: 'span_edge_rollups', column: `minute_ns + ${MINUTE_NS - 1n}`, key: undefined },
  { table: 'logs', column: 'time_ns', key: 'logsRemoved' },
  { table: 'container_samples', column: 'time_ns', key: 'samplesRemoved' },
  { table: 'container_events', column: 'time_ns', key: 'eventsRemoved' },
  { table: 'metric_points', column: 'time_ns', key: 'metricPointsRemoved' },
] as const;

/** Least share of the rows one size-cap round removes, so every round makes progress. */
const MIN_SLICE_FRACTION = 0.05;
/** A bound on size-cap rounds; each removes at least MIN_SLICE_FRACTION of the rows. */
const MAX_SIZE_ROUNDS = 40;

type Removed = Omit<RetentionResult, 'sizeBytesAfter'>;

async function deleteOlderThan(
  conn: DuckDBConnection,
  cutNs: bigint,
  removed: Removed,
): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const { table, column, key } of TIMED_TABLES) {
      const p = new Params();
      const sql = `DELETE FROM ${table} WHERE ${column} < ${p.bigint(cutNs)}`;
      const result = await conn.run(sql, p.values, p.types);
      if (key !== undefined) removed[key] += result.rowsChanged;
    }
    await conn.run('COMMIT');
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The time below which lie about `fraction` of the rows of spans, logs, samples and
 * metric points together: one cut for all tables keeps them covering the same period, which is what
 * the UI joins. Null when they are empty.
 */
async function sliceCutNs(conn: DuckDBConnection, fraction: number): Promise<bigint | null> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT quantile_disc(t, ${p.double(fraction)}) AS cut FROM (
       SELECT start_ns AS t FROM spans
       UNION ALL SELECT time_ns FROM logs
       UNION ALL SELECT time_ns FROM container_samples
       UNION ALL SELECT time_ns FROM metric_points)`,
    p.values,
    p.types,
  );
  return readNullableBigInt(firstRow(result.getRowObjects(), 'retention slice'), 'cut');
}

/**
 * Age first, then size: while the store is over maxBytes, remove the oldest slice (sized
 * from how far over it is) and CHECKPOINT, which is when DuckDB frees the blocks of
 * deleted rows for reuse. Runs on the writer connection, between batches.
 */
export async function applyRetention(
  conn: DuckDBConnection,
  path: string,
  policy: RetentionPolicy,
): Promise<RetentionResult> {
  const removed: Removed = {
    spansRemoved: 0, logsRemoved: 0, samplesRemoved: 0, eventsRemoved: 0, containersRemoved: 0,
    metricPointsRemoved: 0,
  };
  const ageCutNs = policy.nowNs - policy.maxAgeNs;
  await deleteOlderThan(conn, ageCutNs, removed);
  const p = new Params();
  const containers = await conn.run(
    `DELETE FROM containers WHERE updated_at_ns < ${p.bigint(ageCutNs)}`, p.values, p.types,
  );
  removed.containersRemoved = containers.rowsChanged;
  await conn.run('CHECKPOINT');

  let sizeBytes = await databaseSizeBytes(conn, path);
  for (let round = 0; sizeBytes > policy.maxBytes && round < MAX_SIZE_ROUNDS; round++) {
    const over = (sizeBytes - policy.maxBytes) / sizeBytes;
    const cutNs = await sliceCutNs(conn, Math.min(1, Math.max(MIN_SLICE_FRACTION, over)));
    if (cutNs === null) break;
    // Inclusive of the cut itself, so a round always removes at least the oldest row.
    await deleteOlderThan(conn, cutNs + 1n, removed);
    await conn.run('CHECKPOINT');
    sizeBytes = await databaseSizeBytes(conn, path);
  }
  return { ...removed, sizeBytesAfter: sizeBytes };
}
