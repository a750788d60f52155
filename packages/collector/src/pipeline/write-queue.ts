import type { CollectorConfig } from '../config.js';
import type { LogRow, SpanRow } from '../model/rows.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { identityCorrelator, type Correlator } from './Correlator.js';
import { declarePipelineMetrics, PIPELINE_METRICS } from './pipeline-metrics.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { TableWriter, type DropReason } from './table-writer.js';

/**
 * The rows of one export request, offered as a whole. `bytes`: roughly the memory the rows
 * hold (see approxBatchBytes); when missing, DEFAULT_ROW_BYTES per row.
 */
export type RowBatch =
  | { signal: 'spans'; rows: SpanRow[]; bytes?: number }
  | { signal: 'logs'; rows: LogRow[]; bytes?: number };

/**
 * Decoded rows hold about their OTLP bytes plus a fixed cost per row in the JS heap (measured
 * with the bench payloads: protobuf spans 540 B/row from 448 wire bytes, JSON spans 745 from
 * 1,022, protobuf logs 408 from 242, JSON logs 472 from 602); wire bytes + ROW_OVERHEAD_BYTES
 * over-counts a little for every one of them, which is the safe side for a memory bound.
 */
const ROW_OVERHEAD_BYTES = 200;
/** For batches that come without a byte count (container log lines): a typical decoded row. */
const DEFAULT_ROW_BYTES = 512;

/**
 * The approximate memory of the rows decoded from a request of `wireBytes` (after decompression).
 * @example queue.offer({ signal: 'spans', rows, bytes: approxBatchBytes(body.byteLength, rows.length) })
 */
export function approxBatchBytes(wireBytes: number, rows: number): number {
  return wireBytes + rows * ROW_OVERHEAD_BYTES;
}

/**
 * Whether the queue took a whole request. `full`: retry later (429 / RESOURCE_EXHAUSTED);
 * `shutting_down`: the collector is stopping (503 / UNAVAILABLE); `too_large`: the request
 * alone has more rows than the queue can ever hold, so retrying cannot help.
 */
export type OfferResult =
  | { accepted: true }
  | { accepted: false; reason: 'full' | 'shutting_down' | 'too_large' };

export interface WriteQueueOptions {
  store: Pick<Store, 'writeSpans' | 'writeLogs'>;
  config: Pick<
    CollectorConfig,
    'queueMaxRows' | 'queueMaxBytes' | 'batchMaxRows' | 'batchMaxDelayMillis' | 'shutdownTimeoutMillis' | 'storeWritesInFlight'
  >;
  metrics: MetricsRegistry;
  logger: Logger;
  correlator?: Correlator;
  retry?: RetryPolicy;
}

type Signal = RowBatch['signal'];

/**
 * The bounded buffer between the receivers and the store. A request is accepted whole or
 * not at all, so that a client told to retry can resend it unchanged.
 * @example
 * const queue = new WriteQueue({ store, config, metrics, logger });
 * queue.start();
 * if (!queue.offer({ signal: 'spans', rows }).accepted) respond429();
 * await queue.shutdown(); // everything accepted is written (or counted as dropped)
 */
export class WriteQueue {
  readonly #options: WriteQueueOptions;
  readonly #spans: TableWriter<SpanRow>;
  readonly #logs: TableWriter<LogRow>;
  /** Rows accepted and not yet stored or dropped, in flight included: that is what memory holds. */
  #depthRows = 0;
  /** The approximate memory those rows hold (RowBatch.bytes). */
  #depthBytes = 0;
  #state: 'new' | 'running' | 'closed' = 'new';
  #shutdown: Promise<void> | undefined;
  readonly #loggedDrops = new Set<string>();

