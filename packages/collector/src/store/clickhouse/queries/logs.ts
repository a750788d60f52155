import type { LogRow } from '../../../model/rows.js';
import { LOG_COLUMNS, logFromRow } from '../../duckdb/mapRows.js';
import { assertLimit } from '../../duckdb/queries/limit.js';
import type { LogQuery } from '../../Store.js';
import { selectRecords, toResultRow, type ClickHouseQueryContext } from './context.js';

/** The Int64 columns of LOG_COLUMNS, which the reader's client quotes. */
const LOG_INT64_COLUMNS = ['time_ns', 'observed_time_ns'] as const;

/**
 * Log records in the range, newest first, as the DuckDB store's searchLogs: the same filters
 * and order, the same select list and decoder. The text filter is a case-insensitive
 * substring of the body; positionCaseInsensitiveUTF8 takes the needle as a plain string, so
 * nothing needs escaping (LIKE would read % and _). A container id matches on every host:
 * LogQuery names no host.
 * @example
 * const rows = await searchLogs(ctx, { startNs, endNs, service: 'orders', text: 'timeout', limit: 100 });
 */
export async function searchLogs(ctx: ClickHouseQueryContext, query: LogQuery): Promise<LogRow[]> {
  assertLimit(query.limit);
  const params: Record<string, unknown> = { startNs: query.startNs, endNs: query.endNs, limit: query.limit };
  const where = ['time_ns >= {startNs:Int64}', 'time_ns < {endNs:Int64}'];
  const equal = (column: string, name: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`${column} = {${name}:String}`);
    params[name] = value;
  };
  equal('service', 'service', query.service);
  equal('trace_id', 'traceId', query.traceId);
  equal('span_id', 'spanId', query.spanId);
  equal('container_id', 'containerId', query.containerId);
  if (query.minSeverityNumber !== undefined) {
    where.push('severity_number >= {minSeverity:Int32}');
    params.minSeverity = query.minSeverityNumber;
  }
  if (query.text !== undefined && query.text !== '') {
    where.push('positionCaseInsensitiveUTF8(body, {text:String}) > 0');
    params.text = query.text;
  }
  const records = await selectRecords(
    ctx,
    `SELECT ${LOG_COLUMNS} FROM ${ctx.db}.logs WHERE ${where.join(' AND ')}
     ORDER BY time_ns DESC, observed_time_ns DESC
     LIMIT {limit:UInt32}`,
    params,
  );
  return records.map((record) => logFromRow(toResultRow(record, LOG_INT64_COLUMNS)));
}
