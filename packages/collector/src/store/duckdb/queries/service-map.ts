import type { DuckDBConnection } from '@duckdb/node-api';
import type { ServiceMap, ServiceMapEdge, TimeRange } from '../../Store.js';
import { readNumber, readString } from '../columns.js';
import type { ResultRow } from '../columns.js';
import { outdatedMinutes } from '../edge-rollup.js';
import { Params } from '../params.js';
import { edgePairsSql } from '../service-edges.js';
import { BUCKET_PERCENTILE_SQL, BUCKET_RANKS_SQL, BUCKET_SQL, MINUTE_NS, minuteOf } from '../span-minutes.js';
import { EXACT_PERCENTILES_MAX_SPANS, listServices, wholeMinutes } from './services.js';
import { inSnapshot } from './snapshot.js';

const NS_PER_MS = 1e6;
const EDGE_QUANTILE = 0.95;

/**
 * The edges of a range (service-edges.ts says what an edge is). Ranges of up to
 * `exactMaxSpans` spans: one live join, exact p95 (interpolated). Larger ones: the
 * rolled-up minutes from span_edge_minutes, the range's partial first and last minutes
 * from span_edge_pairs, and a live join only for minutes not rolled up yet or changed
 * since; calls and errors stay exact, p95 comes from the merged histograms, interpolated as
 * quantile_cont between the buckets of the two ranks around it (within ~2.2% of exact,
 * for an edge of two calls as for one of a million).
 */
export async function serviceEdges(
  conn: DuckDBConnection,
  range: TimeRange,
  exactMaxSpans = EXACT_PERCENTILES_MAX_SPANS,
): Promise<ServiceMapEdge[]> {
  if (range.endNs <= range.startNs) return [];
  const whole = wholeMinutes(range);
  if (whole === null) return exactEdges(conn, range);
  // The minutes of the whole range, partial ones at the ends included.
  const covering = { startNs: minuteOf(range.startNs), endNs: minuteOf(range.endNs - 1n) + MINUTE_NS };
  const { outdated, spans } = await outdatedMinutes(conn, covering);
  if (spans <= exactMaxSpans) return exactEdges(conn, range);
  return histogramEdges(conn, range, whole, outdated);
}