  constructor(options: WriteQueueOptions) {
    this.#options = options;
    const { config, store, metrics } = options;
    const correlator = options.correlator ?? identityCorrelator;
    declarePipelineMetrics(metrics);
    const depth = (): number => this.#depthRows;
    metrics.gauge(PIPELINE_METRICS.queueDepth, 'Rows waiting for the store, in flight included.', depth);
    metrics.gauge(PIPELINE_METRICS.queueCapacity, 'Rows the write queue holds at most.', () => config.queueMaxRows);
    metrics.gauge(PIPELINE_METRICS.queueBytes, 'Approximate memory of the rows waiting for the store, in flight included.', () => this.#depthBytes);
    metrics.gauge(PIPELINE_METRICS.queueCapacityBytes, 'Approximate memory the write queue holds at most.', () => config.queueMaxBytes);
    const common = {
      batchMaxRows: config.batchMaxRows,
      writesInFlight: config.storeWritesInFlight,
      batchMaxDelayMillis: config.batchMaxDelayMillis,
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
    };
    this.#spans = new TableWriter<SpanRow>({
      ...common,
      write: (rows) => store.writeSpans(rows),
      correlate: (rows) => this.#correlate('spans', rows, (r) => correlator.spans(r)),
      onStored: (n, bytes) => this.#stored('spans', n, bytes),
      onDropped: (n, bytes, reason, error) => this.#dropped('spans', n, bytes, reason, error),
    });
    this.#logs = new TableWriter<LogRow>({
      ...common,
      write: (rows) => store.writeLogs(rows),
      correlate: (rows) => this.#correlate('logs', rows, (r) => correlator.logs(r)),
      onStored: (n, bytes) => this.#stored('logs', n, bytes),
      onDropped: (n, bytes, reason, error) => this.#dropped('logs', n, bytes, reason, error),
    });
  }

  /** Rows accepted and not yet stored or dropped. */
  get depthRows(): number {
    return this.#depthRows;
  }

  /** The approximate memory of those rows. */
  get depthBytes(): number {
    return this.#depthBytes;
  }

  start(): void {
    if (this.#state === 'new') this.#state = 'running';
  }

  offer(batch: RowBatch): OfferResult {
    if (this.#state !== 'running') return { accepted: false, reason: 'shutting_down' };
    const { queueMaxRows, queueMaxBytes } = this.#options.config;
    const count = batch.rows.length;
    const bytes = batch.bytes ?? count * DEFAULT_ROW_BYTES;
    if (count > queueMaxRows || bytes > queueMaxBytes) return { accepted: false, reason: 'too_large' };
    if (this.#depthRows + count > queueMaxRows || this.#depthBytes + bytes > queueMaxBytes) {
      return { accepted: false, reason: 'full' };
    }
    this.#depthRows += count;
    this.#depthBytes += bytes;
    if (batch.signal === 'spans') this.#spans.push(batch.rows, bytes);
    else this.#logs.push(batch.rows, bytes);
    return { accepted: true };
  }

  /**
   * Refuses new rows, then writes everything accepted within `timeoutMillis` (default
   * shutdownTimeoutMillis); what is left after that is counted as dropped. Safe to call twice.
   */
  shutdown(timeoutMillis = this.#options.config.shutdownTimeoutMillis): Promise<void> {
    this.#shutdown ??= this.#drain(timeoutMillis);
    return this.#shutdown;
  }

  async #drain(timeoutMillis: number): Promise<void> {
    this.#state = 'closed';
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    });
    try {
      const drained = Promise.all([this.#spans.drain(), this.#logs.drain()]).then(() => 'drained' as const);
      if ((await Promise.race([drained, timedOut])) === 'timeout') {
        this.#spans.abort();
        this.#logs.abort();
        this.#options.logger.warn(
          { depthRows: this.#depthRows, timeoutMillis },
          'write queue not drained before the shutdown timeout; the rest is dropped',
        );
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async #correlate<Row>(signal: Signal, rows: Row[], apply: (rows: Row[]) => Row[] | Promise<Row[]>): Promise<Row[]> {
    try {
      const out = await apply(rows);
      if (out.length === rows.length) return out;
      const message = 'correlator changed the number of rows; batch stored uncorrelated';
      this.#logOnce(`correlate:${signal}`, { signal }, message);
    } catch (error) {
      this.#logOnce(`correlate:${signal}`, { signal, err: error }, 'correlator failed; batch stored uncorrelated');
    }
    return rows;
  }

  #stored(signal: Signal, rows: number, bytes: number): void {
    this.#depthRows -= rows;
    this.#depthBytes -= bytes;
    this.#options.metrics.inc(PIPELINE_METRICS.rowsStored, rows, { signal });
  }

  #dropped(signal: Signal, rows: number, bytes: number, reason: DropReason, error: Error | undefined): void {
    this.#depthRows -= rows;
    this.#depthBytes -= bytes;
    this.#options.metrics.inc(PIPELINE_METRICS.rowsDropped, rows, { signal, reason });
    this.#logOnce(
      `drop:${signal}:${reason}`,
      { signal, reason, rows, err: error },
      `rows dropped (${reason}); further drops of this kind are only counted in ${PIPELINE_METRICS.rowsDropped}`,
    );
  }

  /** A failing store would otherwise log on every batch; /metrics keeps the count. */
  #logOnce(kind: string, fields: Record<string, unknown>, message: string): void {
    if (this.#loggedDrops.has(kind)) return;
    this.#loggedDrops.add(kind);
    this.#options.logger.error(fields, message);
  }
}
