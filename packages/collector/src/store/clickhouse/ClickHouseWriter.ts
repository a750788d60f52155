import { ClickHouseError, type ClickHouseClient } from '@clickhouse/client';
import type { ContainerEventRow, ContainerRow, ContainerSampleRow, LogRow, MetricPointRow, SpanRow } from '../../model/rows.js';
import type { StoreWriter, WriteResult } from '../Store.js';
import { clickhouseClient } from './client.js';
import { containerRecords, eventRecords, logRecords, metricPointRecords, sampleRecords, spanRecords } from './records.js';
import { quoteIdentifier, schemaStatements } from './schema.js';

export interface ClickHouseWriterOptions {
  /** The server's HTTP interface, e.g. http://clickhouse:8123 (user and password may be in it). */
  url: string;
  database: string;
  /** This collector's Docker host: stamped on every row, so container ids stay distinct per host. */
  hostName: string;
  retentionHours: number;
  /** Bound on each insert or statement. */
  requestTimeoutMillis?: number;
}


/*
 * Which failed inserts are worth retrying (the write queue retries those, and a re-inserted
 * identical batch is deduplicated by the tables, schema.ts). The server unreachable or
 * overloaded: yes. A value that does not fit its column, a missing table or a refused
 * login: no, the same batch would fail again.
 */
const RETRYABLE_CLICKHOUSE_CODES = new Set([
  '159', // TIMEOUT_EXCEEDED
  '164', // READONLY (a server starting up or in maintenance)
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '203', // NO_FREE_CONNECTION
  '209', // SOCKET_TIMEOUT
  '210', // NETWORK_ERROR
  '241', // MEMORY_LIMIT_EXCEEDED
  '242', // TABLE_IS_READ_ONLY
  '252', // TOO_MANY_PARTS
  '319', // UNKNOWN_STATUS_OF_INSERT
  '394', // QUERY_WAS_CANCELLED
]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function isRetryableClickHouseError(error: unknown): boolean {
  if (error instanceof ClickHouseError) return RETRYABLE_CLICKHOUSE_CODES.has(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return true;
  return error instanceof Error && /timeout|socket hang up|ECONNREFUSED|ECONNRESET/i.test(error.message);
}

/**
 * The write half of the ClickHouse store: creates the schema at start, then one JSONEachRow
 * insert per batch and table. Many collectors may write to one database, each with its own
 * hostName (schema.ts).
 * @example
 * const writer = new ClickHouseWriter({ url: 'http://127.0.0.1:8123', database: 'tracedock', hostName: 'host-a', retentionHours: 24 });
 * await writer.start();
 * await writer.writeSpans(rows); // { ok: true, written: rows.length }
 */
export class ClickHouseWriter implements StoreWriter {
  readonly kind = 'clickhouse';
  readonly #options: ClickHouseWriterOptions;
  readonly #client: ClickHouseClient;
  #closed = false;

  constructor(options: ClickHouseWriterOptions) {
    quoteIdentifier(options.database);
    if (options.hostName.trim() === '') throw new Error('ClickHouseWriter: hostName must not be empty');
    this.#options = options;
    // Synchronous inserts: the write queue batches already, the answer then means stored, and
    // block deduplication (schema.ts) applies to a retried batch.
    this.#client = clickhouseClient(options.url, options.requestTimeoutMillis, { async_insert: 0, insert_deduplicate: 1 });
  }

  async start(): Promise<void> {
    for (const query of schemaStatements(this.#options)) await this.#client.command({ query });
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.close();
  }

  writeSpans(rows: readonly SpanRow[]): Promise<WriteResult> {
    return this.#insert('spans', rows.length, () => spanRecords(this.#options.hostName, rows));
  }

  writeLogs(rows: readonly LogRow[]): Promise<WriteResult> {
    return this.#insert('logs', rows.length, () => logRecords(this.#options.hostName, rows));
  }

  writeSamples(rows: readonly ContainerSampleRow[]): Promise<WriteResult> {
    return this.#insert('container_samples', rows.length, () => sampleRecords(this.#options.hostName, rows));
  }

  /** An insert: the ReplacingMergeTree keeps the newest row per (host_name, id). */
  upsertContainers(rows: readonly ContainerRow[]): Promise<WriteResult> {
    return this.#insert('containers', rows.length, () => containerRecords(this.#options.hostName, rows));
  }

  writeContainerEvents(rows: readonly ContainerEventRow[]): Promise<WriteResult> {
    return this.#insert('container_events', rows.length, () => eventRecords(this.#options.hostName, rows));
  }

  writeMetricPoints(rows: readonly MetricPointRow[]): Promise<WriteResult> {
    return this.#insert('metric_points', rows.length, () => metricPointRecords(this.#options.hostName, rows));
  }

  async #insert(table: string, count: number, records: () => Record<string, unknown>[]): Promise<WriteResult> {
    if (count === 0) return { ok: true, written: 0 };
    if (this.#closed) return { ok: false, retryable: false, error: new Error('the ClickHouse store is shut down') };
    try {
      await this.#client.insert({ table: `${quoteIdentifier(this.#options.database)}.${table}`, values: records(), format: 'JSONEachRow' });
      return { ok: true, written: count };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      return { ok: false, retryable: isRetryableClickHouseError(error), error: err };
    }
  }
}
