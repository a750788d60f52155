import type { DuckDBConnection } from '@duckdb/node-api';
import type { ContainerEventRow, ContainerRow, ContainerSampleRow } from '../../../model/rows.js';
import type { TimeRange } from '../../Store.js';
import {
  CONTAINER_COLUMNS,
  EVENT_COLUMNS,
  SAMPLE_COLUMNS,
  containerFromRow,
  eventFromRow,
  sampleFromRow,
} from '../mapRows.js';
import { Params } from '../params.js';

/*
 * A container belongs to a range when it ran during it or has samples in it. Running
 * means started before the end and not finished before the start; Docker keeps the last
 * exit in FinishedAt after a restart, so a finish older than the start means "running".
 */
export async function listContainers(
  conn: DuckDBConnection,
  range: TimeRange,
): Promise<ContainerRow[]> {
  const p = new Params();
  const start = p.bigint(range.startNs);
  const end = p.bigint(range.endNs);
  const result = await conn.runAndReadAll(
    `SELECT ${CONTAINER_COLUMNS} FROM containers c
     WHERE (c.started_at_ns IS NOT NULL AND c.started_at_ns < ${end}
            AND (c.finished_at_ns IS NULL OR c.finished_at_ns < c.started_at_ns
                 OR c.finished_at_ns >= ${start}))
        OR c.id IN (SELECT DISTINCT container_id FROM container_samples
                    WHERE time_ns >= ${start} AND time_ns < ${end})
     ORDER BY c.name, c.id`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(containerFromRow);
}

export async function getContainers(
  conn: DuckDBConnection,
  ids: readonly string[],
): Promise<ContainerRow[]> {
  if (ids.length === 0) return [];
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT ${CONTAINER_COLUMNS} FROM containers WHERE list_contains(${p.textList(ids)}, id)
     ORDER BY name, id`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(containerFromRow);
}

export async function containerSamples(
  conn: DuckDBConnection,
  containerId: string,
  range: TimeRange,
  limit: number,
): Promise<ContainerSampleRow[]> {
  const p = new Params();
  // The newest `limit` rows, handed back oldest first.
  const result = await conn.runAndReadAll(
    `SELECT ${SAMPLE_COLUMNS} FROM container_samples
     WHERE container_id = ${p.text(containerId)}
       AND time_ns >= ${p.bigint(range.startNs)} AND time_ns < ${p.bigint(range.endNs)}
     ORDER BY time_ns DESC LIMIT ${p.integer(limit)}`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(sampleFromRow).reverse();
}

export async function containerEvents(
  conn: DuckDBConnection,
  containerId: string,
  range: TimeRange,
  limit: number,
): Promise<ContainerEventRow[]> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT ${EVENT_COLUMNS} FROM container_events
     WHERE container_id = ${p.text(containerId)}
       AND time_ns >= ${p.bigint(range.startNs)} AND time_ns < ${p.bigint(range.endNs)}
     ORDER BY time_ns DESC, action DESC LIMIT ${p.integer(limit)}`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(eventFromRow).reverse();
}
