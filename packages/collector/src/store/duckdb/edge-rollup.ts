import type { DuckDBConnection } from '@duckdb/node-api';
import type { TimeRange } from '../Store.js';
import { firstRow, readBigInt, readNumber } from './columns.js';
import type { Database } from './database.js';
import { Params } from './params.js';
import { MINUTE_OF_SQL, edgePairsSql, spansPerMinute, windowOf, windowSpans } from './service-edges.js';
import { BUCKET_SQL, MINUTE_NS } from './span-minutes.js';

/*
 * The side tables span_edge_pairs, span_edge_minutes and span_edge_rollups (schema.ts) hold
 * the service-map edges of rolled-up minutes of child spans: each pair (child start, caller,
 * callee, duration, error), and per minute, caller and callee the calls, errors and a
 * duration histogram (the buckets of span-minutes.ts). span_edge_rollups says, per
 * rolled-up minute, how many spans its window held when it was rolled up (service-edges.ts:
 * a minute's edges depend on its window's spans only). Spans are never updated, only
 * appended or deleted by retention, so a window whose span count (from span_minutes) still
 * equals the recorded one still holds the same spans: the minute is current. Late spans
 * change the count, the minute turns out of date, queries join it live again and the job
 * (edge-rollup-job.ts) rolls it up anew. Nothing on the span write path changes.
 */

export interface RolledMinute {
  minuteNs: bigint;
  windowSpans: number;
  rolledAtMillis: number;
}

