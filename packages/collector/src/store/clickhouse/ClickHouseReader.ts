import type { ClickHouseClient } from '@clickhouse/client';
import type { SpanRow } from '../../model/rows.js';
import { SPAN_COLUMNS, spanFromRow } from '../duckdb/mapRows.js';
import type { StoreReader } from '../Store.js';
import { uniqueByStart } from '../unique-spans.js';
import { clickhouseClient } from './client.js';
import { quoteIdentifier } from './schema.js';

export interface ClickHouseReaderOptions {
  url: string;
  database: string;
  requestTimeoutMillis?: number;
}

/** An Int64 column of a JSONEachRow record, which the client's settings quote. */
function int64(record: Record<string, unknown>, column: string): bigint {
  const value = record[column];
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw new TypeError(`ClickHouse column ${column}: expected an Int64 as a decimal string, got ${typeof value}`);
  }
  return BigInt(value);
}

/** A JSONEachRow span record as the row the shared span decoder reads (which checks the rest). */
function spanFromRecord(record: Record<string, string | number | null>): SpanRow {
  return spanFromRow({ ...record, start_ns: int64(record, 'start_ns'), end_ns: int64(record, 'end_ns') });
}

/**
 * The read half of the ClickHouse store, method by method (issue 14): today the lookup of a
 * trace by id. The trace's start range comes from span_traces (schema.ts), so the spans
 * query reads only the parts of those days, and within them the granules the trace-id bloom
 * filter lets through. Copies a retry stored twice are dropped as in the DuckDB store.
 * @example
 * const reader = new ClickHouseReader({ url: 'http://127.0.0.1:8123', database: 'tracedock' });
 * const spans = await reader.getTraceSpans('4bf92f3577b34da6a3ce929d0e0e4736');
 */
export class ClickHouseReader implements Pick<StoreReader, 'kind' | 'start' | 'shutdown' | 'getTraceSpans'> {
  readonly kind = 'clickhouse';
  readonly #client: ClickHouseClient;
  readonly #db: string;
  #closed = false;

  constructor(options: ClickHouseReaderOptions) {
    this.#db = quoteIdentifier(options.database);
    // Int64 as strings (a JSON number loses nanoseconds); NaN and infinities as text.
    this.#client = clickhouseClient(options.url, options.requestTimeoutMillis, { output_format_json_quote_64bit_integers: 1, output_format_json_quote_denormals: 1 });
  }

  async start(): Promise<void> {
    const { success } = await this.#client.ping();
    if (!success) throw new Error('the ClickHouse server does not answer');
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.close();
  }

  async getTraceSpans(traceId: string): Promise<SpanRow[]> {
    const result = await this.#client.query({
      query: `
        WITH (SELECT (min(min_start_ns), max(max_start_ns)) FROM ${this.#db}.span_traces WHERE trace_id = {traceId:String}) AS range
        SELECT ${SPAN_COLUMNS} FROM ${this.#db}.spans
        WHERE trace_id = {traceId:String} AND start_ns >= range.1 AND start_ns <= range.2`,
      query_params: { traceId },
      format: 'JSONEachRow',
    });
    const records = await result.json<Record<string, string | number | null>>();
    return uniqueByStart(records.map(spanFromRecord));
  }
}
