import type { ContainerSampleRow } from '../../model/rows.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { StatsErrorLog } from './errors.js';
import type { SampleTarget, StatsSource } from './StatsSource.js';

export interface StatsSamplerOptions {
  source: StatsSource;
  /** The containers running now (discovery's view), read at each tick. */
  targets: () => readonly SampleTarget[];
  /** Takes the rows of one tick; it must not block (e.g. push to the bounded store queue). */
  write: (rows: ContainerSampleRow[]) => void;
  intervalMillis: number;
  metrics: MetricsRegistry;
  logger: Logger;
  /** The sample time; injectable for tests. */
  nowNs?: () => bigint;
}

const NS_PER_MS = 1_000_000n;
const MS_PER_SECOND = 1_000;

const ROWS_METRIC = 'tracedock_stats_samples_total';
const SKIPPED_METRIC = 'tracedock_stats_ticks_skipped_total';
const DURATION_METRIC = 'tracedock_stats_tick_duration_seconds';

function wallClockNs(): bigint {
  return BigInt(Date.now()) * NS_PER_MS;
}

/**
 * Samples every target once per interval and hands the rows to `write`. A tick never overlaps
 * the previous one: if that is still running the tick is skipped and counted. Every failure is
 * counted and logged once per kind; nothing here throws into the timer.
 * @example
 * const sampler = new StatsSampler({ source, targets: () => registry.sampleTargets(), write: (rows) => queue.pushSamples(rows), intervalMillis: 1000, metrics, logger });
 * sampler.start(); ... await sampler.shutdown();
 */
export class StatsSampler {
  readonly #options: StatsSamplerOptions;
  readonly #errors: StatsErrorLog;
  readonly #nowNs: () => bigint;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #lastTickMillis = 0;
  #shutDown: Promise<void> | null = null;

  constructor(options: StatsSamplerOptions) {
    this.#options = options;
    this.#errors = new StatsErrorLog(options.logger, options.metrics);
    this.#nowNs = options.nowNs ?? wallClockNs;
    const { metrics } = options;
    metrics.counter(ROWS_METRIC, 'Container resource samples handed to the store');
    metrics.counter(SKIPPED_METRIC, 'Sampling ticks skipped because the previous one was still running');
    metrics.gauge(DURATION_METRIC, 'Duration of the last sampling tick', () => this.#lastTickMillis / MS_PER_SECOND);
  }

  start(): void {
    if (this.#timer !== null || this.#shutDown !== null) return;
    this.#options.logger.info(
      { source: this.#options.source.kind, intervalMillis: this.#options.intervalMillis },
      'container stats sampling started',
    );
    this.#timer = setInterval(() => this.#tick(), this.#options.intervalMillis);
    // The sampler alone must not keep the process alive; the servers do.
    this.#timer.unref();
    this.#tick();
  }

  /** Stops the timer, waits for a running tick, then closes the source. Safe to call twice. */
  shutdown(): Promise<void> {
    this.#shutDown ??= this.#stop();
    return this.#shutDown;
  }

  async #stop(): Promise<void> {
    try {
      if (this.#timer !== null) clearInterval(this.#timer);
      this.#timer = null;
      await this.#running;
    } finally {
      await this.#options.source.shutdown().catch((error: unknown) => this.#errors.report('source-shutdown', error));
    }
  }

  #tick(): void {
    if (this.#running !== null) {
      this.#options.metrics.inc(SKIPPED_METRIC, 1);
      return;
    }
    this.#running = this.#sampleOnce().finally(() => {
      this.#running = null;
    });
  }

  async #sampleOnce(): Promise<void> {
    const started = performance.now();
    try {
      let targets: readonly SampleTarget[];
      try {
        targets = this.#options.targets();
      } catch (error) {
        this.#errors.report('targets', error);
        return;
      }
      let rows: ContainerSampleRow[];
      try {
        rows = await this.#options.source.sample(targets, this.#nowNs());
      } catch (error) {
        this.#errors.report('sample', error);
        return;
      }
      if (rows.length === 0) return;
      try {
        this.#options.write(rows);
        this.#options.metrics.inc(ROWS_METRIC, rows.length);
      } catch (error) {
        this.#errors.report('write', error);
      }
    } finally {
      this.#lastTickMillis = performance.now() - started;
    }
  }
}