/** The rolled-up minutes in [start, end). */
export async function rolledMinutes(conn: DuckDBConnection, minutes: TimeRange): Promise<Map<bigint, RolledMinute>> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT minute_ns, window_spans, rolled_at_ms FROM span_edge_rollups
     WHERE minute_ns >= ${p.bigint(minutes.startNs)} AND minute_ns < ${p.bigint(minutes.endNs)}`,
    p.values,
    p.types,
  );
  const out = new Map<bigint, RolledMinute>();
  for (const row of result.getRowObjects()) {
    const minuteNs = readBigInt(row, 'minute_ns');
    out.set(minuteNs, { minuteNs, windowSpans: readNumber(row, 'window_spans'), rolledAtMillis: readNumber(row, 'rolled_at_ms') });
  }
  return out;
}

/**
 * The minutes of `minutes` that have spans but whose roll-up is missing or out of date
 * (ascending), and the spans of all its minutes. A minute without spans has no edges.
 */
export async function outdatedMinutes(conn: DuckDBConnection, minutes: TimeRange): Promise<{ outdated: bigint[]; spans: number }> {
  const perMinute = await spansPerMinute(conn, new Params(), {
    startNs: windowOf(minutes.startNs).startNs,
    endNs: windowOf(minutes.endNs - MINUTE_NS).endNs,
  });
  const rolled = await rolledMinutes(conn, minutes);
  const outdated: bigint[] = [];
  let spans = 0;
  for (const [minuteNs, own] of perMinute) {
    if (minuteNs < minutes.startNs || minuteNs >= minutes.endNs || own === 0) continue;
    spans += own;
    if (rolled.get(minuteNs)?.windowSpans !== windowSpans(perMinute, minuteNs)) outdated.push(minuteNs);
  }
  outdated.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { outdated, spans };
}

/**
 * The minutes in `minutes` that have spans but no current roll-up, least recently rolled
 * first (never rolled first of all), newest first among equals: the UI asks for the last
 * hour most, and a minute that keeps changing (a backfill) does not starve the others.
 */
export async function staleMinutes(conn: DuckDBConnection, minutes: TimeRange, limit: number): Promise<bigint[]> {
  const perMinute = await spansPerMinute(conn, new Params(), {
    startNs: windowOf(minutes.startNs).startNs,
    endNs: windowOf(minutes.endNs - MINUTE_NS).endNs,
  });
  const rolled = await rolledMinutes(conn, minutes);
  const stale: { minuteNs: bigint; rolledAtMillis: number }[] = [];
  for (const [minuteNs, spans] of perMinute) {
    if (minuteNs < minutes.startNs || minuteNs >= minutes.endNs || spans === 0) continue;
    const previous = rolled.get(minuteNs);
    if (previous?.windowSpans !== windowSpans(perMinute, minuteNs)) {
      stale.push({ minuteNs, rolledAtMillis: previous?.rolledAtMillis ?? -1 });
    }
  }
  stale.sort((a, b) => a.rolledAtMillis - b.rolledAtMillis || (b.minuteNs > a.minuteNs ? 1 : b.minuteNs < a.minuteNs ? -1 : 0));
  return stale.slice(0, limit).map((s) => s.minuteNs);
}

/**
 * Rolls up the consecutive minutes [first, end) in one transaction: their edge pairs (one
 * join for the run reads each parent once: 5 minutes cost 5 + 7 minutes of spans, where 5
 * joins of one minute cost 5 x (1 + 7)) into span_edge_pairs, their sums into
 * span_edge_minutes, and each minute's window span count, read in the same snapshot as the
 * join. It runs through Database.append, beside span appends: it only deletes rows of the
 * tables it alone writes (retention, which deletes them too, runs alone). Spans committed
 * meanwhile are not in its snapshot, so their minutes read as out of date afterwards.
 */
export async function rollUpMinutes(db: Database, minutes: TimeRange, nowMillis: number): Promise<void> {
  await db.append(async (conn) => {
    await conn.run('BEGIN TRANSACTION');
    try {
      const perMinute = await spansPerMinute(conn, new Params(), {
        startNs: windowOf(minutes.startNs).startNs,
        endNs: windowOf(minutes.endNs - MINUTE_NS).endNs,
      });
      for (const [table, column] of [['span_edge_pairs', 'start_ns'], ['span_edge_minutes', 'minute_ns'], ['span_edge_rollups', 'minute_ns']]) {
        const d = new Params();
        await conn.run(
          `DELETE FROM ${table} WHERE ${column} >= ${d.bigint(minutes.startNs)} AND ${column} < ${d.bigint(minutes.endNs)}`,
          d.values,
          d.types,
        );
      }
      const p = new Params();
      await conn.run(
        `INSERT INTO span_edge_pairs
         SELECT start_ns, from_service, to_service, duration_ns, is_error FROM (${edgePairsSql(p, [minutes])})
         ORDER BY start_ns`,
        p.values,
        p.types,
      );
      const m = new Params();
      await conn.run(
        `INSERT INTO span_edge_minutes
         SELECT minute_ns, from_service, to_service, sum(n)::INTEGER, sum(e)::INTEGER,
           list(bucket ORDER BY bucket), list(n::INTEGER ORDER BY bucket)
         FROM (
           SELECT ${MINUTE_OF_SQL('start_ns')} AS minute_ns, from_service, to_service,
             (${BUCKET_SQL('duration_ns')})::SMALLINT AS bucket, count(*) AS n, sum(is_error) AS e
           FROM span_edge_pairs WHERE start_ns >= ${m.bigint(minutes.startNs)} AND start_ns < ${m.bigint(minutes.endNs)}
           GROUP BY ALL
         ) GROUP BY minute_ns, from_service, to_service`,
        m.values,
        m.types,
      );
      for (let minuteNs = minutes.startNs; minuteNs < minutes.endNs; minuteNs += MINUTE_NS) {
        const s = new Params();
        await conn.run(
          `INSERT INTO span_edge_rollups VALUES (${s.bigint(minuteNs)}, ${s.bigint(BigInt(windowSpans(perMinute, minuteNs)))}, ${s.bigint(BigInt(nowMillis))})`,
          s.values,
          s.types,
        );
      }
      await conn.run('COMMIT');
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** How many minutes are rolled up (rows of span_edge_rollups), for tests. */
export async function edgeMinuteCount(conn: DuckDBConnection): Promise<number> {
  const result = await conn.runAndReadAll('SELECT count(*) AS n FROM span_edge_rollups');
  return readNumber(firstRow(result.getRowObjects(), 'rolled-up minutes'), 'n');
}
