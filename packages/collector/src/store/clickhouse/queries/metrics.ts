import type { MetricPointRow } from '../../../model/rows.js';
import { METRIC_POINT_COLUMNS, metricPointFromRow, metricSummaryFromRow } from '../../duckdb/mapRows.js';
import { assertLimit } from '../../duckdb/queries/limit.js';
import { METRIC_POINTS_MAX, type MetricPointsQuery, type MetricQuery, type MetricSummary } from '../../Store.js';
import { selectRecords, toResultRow, type ClickHouseQueryContext } from './context.js';

/*
 * The metrics of a range and the points of one of them, as duckdb/queries/metrics.ts (see
 * there for what a metric and a series are). Differences of dialect:
 * - the aggregates read p.description etc.: ClickHouse lets an alias shadow a column, so
 *   `argMax(description, time_ns) AS description` would nest the aggregate in itself;
 * - a series is uniqExact of a tuple: an aggregate of several arguments skips rows where one
 *   is NULL, a tuple holding a NULL container is not NULL, as DuckDB's struct is not;
 * - an attribute's text is JSONExtract(..., 'Nullable(String)'): a string unquoted, any other
 *   value as its JSON text, JSON null or no key NULL — what DuckDB's json_extract_string gives.
 */

const LIST_SQL = (db: string, where: string): string => `
  SELECT p.service AS service, p.name AS name,
    argMax(p.description, p.time_ns) AS description,
    argMax(p.unit, p.time_ns) AS unit,
    argMax(p.metric_type, p.time_ns) AS metric_type,
    argMax(p.temporality, p.time_ns) AS temporality,
    argMax(p.monotonic, p.time_ns) AS monotonic,
    count() AS point_count,
    uniqExact(tuple(p.attributes, p.container_id)) AS series_count,
    max(p.time_ns) AS last_time_ns
  FROM ${db}.metric_points AS p WHERE ${where}
  GROUP BY p.service, p.name
  ORDER BY last_time_ns DESC, service, name
  LIMIT {limit:UInt32}`;

/** count() and uniqExact() are UInt64, which the client quotes as Int64 is. */
const SUMMARY_INT64_COLUMNS = ['point_count', 'series_count', 'last_time_ns'] as const;
const POINT_INT64_COLUMNS = ['time_ns', 'start_time_ns'] as const;
const POINT_FLOAT64_COLUMNS = ['value', 'count', 'sum', 'min', 'max'] as const;

/**
 * Metrics with points in the range, the most recently reported first.
 * @example
 * const metrics = await listMetrics(ctx, { startNs, endNs, service: 'orders', limit: 200 });
 */
export async function listMetrics(ctx: ClickHouseQueryContext, query: MetricQuery): Promise<MetricSummary[]> {
  assertLimit(query.limit);
  const params: Record<string, unknown> = { startNs: query.startNs, endNs: query.endNs, limit: query.limit };
  const where = ['p.time_ns >= {startNs:Int64}', 'p.time_ns < {endNs:Int64}'];
  if (query.service !== undefined) {
    where.push('p.service = {service:String}');
    params.service = query.service;
  }
  const records = await selectRecords(ctx, LIST_SQL(ctx.db, where.join(' AND ')), params);
  return records.map((record) => metricSummaryFromRow(toResultRow(record, SUMMARY_INT64_COLUMNS)));
}

/*
 * DuckDB's order of points (time, then series), both ways, with the host last: one series
 * reported by two hosts at one time still comes out in one order.
 */
const ASCENDING = 'time_ns, service, attributes, container_id NULLS FIRST, host_name';
const DESCENDING = 'time_ns DESC, service DESC, attributes DESC, container_id DESC NULLS LAST, host_name DESC';

/**
 * Points of one metric in the range, oldest first: the newest `limit` (at most
 * METRIC_POINTS_MAX) when there are more. Attribute filters compare the value as text.
 * @example
 * const points = await metricPoints(ctx, { startNs, endNs, name: 'http.server.requests', attributes: { 'http.route': '/orders' }, limit: 1_000 });
 */
export async function metricPoints(ctx: ClickHouseQueryContext, query: MetricPointsQuery): Promise<MetricPointRow[]> {
  assertLimit(query.limit);
  const params: Record<string, unknown> = {
    name: query.name,
    startNs: query.startNs,
    endNs: query.endNs,
    limit: Math.min(query.limit, METRIC_POINTS_MAX),
  };
  const where = ['name = {name:String}', 'time_ns >= {startNs:Int64}', 'time_ns < {endNs:Int64}'];
  if (query.service !== undefined) {
    where.push('service = {service:String}');
    params.service = query.service;
  }
  if (query.containerId !== undefined) {
    where.push('container_id = {containerId:String}');
    params.containerId = query.containerId;
  }
  Object.entries(query.attributes ?? {}).forEach(([key, value], i) => {
    // As DuckDB: a substring test first skips parsing the JSON of points without the key.
    where.push(`position(attributes, {keyText${i}:String}) > 0`);
    where.push(`JSONExtract(attributes, {key${i}:String}, 'Nullable(String)') = {value${i}:String}`);
    Object.assign(params, { [`keyText${i}`]: `${JSON.stringify(key)}:`, [`key${i}`]: key, [`value${i}`]: value });
  });
  const records = await selectRecords(
    ctx,
    `SELECT * FROM (
       SELECT ${METRIC_POINT_COLUMNS}, host_name FROM ${ctx.db}.metric_points WHERE ${where.join(' AND ')}
       ORDER BY ${DESCENDING} LIMIT {limit:UInt32}
     ) ORDER BY ${ASCENDING}`,
    params,
  );
  return records.map((record) => metricPointFromRow(toResultRow(record, POINT_INT64_COLUMNS, POINT_FLOAT64_COLUMNS)));
}
