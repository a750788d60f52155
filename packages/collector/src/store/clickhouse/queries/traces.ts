import type { SpanRow } from '../../../model/rows.js';
import { SPAN_COLUMNS, spanFromRow } from '../../duckdb/mapRows.js';
import { uniqueByStart } from '../../unique-spans.js';
import { selectRecords, toResultRow, type ClickHouseRecord, type ClickHouseQueryContext } from './context.js';

/** The Int64 columns of a span record (SPAN_COLUMNS). */
const SPAN_INT64_COLUMNS = ['start_ns', 'end_ns'] as const;

/** A span record as the shared span decoder reads it, with the host that stored it. */
export function spanFromRecord(record: ClickHouseRecord): SpanRow {
  const span = spanFromRow(toResultRow(record, SPAN_INT64_COLUMNS));
  const host = record.host_name;
  return typeof host === 'string' ? { ...span, host } : span;
}

/** SPAN_COLUMNS plus the host each span was stored by. */
export const SPAN_COLUMNS_WITH_HOST = `${SPAN_COLUMNS}, host_name`;

/**
 * Every span of one trace, each once, by start. The trace's start range comes from
 * span_traces (schema.ts), so the spans query reads only the parts of those days, and within
 * them the granules the trace-id bloom filter lets through. Copies a retry stored twice are
 * dropped as in the DuckDB store. Spans come from every host: a trace may cross them.
 */
export async function getTraceSpans(ctx: ClickHouseQueryContext, traceId: string): Promise<SpanRow[]> {
  const records = await selectRecords(
    ctx,
    `WITH (SELECT (min(min_start_ns), max(max_start_ns)) FROM ${ctx.db}.span_traces WHERE trace_id = {traceId:String}) AS range
     SELECT ${SPAN_COLUMNS_WITH_HOST} FROM ${ctx.db}.spans
     WHERE trace_id = {traceId:String} AND start_ns >= range.1 AND start_ns <= range.2`,
    { traceId },
  );
  return uniqueByStart(records.map(spanFromRecord));
}
