import type { DuckDBConnection } from '@duckdb/node-api';
import type { MetricPointRow } from '../../../model/rows.js';
import { METRIC_POINTS_MAX } from '../../Store.js';
import type { MetricPointsQuery, MetricQuery, MetricSummary } from '../../Store.js';
import { jsonPointer } from '../../json-columns.js';
import { METRIC_POINT_COLUMNS, metricPointFromRow, metricSummaryFromRow } from '../mapRows.js';
import { Params } from '../params.js';
import { assertLimit } from './limit.js';

/*
 * The metrics of a range, and the points of one of them. A metric is (service, name); its
 * description, unit and type are those of its newest point (arg_max), so a metric whose
 * instrument changed unit shows what it reports now. A series is one attribute set (plus the
 * container it was joined to); the JSON text of the attributes stands for the set, since
 * json-columns.ts writes it with JSON.stringify in the sender's key order.
 */

const LIST_SQL = (where: string, limit: string): string => `
  SELECT service, name,
    arg_max(description, time_ns) AS description,
    arg_max(unit, time_ns) AS unit,
    arg_max(metric_type, time_ns) AS metric_type,
    arg_max(temporality, time_ns) AS temporality,
    arg_max(monotonic, time_ns) AS monotonic,
    count(*) AS point_count,
    count(DISTINCT {'attributes': attributes, 'container': container_id}) AS series_count,
    max(time_ns) AS last_time_ns
  FROM metric_points WHERE ${where}
  GROUP BY service, name
  ORDER BY last_time_ns DESC, service, name
  LIMIT ${limit}`;

/** Metrics with points in the range, the most recently reported first. */
export async function listMetrics(conn: DuckDBConnection, query: MetricQuery): Promise<MetricSummary[]> {
  assertLimit(query.limit);
  const p = new Params();
  const where = [`time_ns >= ${p.bigint(query.startNs)}`, `time_ns < ${p.bigint(query.endNs)}`];
  if (query.service !== undefined) where.push(`service = ${p.text(query.service)}`);
  const result = await conn.runAndReadAll(LIST_SQL(where.join(' AND '), p.integer(query.limit)), p.values, p.types);
  return result.getRowObjects().map(metricSummaryFromRow);
}

/**
 * Points of one metric in the range, oldest first: the newest `limit` (at most
 * METRIC_POINTS_MAX) when there are more. Ties in time keep one order by series.
 */
export async function metricPoints(conn: DuckDBConnection, query: MetricPointsQuery): Promise<MetricPointRow[]> {
  assertLimit(query.limit);
  const p = new Params();
  const where = [
    `name = ${p.text(query.name)}`,
    `time_ns >= ${p.bigint(query.startNs)}`,
    `time_ns < ${p.bigint(query.endNs)}`,
  ];
  if (query.service !== undefined) where.push(`service = ${p.text(query.service)}`);
  if (query.containerId !== undefined) where.push(`container_id = ${p.text(query.containerId)}`);
  for (const [key, value] of Object.entries(query.attributes ?? {})) {
    // As in trace-search.ts: a substring test first skips parsing the JSON of points without the key.
    where.push(`contains(attributes, ${p.text(`${JSON.stringify(key)}:`)})`);
    where.push(`json_extract_string(attributes, ${p.text(jsonPointer(key))}) = ${p.text(value)}`);
  }
  const order = 'time_ns, service, attributes, container_id NULLS FIRST';
  const descending = 'time_ns DESC, service DESC, attributes DESC, container_id DESC NULLS LAST';
  const result = await conn.runAndReadAll(
    `SELECT * FROM (
       SELECT ${METRIC_POINT_COLUMNS} FROM metric_points WHERE ${where.join(' AND ')}
       ORDER BY ${descending} LIMIT ${p.integer(Math.min(query.limit, METRIC_POINTS_MAX))}
     ) ORDER BY ${order}`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(metricPointFromRow);
}
