import { DroppedRows } from '../../lifecycle/dropped-rows.js';
import { DEFAULT_RETRY_POLICY, writeWithRetry, type RetryPolicy } from '../../lifecycle/write-retry.js';
import type { WriteResult } from '../../store/Store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { Notices } from '../../telemetry/notices.js';
import { DOCKER_METRICS, type DockerTable } from '../docker-metrics.js';

export interface StoreBatcherOptions<Row> {
  table: DockerTable;
  /** Rows held at most; more are dropped and counted. */
  maxRows: number;
  flushIntervalMillis: number;
  write: (rows: readonly Row[]) => Promise<WriteResult>;
  metrics: MetricsRegistry;
  logger: Logger;
  /** Default DEFAULT_RETRY_POLICY, the write queue's. */
  retry?: RetryPolicy;
}

/**
 * A bounded buffer in front of one store table for the Docker part's small, steady writes
 * (events, samples, container metadata): rows are written every flushIntervalMillis in one call,
 * one write at a time. A failed write is retried or dropped by the store write policy
 * (lifecycle/write-retry.ts), as the write queue's are; rows beyond maxRows are dropped
 * (`buffer_full`). Drops are counted by table in tracedock_docker_rows_dropped_total.
 * @example const events = new StoreBatcher({ table: 'events', maxRows: 10_000, flushIntervalMillis: 500, write: (r) => store.writeContainerEvents(r), metrics, logger });
 */
export class StoreBatcher<Row> {
  readonly #options: StoreBatcherOptions<Row>;
  readonly #drops: DroppedRows;
  #rows: Row[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;

  constructor(options: StoreBatcherOptions<Row>) {
    this.#options = options;
    this.#drops = new DroppedRows({ metrics: options.metrics, metric: DOCKER_METRICS.rowsDropped, notices: new Notices(options.logger) });
  }

  get pendingRows(): number {
    return this.#rows.length;
  }

  add(rows: readonly Row[]): void {
    const room = this.#options.maxRows - this.#rows.length;
    const kept = rows.length <= room ? rows : rows.slice(0, Math.max(0, room));
    for (const row of kept) this.#rows.push(row);
    this.#drops.count(rows.length - kept.length, { table: this.#options.table }, 'buffer_full', undefined);
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), this.#options.flushIntervalMillis);
    this.#timer.unref();
  }

  /** Writes what is buffered now (retries included); one write at a time. */
  flush(): Promise<void> {
    this.#writing ??= this.#write().finally(() => {
      this.#writing = undefined;
    });
    return this.#writing;
  }

  /** Stops the timer and writes what is left once. Safe to call twice. */
  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writing;
    await this.flush();
  }

  async #write(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    const { write, table, retry = DEFAULT_RETRY_POLICY } = this.#options;
    const outcome = await writeWithRetry(write, rows, { policy: retry });
    if (!outcome.stored) this.#drops.count(rows.length, { table }, outcome.reason, outcome.error);
  }
}
