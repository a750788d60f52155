import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { DOCKER_METRICS } from '../docker-metrics.js';

/** Containers named in the log for dropping lines; past it, only /metrics counts. */
const DROPPERS_LOGGED_MAX = 100;

export interface LogNoticesOptions {
  linesPerSecond: number;
  burstLines: number;
  maxStreams: number;
  metrics: MetricsRegistry;
  logger: Logger;
}

/**
 * What the container log part tells the collector's own log, each kind once (or once per
 * container, up to a bound): a flood of drops or refusals is for /metrics to count.
 */
export class LogNotices {
  readonly #options: LogNoticesOptions;
  readonly #droppersLogged = new Set<string>();
  #refusalLogged = false;
  #bugLogged = false;

  constructor(options: LogNoticesOptions) {
    this.#options = options;
  }

  /** Metrics count drops by reason only (ids would be unbounded labels); the log names who. */
  firstDrop(containerId: string, reason: 'rate_limited' | 'buffer_full'): void {
    if (this.#droppersLogged.size >= DROPPERS_LOGGED_MAX || this.#droppersLogged.has(containerId)) return;
    this.#droppersLogged.add(containerId);
    const { linesPerSecond, burstLines, logger } = this.#options;
    logger.warn(
      { containerId, reason, linesPerSecond, burstLines },
      `a container logs faster than its limit; its extra lines are dropped and counted in ${DOCKER_METRICS.logLinesDropped}`,
    );
  }

  bug(error: unknown): void {
    if (this.#bugLogged) return;
    this.#bugLogged = true;
    this.#options.logger.error({ err: error }, 'handling a container log line failed; the line was skipped');
  }

  refused(containerId: string): void {
    this.#options.metrics.inc(DOCKER_METRICS.logStreamsRefused, 1);
    if (this.#refusalLogged) return;
    this.#refusalLogged = true;
    this.#options.logger.warn(
      { containerId, maxStreams: this.#options.maxStreams },
      `containerLogMaxStreams reached: this container's logs are not followed; further ones are only counted in ${DOCKER_METRICS.logStreamsRefused}`,
    );
  }
}
