import { readNumber } from '../../duckdb/columns.js';
import type { RetentionPolicy, RetentionResult, StoreStats } from '../../Store.js';
import { selectRecords, toResultRow, type ClickHouseQueryContext, type ClickHouseRecord } from './context.js';

/** ctx.db as schema.ts quoteIdentifier wrote it: a plain name in backticks. */
const QUOTED_NAME = /^`([A-Za-z_][A-Za-z0-9_]{0,63})`$/;

/** The database's own name, for system tables, which hold it as a value. */
function databaseName(ctx: ClickHouseQueryContext): string {
  const name = QUOTED_NAME.exec(ctx.db)?.[1];
  if (name === undefined) throw new Error(`ClickHouse query context: db must be a quoted plain name, got ${ctx.db}`);
  return name;
}

/** The UInt64 columns of a one-row aggregate (count(), sum()), which the client quotes as Int64. */
function countsOf(records: readonly ClickHouseRecord[], columns: readonly string[], what: string): number[] {
  const record = records[0];
  if (record === undefined) throw new Error(`ClickHouse query for ${what} returned no row`);
  const row = toResultRow(record, columns);
  return columns.map((column) => readNumber(row, column));
}

/** Bytes on disk of the database's active parts: every host's data, as the server holds it. */
async function databaseSizeBytes(ctx: ClickHouseQueryContext): Promise<number> {
  const records = await selectRecords(
    ctx,
    'SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {database:String} AND active',
    { database: databaseName(ctx) },
  );
  const [bytes = 0] = countsOf(records, ['bytes'], 'size');
  return bytes;
}

/**
 * Span and log counts of every host, and the database's bytes on disk, for /api/health.
 * @example
 * const { spans, logs, sizeBytes } = await storeStats(ctx);
 */
export async function storeStats(ctx: ClickHouseQueryContext): Promise<StoreStats> {
  const records = await selectRecords(
    ctx,
    `SELECT (SELECT count() FROM ${ctx.db}.spans) AS spans, (SELECT count() FROM ${ctx.db}.logs) AS logs`,
  );
  const [spans = 0, logs = 0] = countsOf(records, ['spans', 'logs'], 'stats');
  return { spans, logs, sizeBytes: await databaseSizeBytes(ctx) };
}

/*
 * What retention means when many collectors share one server:
 * - Spans, logs, samples, events and metric points: the tables' TTL (schema.ts) drops rows
 *   past the retention hours, in the server's merges, for every host, including hosts whose
 *   collector is gone. The collector deletes none of them itself: a DELETE is a mutation
 *   (each part holding a matching row is rewritten with a mask), and every collector runs
 *   retention (by default) every minute; and the TTL is the one the database was created
 *   with, which this collector's maxAgeNs cannot overrule for the others. So their counts are 0 — rows this call removed, which is what the
 *   retention timer's removed-rows counter adds up — not rows the TTL removed.
 * - Containers have no TTL (a ReplacingMergeTree by host and id, not by day), so nothing
 *   else would remove them; each host's rows are written by that host's collector alone, so
 *   it removes its own containers not updated since the cut, as DuckDB does, with a
 *   lightweight DELETE — only when there are some, so a quiet minute makes no mutation.
 * - maxBytes is not enforced: the database is the sum of every collector's data, and one
 *   collector cannot bring it under a cap by deleting its own, nor should it delete others'.
 *   Sizing the server is its operator's job; sizeBytesAfter reports the whole database.
 */

/**
 * Applies the policy's age to `hostName`'s containers and reports the database's size; the
 * timed tables are left to their TTL and maxBytes to the server's operator (see above).
 * @example
 * const result = await applyRetention(ctx, { maxAgeNs, maxBytes, nowNs }, 'host-a');
 * // { spansRemoved: 0, ..., containersRemoved: 2, sizeBytesAfter: 123456789 }
 */
export async function applyRetention(
  ctx: ClickHouseQueryContext,
  policy: RetentionPolicy,
  hostName: string,
): Promise<RetentionResult> {
  const params = { hostName, cutNs: policy.nowNs - policy.maxAgeNs };
  const stale = `host_name = {hostName:String} AND updated_at_ns < {cutNs:Int64}`;
  // FINAL: a container goes when its newest version is older than the cut; older versions
  // of a container updated since are deleted too, which FINAL would never show.
  const counted = await selectRecords(ctx, `SELECT count() AS n FROM ${ctx.db}.containers FINAL WHERE ${stale}`, params);
  const [containersRemoved = 0] = countsOf(counted, ['n'], 'stale containers');
  if (containersRemoved > 0) {
    await ctx.client.command({ query: `DELETE FROM ${ctx.db}.containers WHERE ${stale}`, query_params: params });
  }
  return {
    spansRemoved: 0,
    logsRemoved: 0,
    samplesRemoved: 0,
    eventsRemoved: 0,
    containersRemoved,
    metricPointsRemoved: 0,
    sizeBytesAfter: await databaseSizeBytes(ctx),
  };
}
