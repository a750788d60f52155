import type { ContainerEventRow, ContainerRow, ContainerSampleRow } from '../../../model/rows.js';
import {
  CONTAINER_COLUMNS,
  EVENT_COLUMNS,
  SAMPLE_COLUMNS,
  containerFromRow,
  eventFromRow,
  sampleFromRow,
} from '../../duckdb/mapRows.js';
import { assertLimit } from '../../duckdb/queries/limit.js';
import { containerRowsLimit, type ContainerRef, type TimeRange } from '../../Store.js';
import { SAMPLE_MEASURES } from '../schema.js';
import { selectRecords, toResultRow, type ClickHouseQueryContext } from './context.js';

/*
 * Containers, their samples and their events. Container ids are unique per Docker host only,
 * so a container here is (host_name, id). The containers table is a ReplacingMergeTree
 * (schema.ts): until a merge it may hold several versions of one container, and FINAL reads
 * the newest of each. Its WHERE applies to that newest version (ClickHouse moves no filter
 * on other columns than the key before FINAL), so a container whose old version ran and
 * newest one exited long ago is not listed.
 */

/**
 * DuckDB's CONTAINER_COLUMNS with `host` read from host_name: ClickHouse keeps the host of
 * the collector that wrote the row there (records.ts), not the row's own `host` field.
 */
const CONTAINER_SELECT = CONTAINER_COLUMNS.split(', ')
  .map((column) => (column === 'host' ? 'host_name AS host' : column))
  .join(', ');
const CONTAINER_INT64_COLUMNS = ['started_at_ns', 'finished_at_ns', 'updated_at_ns'] as const;
const CONTAINER_FLOAT64_COLUMNS = ['cpu_limit', 'memory_limit_bytes'] as const;
const SAMPLE_FLOAT64_COLUMNS = SAMPLE_MEASURES.map(([column]) => column);
const TIME_INT64_COLUMNS = ['time_ns'] as const;

const containerFromRecord = (record: Record<string, unknown>): ContainerRow =>
  containerFromRow(toResultRow(record, CONTAINER_INT64_COLUMNS, CONTAINER_FLOAT64_COLUMNS));
const sampleFromRecord = (record: Record<string, unknown>): ContainerSampleRow =>
  sampleFromRow(toResultRow(record, TIME_INT64_COLUMNS, SAMPLE_FLOAT64_COLUMNS));

/**
 * Containers that ran during the range or have samples in it, as the DuckDB store's
 * listContainers (see there for the running rule), one row per (host, id), ordered by
 * name, id and host. Samples count for the container of their own host only.
 * @example
 * const rows = await listContainers(ctx, { startNs, endNs }); // [{ id, name, host: 'host-a', ... }]
 */
export async function listContainers(ctx: ClickHouseQueryContext, range: TimeRange): Promise<ContainerRow[]> {
  const records = await selectRecords(
    ctx,
    `SELECT ${CONTAINER_SELECT} FROM ${ctx.db}.containers FINAL
     WHERE (started_at_ns IS NOT NULL AND started_at_ns < {endNs:Int64}
            AND (finished_at_ns IS NULL OR finished_at_ns < started_at_ns OR finished_at_ns >= {startNs:Int64}))
        OR (host_name, id) IN (SELECT host_name, container_id FROM ${ctx.db}.container_samples
                               WHERE time_ns >= {startNs:Int64} AND time_ns < {endNs:Int64})
     ORDER BY name, id, host_name`,
    { startNs: range.startNs, endNs: range.endNs },
  );
  return records.map(containerFromRecord);
}

/**
 * The newest version of each container asked for, ordered by name, id and host: a ref with
 * a host matches that host's container, a ref with host '' the id on every host.
 * @example
 * await getContainers(ctx, [{ host: 'host-a', id: 'c1' }, { host: '', id: 'c2' }]);
 */
