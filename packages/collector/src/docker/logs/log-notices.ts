import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { Notices } from '../../telemetry/notices.js';
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
  /** Kept apart so that many noisy containers cannot use up the other kinds' room. */
  readonly #droppers: Notices;
  readonly #notices: Notices;

  constructor(options: LogNoticesOptions) {
    this.#options = options;
    this.#droppers = new Notices(options.logger, { maxKinds: DROPPERS_LOGGED_MAX });
    this.#notices = new Notices(options.logger);
  }

  /** Metrics count drops by reason only (ids would be unbounded labels); the log names who. */
  firstDrop(containerId: string, reason: 'rate_limited' | 'buffer_full'): void {
    const { linesPerSecond, burstLines } = this.#options;
    this.#droppers.once(
      'warn',
      containerId,
      { containerId, reason, linesPerSecond, burstLines },
      `a container logs faster than its limit; its extra lines are dropped and counted in ${DOCKER_METRICS.logLinesDropped}`,
    );
  }

  bug(error: unknown): void {
    this.#notices.once('error', 'bug', { err: error }, 'handling a container log line failed; the line was skipped');
  }

  refused(containerId: string): void {
    this.#options.metrics.inc(DOCKER_METRICS.logStreamsRefused, 1);
    this.#notices.once(
      'warn',
      'refused',
      { containerId, maxStreams: this.#options.maxStreams },
      `containerLogMaxStreams reached: this container's logs are not followed; further ones are only counted in ${DOCKER_METRICS.logStreamsRefused}`,
    );
  }
}
