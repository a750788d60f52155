import type { WriteResult } from '../../store/Store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { DOCKER_METRICS, type DockerTable } from '../docker-metrics.js';

export interface StoreBatcherOptions<Row> {
  table: DockerTable;
  /** Rows held at most; more are dropped and counted. */
  maxRows: number;
  flushIntervalMillis: number;
  write: (rows: Row[]) => Promise<WriteResult>;
  metrics: MetricsRegistry;
  logger: Logger;
}

/**
 * A bounded buffer in front of one store table for the Docker part's small, steady writes
 * (events, samples): rows are written every flushIntervalMillis in one call. A retryable
 * failure keeps the rows for the next flush; anything else, or no room, drops and counts.
 * @example const events = new StoreBatcher({ table: 'events', maxRows: 10_000, flushIntervalMillis: 500, write: (r) => store.writeContainerEvents(r), metrics, logger });
 */
export class StoreBatcher<Row> {
  readonly #options: StoreBatcherOptions<Row>;
  #rows: Row[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #failureLogged = false;

  constructor(options: StoreBatcherOptions<Row>) {
    this.#options = options;
  }

  get pendingRows(): number {
    return this.#rows.length;
  }

  add(rows: readonly Row[]): void {
    const room = this.#options.maxRows - this.#rows.length;
    const kept = rows.length <= room ? rows : rows.slice(0, Math.max(0, room));
    for (const row of kept) this.#rows.push(row);
    if (kept.length < rows.length) this.#drop(rows.length - kept.length, 'buffer_full', undefined);
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), this.#options.flushIntervalMillis);
    this.#timer.unref();
  }

  /** Writes what is buffered now; one write at a time. */
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
    let result: WriteResult;
    try {
      result = await this.#options.write(rows);
    } catch (error) {
      result = { ok: false, retryable: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
    if (result.ok) return;
    if (result.retryable && rows.length + this.#rows.length <= this.#options.maxRows) {
      this.#rows = [...rows, ...this.#rows];
      return;
    }
    this.#drop(rows.length, 'store_error', result.error);
  }

  #drop(count: number, reason: string, error: Error | undefined): void {
    const { metrics, logger, table } = this.#options;
    metrics.inc(DOCKER_METRICS.rowsDropped, count, { table });
    if (this.#failureLogged) return;
    this.#failureLogged = true;
    logger.error({ table, reason, rows: count, err: error }, `container ${table} dropped; further drops are only counted in ${DOCKER_METRICS.rowsDropped}`);
  }
}