export async function getContainers(ctx: ClickHouseQueryContext, refs: readonly ContainerRef[]): Promise<ContainerRow[]> {
  if (refs.length === 0) return [];
  const onHost = refs.filter((ref) => ref.host !== '');
  const records = await selectRecords(
    ctx,
    `SELECT ${CONTAINER_SELECT} FROM ${ctx.db}.containers FINAL
     WHERE id IN {ids:Array(String)}
       AND (has({anyHostIds:Array(String)}, id) OR has(arrayZip({hosts:Array(String)}, {hostIds:Array(String)}), (host_name, id)))
     ORDER BY name, id, host_name`,
    {
      ids: [...new Set(refs.map((ref) => ref.id))],
      anyHostIds: refs.filter((ref) => ref.host === '').map((ref) => ref.id),
      hosts: onHost.map((ref) => ref.host),
      hostIds: onHost.map((ref) => ref.id),
    },
  );
  return records.map(containerFromRecord);
}

/** The WHERE of one container's rows in a range: host '' leaves the host open. */
function containerRange(ref: ContainerRef, range: TimeRange): { where: string; params: Record<string, unknown> } {
  const where = ['container_id = {id:String}', 'time_ns >= {startNs:Int64}', 'time_ns < {endNs:Int64}'];
  if (ref.host !== '') where.push('host_name = {host:String}');
  return { where: where.join(' AND '), params: { id: ref.id, host: ref.host, startNs: range.startNs, endNs: range.endNs } };
}

/**
 * The container's samples in the range, oldest first: the newest `limit` (clamped to
 * 1..CONTAINER_ROWS_MAX) when there are more. As DuckDB, by time; host_name breaks a tie
 * between two hosts' samples of one id at one time (possible only for host '').
 * @example
 * const samples = await containerSamples(ctx, { host: 'host-a', id: 'c1' }, range, 1_000);
 */
export async function containerSamples(
  ctx: ClickHouseQueryContext,
  ref: ContainerRef,
  range: TimeRange,
  limit: number,
): Promise<ContainerSampleRow[]> {
  const { where, params } = containerRange(ref, range);
  const records = await selectRecords(
    ctx,
    `SELECT ${SAMPLE_COLUMNS} FROM ${ctx.db}.container_samples WHERE ${where}
     ORDER BY time_ns DESC, host_name DESC LIMIT {limit:UInt32}`,
    { ...params, limit: containerRowsLimit(limit) },
  );
  return records.map(sampleFromRecord).reverse();
}

/**
 * The container's events in the range, oldest first: the newest `limit` (clamped as
 * containerSamples) when there are more; ties in time ordered by action, as DuckDB, then host.
 * @example
 * const events = await containerEvents(ctx, { host: '', id: 'c1' }, range, 100);
 */
export async function containerEvents(
  ctx: ClickHouseQueryContext,
  ref: ContainerRef,
  range: TimeRange,
  limit: number,
): Promise<ContainerEventRow[]> {
  const { where, params } = containerRange(ref, range);
  const records = await selectRecords(
    ctx,
    `SELECT ${EVENT_COLUMNS} FROM ${ctx.db}.container_events WHERE ${where}
     ORDER BY time_ns DESC, action DESC, host_name DESC LIMIT {limit:UInt32}`,
    { ...params, limit: containerRowsLimit(limit) },
  );
  return records.map((record) => eventFromRow(toResultRow(record, TIME_INT64_COLUMNS))).reverse();
}

/**
 * The container samples in the range of one host, or of every host when `host` is '' (the
 * default), at most `limit`, ordered by container id and time as DuckDB; one id's samples
 * from two hosts come host by host, each in time order.
 * @example
 * const rows = await samplesInRange(ctx, range, 50_000, 'host-a');
 */
export async function samplesInRange(
  ctx: ClickHouseQueryContext,
  range: TimeRange,
  limit: number,
  host = '',
): Promise<ContainerSampleRow[]> {
  assertLimit(limit);
  const hostFilter = host === '' ? '' : 'AND host_name = {host:String}';
  const records = await selectRecords(
    ctx,
    `SELECT ${SAMPLE_COLUMNS} FROM ${ctx.db}.container_samples
     WHERE time_ns >= {startNs:Int64} AND time_ns < {endNs:Int64} ${hostFilter}
     ORDER BY container_id, host_name, time_ns LIMIT {limit:UInt32}`,
    { startNs: range.startNs, endNs: range.endNs, limit, host },
  );
  return records.map(sampleFromRecord);
}