async function exactEdges(conn: DuckDBConnection, range: TimeRange): Promise<ServiceMapEdge[]> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT from_service, to_service, count(*) AS calls, sum(is_error) AS errors,
       quantile_cont(duration_ns, ${p.double(EDGE_QUANTILE)}) / ${p.double(NS_PER_MS)} AS p95_ms
     FROM (${edgePairsSql(p, [range])})
     GROUP BY from_service, to_service
     ORDER BY from_service, to_service`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(edgeFromRow);
}

/** Ascending minutes as runs of consecutive ones. */
function runs(minutes: readonly bigint[]): TimeRange[] {
  const out: TimeRange[] = [];
  for (const m of minutes) {
    const last = out[out.length - 1];
    if (last !== undefined && last.endNs === m) last.endNs = m + MINUTE_NS;
    else out.push({ startNs: m, endNs: m + MINUTE_NS });
  }
  return out;
}

/** The parts of `whole` outside the (ascending, disjoint) `holes`. */
function gaps(whole: TimeRange, holes: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  let from = whole.startNs;
  for (const hole of holes) {
    if (hole.startNs > from) out.push({ startNs: from, endNs: hole.startNs });
    from = hole.endNs;
  }
  if (from < whole.endNs) out.push({ startNs: from, endNs: whole.endNs });
  return out;
}

async function histogramEdges(
  conn: DuckDBConnection,
  range: TimeRange,
  whole: TimeRange,
  outdated: readonly bigint[],
): Promise<ServiceMapEdge[]> {
  const live = runs(outdated.filter((m) => m >= whole.startNs && m < whole.endNs));
  const rolled = gaps(whole, live);
  // A partial minute at an end reads span_edge_pairs when its minute is current, else joins live.
  const stored: TimeRange[] = [];
  for (const part of [{ startNs: range.startNs, endNs: whole.startNs }, { startNs: whole.endNs, endNs: range.endNs }]) {
    if (part.startNs >= part.endNs) continue;
    if (!outdated.includes(minuteOf(part.startNs))) stored.push(part);
    else if (part.startNs < whole.startNs) live.unshift(part);
    else live.push(part);
  }
  const p = new Params();
  const storedPairs = stored.map((part) =>
    `SELECT from_service, to_service, duration_ns, is_error FROM span_edge_pairs
     WHERE start_ns >= ${p.bigint(part.startNs)} AND start_ns < ${p.bigint(part.endNs)}`);
  const rolledRanges = rolled.map((r) => `(minute_ns >= ${p.bigint(r.startNs)} AND minute_ns < ${p.bigint(r.endNs)})`);
  const rolledWhere = rolledRanges.length === 0 ? 'false' : rolledRanges.join(' OR ');
  const result = await conn.runAndReadAll(
    `WITH pairs AS MATERIALIZED (
       SELECT from_service, to_service, (${BUCKET_SQL('duration_ns')})::SMALLINT AS bucket, count(*) AS n, sum(is_error) AS e
       FROM (
         SELECT from_service, to_service, duration_ns, is_error FROM (${edgePairsSql(p, live)})
         ${storedPairs.map((sql) => `UNION ALL ${sql}`).join('\n')}
       ) GROUP BY ALL
     ),
     rolled AS MATERIALIZED (
       SELECT from_service, to_service, calls, errors, buckets, counts FROM span_edge_minutes WHERE ${rolledWhere}
     ),
     totals AS (
       SELECT from_service, to_service, sum(calls) AS calls, sum(errors) AS errors FROM (
         SELECT from_service, to_service, calls, errors FROM rolled
         UNION ALL SELECT from_service, to_service, n, e FROM pairs
       ) GROUP BY ALL
     ),
     hist AS (
       SELECT from_service, to_service, bucket, sum(n) AS n FROM (
         SELECT from_service, to_service, unnest(buckets) AS bucket, unnest(counts) AS n FROM rolled
         UNION ALL SELECT from_service, to_service, bucket, n FROM pairs
       ) GROUP BY ALL
     ),
     cum AS (
       SELECT from_service, to_service, bucket,
         sum(n) OVER (PARTITION BY from_service, to_service ORDER BY bucket ROWS UNBOUNDED PRECEDING) AS upto
       FROM hist
     ),
     ranked AS (
       SELECT t.from_service, t.to_service, t.calls, t.errors, ${BUCKET_RANKS_SQL('t.calls', p.double(EDGE_QUANTILE), 'b95')}
       FROM totals t JOIN cum c ON c.from_service = t.from_service AND c.to_service = t.to_service
       GROUP BY t.from_service, t.to_service, t.calls, t.errors
     )
     SELECT from_service, to_service, calls, errors, ${BUCKET_PERCENTILE_SQL('calls', p.double(EDGE_QUANTILE), 'b95')} / ${p.double(NS_PER_MS)} AS p95_ms
     FROM ranked ORDER BY from_service, to_service`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(edgeFromRow);
}

function edgeFromRow(row: ResultRow): ServiceMapEdge {
  return {
    from: readString(row, 'from_service'),
    to: readString(row, 'to_service'),
    calls: readNumber(row, 'calls'),
    errors: readNumber(row, 'errors'),
    p95Ms: readNumber(row, 'p95_ms'),
  };
}

/**
 * Nodes are the services of the range, so a service with no edges still shows. One
 * transaction gives both queries the same snapshot, so counts agree between them.
 */
export function serviceMap(conn: DuckDBConnection, range: TimeRange): Promise<ServiceMap> {
  return inSnapshot(conn, async () => {
    const nodes = await listServices(conn, range);
    const edges = await serviceEdges(conn, range);
    return { nodes, edges };
  });
}
