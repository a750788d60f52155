import type { DuckDBConnection } from '@duckdb/node-api';
import type { LogRow } from '../../../model/rows.js';
import type { LogQuery } from '../../Store.js';
import { LOG_COLUMNS, logFromRow } from '../mapRows.js';
import { Params } from '../params.js';
import { assertLimit } from './limit.js';

/**
 * Log records in the range, newest first. The text filter is a case-insensitive substring
 * of the body; contains() over lower() needs no escaping, unlike ILIKE with % and _.
 */
export async function searchLogs(conn: DuckDBConnection, query: LogQuery): Promise<LogRow[]> {
  assertLimit(query.limit);
  const p = new Params();
  const where = [`time_ns >= ${p.bigint(query.startNs)}`, `time_ns < ${p.bigint(query.endNs)}`];
  if (query.service !== undefined) where.push(`service = ${p.text(query.service)}`);
  if (query.traceId !== undefined) where.push(`trace_id = ${p.text(query.traceId)}`);
  if (query.spanId !== undefined) where.push(`span_id = ${p.text(query.spanId)}`);
  if (query.containerId !== undefined) where.push(`container_id = ${p.text(query.containerId)}`);
  if (query.minSeverityNumber !== undefined) {
    where.push(`severity_number >= ${p.integer(query.minSeverityNumber)}`);
  }
  if (query.text !== undefined && query.text !== '') {
    where.push(`contains(lower(body), lower(${p.text(query.text)}))`);
  }
  const result = await conn.runAndReadAll(
    `SELECT ${LOG_COLUMNS} FROM logs WHERE ${where.join(' AND ')}
     ORDER BY time_ns DESC, observed_time_ns DESC
     LIMIT ${p.integer(query.limit)}`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(logFromRow);
}
