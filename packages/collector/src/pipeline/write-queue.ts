import type { CollectorConfig } from '../config.js';
import { DroppedRows } from '../lifecycle/dropped-rows.js';
import { within } from '../lifecycle/within.js';
import { DEFAULT_RETRY_POLICY, type DropReason, type RetryPolicy } from '../lifecycle/write-retry.js';
import type { LogRow, MetricPointRow, SpanRow } from '../model/rows.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { Notices } from '../telemetry/notices.js';
import { identityCorrelator, type Correlator } from './Correlator.js';
import { declarePipelineMetrics, PIPELINE_METRICS } from './pipeline-metrics.js';
import { LogDedupe } from './log-dedupe.js';
import { SpanKeyFilter } from './span-dedupe.js';
import { TableWriter } from './table-writer.js';

/**
 * The rows of one export request, offered as a whole. `bytes`: roughly the memory the rows
 * hold (see approxBatchBytes); when missing, DEFAULT_ROW_BYTES per row.
 */
export type RowBatch =
  | { signal: 'spans'; rows: SpanRow[]; bytes?: number }
  | { signal: 'logs'; rows: LogRow[]; bytes?: number }
  | { signal: 'metrics'; rows: MetricPointRow[]; bytes?: number };

/**
 * Decoded rows hold about their OTLP bytes plus a fixed cost per row in the JS heap (measured
 * with the bench payloads: protobuf spans 540 B/row from 448 wire bytes, JSON spans 745 from
 * 1,022, protobuf logs 408 from 242, JSON logs 472 from 602); wire bytes + ROW_OVERHEAD_BYTES
 * over-counts a little for every one of them, which is the safe side for a memory bound.
 */
const ROW_OVERHEAD_BYTES = 200;
/**
 * Metric points hold more per wire byte (an attributes object per point, bucket arrays):
 * measured 466 B/row from 158 wire bytes on the JS SDK's gauges, counters and histograms.
 */
const METRIC_ROW_OVERHEAD_BYTES = 400;
/** For batches that come without a byte count (container log lines): a typical decoded row. */
const DEFAULT_ROW_BYTES = 512;

/**
 * The approximate memory of the rows decoded from a request of `wireBytes` (after decompression).
 * @example queue.offer({ signal: 'spans', rows, bytes: approxBatchBytes(body.byteLength, rows.length) })
 */
export function approxBatchBytes(wireBytes: number, rows: number, signal: RowBatch['signal'] = 'spans'): number {
  return wireBytes + rows * (signal === 'metrics' ? METRIC_ROW_OVERHEAD_BYTES : ROW_OVERHEAD_BYTES);
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
  store: Pick<Store, 'writeSpans' | 'writeLogs' | 'writeMetricPoints'>;
  config: Pick<
    CollectorConfig,
    | 'queueMaxRows'
    | 'queueMaxBytes'
    | 'batchMaxRows'
    | 'batchMaxDelayMillis'
    | 'shutdownTimeoutMillis'
    | 'storeWritesInFlight'
    | 'spanDedupeCapacity'
    | 'logDedupeHoldMillis'
  >;
  metrics: MetricsRegistry;
  logger: Logger;
  correlator?: Correlator;
  retry?: RetryPolicy;
}

type Signal = RowBatch['signal'];

/**
 * The two copies of one log record: a line's own time (pino `time`, ms) and the OTLP record's
 * agree to the ms; Docker's time, for a line without one, is later by the pipe's latency.
 */
