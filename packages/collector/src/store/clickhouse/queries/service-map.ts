import type { ServiceMap, ServiceMapEdge, TimeRange } from '../../Store.js';
import { PARENT_LOOKAHEAD_NS, PARENT_LOOKBACK_NS } from '../../duckdb/service-edges.js';
import { MINUTE_NS, minuteOf } from '../../duckdb/span-minutes.js';
import type { ClickHouseQueryContext, ClickHouseRecord } from './context.js';
import { float64, selectRecords } from './context.js';
import { listServices } from './services.js';
import { STATUS_ERROR, countOf, percentileSql, stringOf, storedSpansSql } from './span-sql.js';

const NS_PER_MS = 1e6;
const EDGE_QUANTILE = 0.95;
/** The minute a child starts in, floored before the epoch too (positiveModulo is UInt64). */
const CHILD_MINUTE_SQL = `(child.start_ns - positiveModulo(child.start_ns, toInt64(${MINUTE_NS})))`;

/*
 * An edge is what the DuckDB store counts (duckdb/service-edges.ts): a parent -> child span
 * pair of one trace whose services differ, the child starting in the range, its parent from
 * PARENT_LOOKBACK_NS before the child's minute to PARENT_LOOKAHEAD_NS after it; calls and
 * errors are the children's, p95 their interpolated duration. Each span counts once, however
 * often it was stored (span-sql.ts), where DuckDB counts copies again.
 * DuckDB rolls edges up per minute for large ranges; here every call is one live join,
 * bounded in time on both sides: the spans starting from 5 minutes before the range to 2
 * minutes after it are read (the parents), those of the range too (the
 * children, with a parent), and the children are hashed for the join. Time and memory grow
 * with the spans of the range (a 24 h map reads and hashes the whole day), the price of
 * not keeping a roll-up table: at 2M spans in an hour, on two cores, the edges of the hour
 * took 2.4-3 s, of 5 minutes of it 0.3-0.4 s (the nodes add ~0.75 s and ~0.1 s).
 */
function edgesSql(db: string): string {
  const parents = storedSpansSql(db, 'start_ns >= {parentsStartNs:Int64} AND start_ns < {parentsEndNs:Int64}', ['service', 'start_ns']);
  const children = storedSpansSql(
    db,
    'start_ns >= {startNs:Int64} AND start_ns < {endNs:Int64} AND parent_span_id IS NOT NULL',
    ['parent_span_id', 'service', 'start_ns', 'duration_ns', 'status_code'],
  );
  return `SELECT from_service, to_service, calls, errors, ${percentileSql('durations', EDGE_QUANTILE)} / ${NS_PER_MS} AS p95_ms
    FROM (
      SELECT parent.service AS from_service, child.service AS to_service, count() AS calls,
        countIf(child.status_code = ${STATUS_ERROR}) AS errors, arraySort(groupArray(child.duration_ns)) AS durations
      FROM (${parents}) AS parent
      INNER JOIN (${children}) AS child ON parent.trace_id = child.trace_id AND parent.span_id = child.parent_span_id
      WHERE parent.service != child.service
        AND parent.start_ns >= ${CHILD_MINUTE_SQL} - ${PARENT_LOOKBACK_NS}
        AND parent.start_ns < ${CHILD_MINUTE_SQL} + ${PARENT_LOOKAHEAD_NS}
      GROUP BY from_service, to_service
    )
    ORDER BY from_service, to_service`;
}

/** The edges whose child starts in the range, by from and to service. */
async function serviceEdges(ctx: ClickHouseQueryContext, range: TimeRange): Promise<ServiceMapEdge[]> {
  if (range.endNs <= range.startNs) return [];
  const records = await selectRecords(ctx, edgesSql(ctx.db), {
    startNs: range.startNs,
    endNs: range.endNs,
    parentsStartNs: minuteOf(range.startNs) - PARENT_LOOKBACK_NS,
    parentsEndNs: minuteOf(range.endNs - 1n) + PARENT_LOOKAHEAD_NS,
  });
  return records.map(edgeFromRecord);
}

function edgeFromRecord(record: ClickHouseRecord): ServiceMapEdge {
  return {
    from: stringOf(record, 'from_service'),
    to: stringOf(record, 'to_service'),
    calls: countOf(record, 'calls'),
    errors: countOf(record, 'errors'),
    p95Ms: float64(record, 'p95_ms'),
  };
}

/**
 * Nodes are the services of the range (listServices), so a service with no edges still
 * shows; edges as serviceEdges. Two statements: ClickHouse has no snapshot across them, so
 * spans arriving in between may show in the edges and not yet in the nodes.
 * @example
 * const { nodes, edges } = await serviceMap(ctx, { startNs, endNs });
 * // edges: [{ from: 'gateway', to: 'orders', calls: 120, errors: 2, p95Ms: 31.5 }]
 */
export async function serviceMap(ctx: ClickHouseQueryContext, range: TimeRange): Promise<ServiceMap> {
  const nodes = await listServices(ctx, range);
  const edges = await serviceEdges(ctx, range);
  return { nodes, edges };
}
