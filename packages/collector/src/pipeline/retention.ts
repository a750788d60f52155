import type { CollectorConfig } from '../config.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';

export interface RetentionTimerOptions {
  store: Pick<Store, 'applyRetention'>;
  config: Pick<CollectorConfig, 'retentionHours' | 'retentionMaxBytes' | 'retentionIntervalMillis'>;
  metrics: MetricsRegistry;
  logger: Logger;
}

const NS_PER_MILLI = 1_000_000n;
const MILLIS_PER_HOUR = 3_600_000;

const RUNS = 'tracedock_retention_runs_total';
const REMOVED = 'tracedock_retention_rows_removed_total';
const SIZE = 'tracedock_store_size_bytes';

/**
 * Applies the retention policy every retentionIntervalMillis. A failing run is logged and
 * counted, never thrown: the next run tries again. Runs never overlap.
 * @example const retention = new RetentionTimer({ store, config, metrics, logger }); retention.start();
 */
export class RetentionTimer {
  readonly #options: RetentionTimerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #sizeBytes = 0;

  constructor(options: RetentionTimerOptions) {
    this.#options = options;
    const { metrics } = options;
    for (const result of ['ok', 'error']) metrics.counter(RUNS, 'Retention runs.', { result });
    for (const table of ['spans', 'logs', 'samples', 'events', 'containers']) {
      metrics.counter(REMOVED, 'Rows removed by retention (age or size).', { table });
    }
    metrics.gauge(SIZE, 'Store size after the last retention run.', () => this.#sizeBytes);
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.runOnce().finally(() => {
        this.#running = undefined;
      });
    }, this.#options.config.retentionIntervalMillis);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a run in progress. Safe to call twice. */
  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async runOnce(): Promise<void> {
    const { store, config, metrics, logger } = this.#options;
    // retentionHours may be fractional (0.5 = 30 min); BigInt needs an integer.
    const maxAgeNs = BigInt(Math.round(config.retentionHours * MILLIS_PER_HOUR)) * NS_PER_MILLI;
    try {
      const result = await store.applyRetention({
        maxAgeNs,
        maxBytes: config.retentionMaxBytes,
        nowNs: BigInt(Date.now()) * NS_PER_MILLI,
      });
      metrics.inc(RUNS, 1, { result: 'ok' });
      metrics.inc(REMOVED, result.spansRemoved, { table: 'spans' });
      metrics.inc(REMOVED, result.logsRemoved, { table: 'logs' });
      metrics.inc(REMOVED, result.samplesRemoved, { table: 'samples' });
      metrics.inc(REMOVED, result.eventsRemoved, { table: 'events' });
      metrics.inc(REMOVED, result.containersRemoved, { table: 'containers' });
      this.#sizeBytes = result.sizeBytesAfter;
    } catch (error) {
      metrics.inc(RUNS, 1, { result: 'error' });
      logger.error({ err: error }, 'retention run failed; the next run will try again');
    }
  }
}