const LOG_DEDUPE_TOLERANCE_NS = 1_000_000_000n;
/** OTLP records remembered for container lines still to come (log-dedupe.ts): ~100 B each. */
const LOG_DEDUPE_MAX_REMEMBERED = 50_000;

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
  /** OTLP log records. */
  readonly #logs: TableWriter<LogRow>;
  /** Container stdout/stderr lines: held for logDedupeHoldMillis, then stored unless OTLP replaced them. */
  readonly #containerLines: TableWriter<LogRow>;
  readonly #metricPoints: TableWriter<MetricPointRow>;
  /** Rows accepted and not yet stored or dropped, in flight included: that is what memory holds. */
  #depthRows = 0;
  /** The approximate memory those rows hold (RowBatch.bytes). */
  #depthBytes = 0;
  #state: 'new' | 'running' | 'closed' = 'new';
  readonly #spanKeys: SpanKeyFilter | undefined;
  readonly #logDedupe: LogDedupe | undefined;
  #shutdown: Promise<void> | undefined;
  readonly #notices: Notices;
  readonly #drops: DroppedRows;

  constructor(options: WriteQueueOptions) {
    this.#options = options;
    const { config, store, metrics } = options;
    this.#notices = new Notices(options.logger);
    this.#drops = new DroppedRows({ metrics, metric: PIPELINE_METRICS.rowsDropped, notices: this.#notices });
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
    const spanKeys = config.spanDedupeCapacity > 0 ? new SpanKeyFilter(config.spanDedupeCapacity) : undefined;
    this.#spanKeys = spanKeys;
    const logDedupe =
      config.logDedupeHoldMillis > 0
        ? new LogDedupe({
            toleranceNs: LOG_DEDUPE_TOLERANCE_NS,
            maxRemembered: LOG_DEDUPE_MAX_REMEMBERED,
            rememberMillis: 2 * config.logDedupeHoldMillis,
          })
        : undefined;
    this.#logDedupe = logDedupe;
    this.#spans = new TableWriter<SpanRow>({
      ...common,
      write: (rows) => store.writeSpans(rows),
      correlate: (rows) => this.#correlate('spans', rows, (r) => correlator.spans(r)),
      ...(spanKeys === undefined ? {} : { dedupe: (rows: SpanRow[]) => spanKeys.filter(rows) }),
      onStored: (n, bytes, stored) => this.#stored('spans', n, bytes, stored),
      onDropped: (n, bytes, reason, error) => this.#dropped('spans', n, bytes, reason, error),
    });
    this.#logs = new TableWriter<LogRow>({
      ...common,
      write: (rows) => store.writeLogs(rows),
      correlate: (rows) => this.#correlate('logs', rows, (r) => correlator.logs(r)),
      ...(logDedupe === undefined
        ? {}
        : {
            dedupe: (rows: LogRow[]) => {
              logDedupe.otlpArrived(rows);
              return rows;
            },
          }),
      onStored: (n, bytes, stored) => this.#stored('logs', n, bytes, stored),
      onDropped: (n, bytes, reason, error) => this.#dropped('logs', n, bytes, reason, error),
    });
    this.#containerLines = new TableWriter<LogRow>({
      ...common,
      holdMillis: config.logDedupeHoldMillis,
      write: (rows) => store.writeLogs(rows),
      // Container lines carry their container already; the correlator leaves them as they are.
      correlate: async (rows) => rows,
      ...(logDedupe === undefined ? {} : { dedupe: (rows: LogRow[]) => logDedupe.stdoutToWrite(rows) }),
      onStored: (n, bytes, stored) => this.#stored('logs', n, bytes, stored),
      onDropped: (n, bytes, reason, error) => this.#dropped('logs', n, bytes, reason, error),
    });
    this.#metricPoints = new TableWriter<MetricPointRow>({
      ...common,
      write: (rows) => store.writeMetricPoints(rows),
      correlate: (rows) => this.#correlate('metrics', rows, (r) => correlator.metrics(r)),
      onStored: (n, bytes, stored) => this.#stored('metrics', n, bytes, stored),
      onDropped: (n, bytes, reason, error) => this.#dropped('metrics', n, bytes, reason, error),
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
    else if (batch.signal === 'logs') this.#pushLogs(batch.rows, bytes);
    else this.#metricPoints.push(batch.rows, bytes);
    return { accepted: true };
  }

  /** The memory of the span deduplication filter (fixed; 0 when it is off). */
  get spanDedupeBytes(): number {
    return this.#spanKeys?.bytes ?? 0;
  }

  /** Seeds span deduplication with spans stored before a restart (Store.recentSpanKeys). */
  rememberSpans(keys: readonly { traceId: string; spanId: string }[]): void {
    for (const key of keys) this.#spanKeys?.seen(key.traceId, key.spanId);
  }

  /** OTLP records go straight to their writer; container lines wait in theirs (log-dedupe.ts). */
  #pushLogs(rows: LogRow[], bytes: number): void {
    const first = rows[0];
    if (first === undefined) return;
    if (rows.every((row) => row.source === first.source)) {
      if (first.source !== 'otlp') this.#logDedupe?.pendingStdout(rows);
      this.#logWriterFor(first).push(rows, bytes);
      return;
    }
    const otlp = rows.filter((row) => row.source === 'otlp');
    const lines = rows.filter((row) => row.source !== 'otlp');
    const otlpBytes = Math.round((bytes * otlp.length) / rows.length);
    this.#logs.push(otlp, otlpBytes);
    this.#logDedupe?.pendingStdout(lines);
    this.#containerLines.push(lines, bytes - otlpBytes);
  }

  #logWriterFor(first: LogRow): TableWriter<LogRow> {
    return first.source === 'otlp' ? this.#logs : this.#containerLines;
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
    const writers = [this.#spans, this.#logs, this.#containerLines, this.#metricPoints];
    if ((await within(Promise.all(writers.map((writer) => writer.drain())), timeoutMillis)) === 'done') return;
    for (const writer of writers) writer.abort();
    this.#options.logger.warn(
      { depthRows: this.#depthRows, timeoutMillis },
      'write queue not drained before the shutdown timeout; the rest is dropped',
    );
  }

  async #correlate<Row>(signal: Signal, rows: Row[], apply: (rows: Row[]) => Row[] | Promise<Row[]>): Promise<Row[]> {
    try {
      const out = await apply(rows);
      if (out.length === rows.length) return out;
      const message = 'correlator changed the number of rows; batch stored uncorrelated';
      this.#notices.once('error', `correlate:${signal}`, { signal }, message);
    } catch (error) {
      this.#notices.once('error', `correlate:${signal}`, { signal, err: error }, 'correlator failed; batch stored uncorrelated');
    }
    return rows;
  }

  #stored(signal: Signal, rows: number, bytes: number, stored: number): void {
    this.#depthRows -= rows;
    this.#depthBytes -= bytes;
    this.#options.metrics.inc(PIPELINE_METRICS.rowsStored, stored, { signal });
    if (rows > stored) this.#options.metrics.inc(PIPELINE_METRICS.rowsDeduplicated, rows - stored, { signal });
  }

  #dropped(signal: Signal, rows: number, bytes: number, reason: DropReason, error: Error | undefined): void {
    this.#depthRows -= rows;
    this.#depthBytes -= bytes;
    this.#drops.count(rows, { signal, reason }, reason, error);
  }
}
