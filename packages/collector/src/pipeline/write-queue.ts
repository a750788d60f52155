import type { CollectorConfig } from '../config.js';
import type { LogRow, SpanRow } from '../model/rows.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { identityCorrelator, type Correlator } from './Correlator.js';
import { declarePipelineMetrics, PIPELINE_METRICS } from './pipeline-metrics.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { TableWriter, type DropReason } from './table-writer.js';

/** The rows of one export request, offered as a whole. */
export type RowBatch = { signal: 'spans'; rows: SpanRow[] } | { signal: 'logs'; rows: LogRow[] };

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
  config: Pick<CollectorConfig, 'queueMaxRows' | 'batchMaxRows' | 'batchMaxDelayMillis' | 'shutdownTimeoutMillis'>;
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
    const common = {
      batchMaxRows: config.batchMaxRows,
      batchMaxDelayMillis: config.batchMaxDelayMillis,
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
    };
    this.#spans = new TableWriter<SpanRow>({
      ...common,
      write: (rows) => store.writeSpans(rows),
      correlate: (rows) => this.#correlate('spans', rows, (r) => correlator.spans(r)),
      onStored: (n) => this.#stored('spans', n),
      onDropped: (n, reason, error) => this.#dropped('spans', n, reason, error),
    });
    this.#logs = new TableWriter<LogRow>({
      ...common,
      write: (rows) => store.writeLogs(rows),
      correlate: (rows) => this.#correlate('logs', rows, (r) => correlator.logs(r)),
      onStored: (n) => this.#stored('logs', n),
      onDropped: (n, reason, error) => this.#dropped('logs', n, reason, error),
    });
  }

  /** Rows accepted and not yet stored or dropped. */
  get depthRows(): number {
    return this.#depthRows;
  }

  start(): void {
    if (this.#state === 'new') this.#state = 'running';
  }

  offer(batch: RowBatch): OfferResult {
    if (this.#state !== 'running') return { accepted: false, reason: 'shutting_down' };
    const count = batch.rows.length;
    if (count > this.#options.config.queueMaxRows) return { accepted: false, reason: 'too_large' };
    if (this.#depthRows + count > this.#options.config.queueMaxRows) return { accepted: false, reason: 'full' };
    this.#depthRows += count;
    if (batch.signal === 'spans') this.#spans.push(batch.rows);
    else this.#logs.push(batch.rows);
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

  #stored(signal: Signal, rows: number): void {
    this.#depthRows -= rows;
    this.#options.metrics.inc(PIPELINE_METRICS.rowsStored, rows, { signal });
  }

  #dropped(signal: Signal, rows: number, reason: DropReason, error: Error | undefined): void {
    this.#depthRows -= rows;
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
