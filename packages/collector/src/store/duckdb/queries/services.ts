import type { DuckDBConnection } from '@duckdb/node-api';
import type { ServiceMap, ServiceMapEdge, ServiceSummary, TimeRange } from '../../Store.js';
import { readNumber, readString } from '../columns.js';
import type { ResultRow } from '../columns.js';
import { Params } from '../params.js';

const NS_PER_MS = 1e6;

/**
 * Per service: spans starting in the range, errors, and exact (interpolated) duration
 * percentiles. quantile_cont over duration_ns, converted to ms once per service.
 */
export async function listServices(
  conn: DuckDBConnection,
  range: TimeRange,
): Promise<ServiceSummary[]> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `WITH agg AS (
       SELECT service,
         count(*) AS span_count,
         count(*) FILTER (WHERE status_code = 2) AS error_count,
         quantile_cont(duration_ns, [0.5, 0.95, 0.99]) AS q
       FROM spans
       WHERE start_ns >= ${p.bigint(range.startNs)} AND start_ns < ${p.bigint(range.endNs)}
       GROUP BY service
     )
     SELECT service AS name, span_count, error_count,
       q[1] / ${p.double(NS_PER_MS)} AS p50_ms,
       q[2] / ${p.double(NS_PER_MS)} AS p95_ms,
       q[3] / ${p.double(NS_PER_MS)} AS p99_ms
     FROM agg ORDER BY name`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(serviceFromRow);
}

function serviceFromRow(row: ResultRow): ServiceSummary {
  return {
    name: readString(row, 'name'),
    spanCount: readNumber(row, 'span_count'),
    errorCount: readNumber(row, 'error_count'),
    p50Ms: readNumber(row, 'p50_ms'),
    p95Ms: readNumber(row, 'p95_ms'),
    p99Ms: readNumber(row, 'p99_ms'),
  };
}

/*
 * Edges are parent -> child span pairs whose services differ: the caller's service calls
 * the callee's. Both spans must start in the range (a child whose parent started just
 * before it loses its edge; the range is minutes, the edge effect is a few calls).
 * Spans delivered twice (an OTLP retry after a lost response) count twice: deduplicating
 * the parent side doubled the query time (~300 -> ~570 ms at a million spans) for a rare
 * case.
 */
export async function serviceEdges(
  conn: DuckDBConnection,
  range: TimeRange,
): Promise<ServiceMapEdge[]> {
  const p = new Params();
  const start = p.bigint(range.startNs);
  const end = p.bigint(range.endNs);
  const result = await conn.runAndReadAll(
    `WITH in_range AS (
       SELECT trace_id, span_id, parent_span_id, service, duration_ns, status_code
       FROM spans WHERE start_ns >= ${start} AND start_ns < ${end}
     )
     SELECT parent.service AS from_service, child.service AS to_service,
       count(*) AS calls,
       count(*) FILTER (WHERE child.status_code = 2) AS errors,
       quantile_cont(child.duration_ns, 0.95) / ${p.double(NS_PER_MS)} AS p95_ms
     FROM in_range child
     JOIN in_range parent
       ON parent.trace_id = child.trace_id AND parent.span_id = child.parent_span_id
     WHERE parent.service <> child.service
     GROUP BY parent.service, child.service
     ORDER BY from_service, to_service`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map((row) => ({
    from: readString(row, 'from_service'),
    to: readString(row, 'to_service'),
    calls: readNumber(row, 'calls'),
    errors: readNumber(row, 'errors'),
    p95Ms: readNumber(row, 'p95_ms'),
  }));
}

/**
 * Nodes are the services of the range, so a service with no edges still shows. One
 * transaction gives both queries the same snapshot, so counts agree between them.
 */
export async function serviceMap(conn: DuckDBConnection, range: TimeRange): Promise<ServiceMap> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const nodes = await listServices(conn, range);
    const edges = await serviceEdges(conn, range);
    return { nodes, edges };
  } finally {
    await conn.run('COMMIT');
  }
}
