import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { Notices } from '../../telemetry/notices.js';

/** How stats code reports a fault it recovers from; `kind` is a fixed word from the code, never data. */
export type ReportError = (kind: string, error: unknown) => void;

export const STATS_ERRORS_METRIC = 'tracedock_stats_errors_total';

/** Distinct kinds logged; kinds come from code, this only guards against a future mistake. */
const MAX_LOGGED_KINDS = 64;

/**
 * Counts every stats error by kind and logs only the first of each kind: a container whose files
 * cannot be read would otherwise log once per second for as long as it runs.
 * @example const errors = new StatsErrorLog(logger, metrics); source = new CgroupStatsSource({ ..., onError: errors.report });
 */
export class StatsErrorLog {
  readonly #notices: Notices;
  readonly #metrics: MetricsRegistry;

  constructor(logger: Logger, metrics: MetricsRegistry) {
    this.#notices = new Notices(logger, { maxKinds: MAX_LOGGED_KINDS });
    this.#metrics = metrics;
    metrics.counter(STATS_ERRORS_METRIC, 'Errors while sampling container resources, by kind');
  }

  readonly report: ReportError = (kind, error) => {
    this.#metrics.inc(STATS_ERRORS_METRIC, 1, { kind });
    this.#notices.once('warn', kind, { err: error, kind }, `container stats: ${kind} (further ones are only counted in ${STATS_ERRORS_METRIC})`);
  };
}
