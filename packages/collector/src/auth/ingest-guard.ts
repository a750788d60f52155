import { PIPELINE_METRICS, type RequestRefusalReason } from '../pipeline/pipeline-metrics.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { Notices } from '../telemetry/notices.js';
import { bearerToken, tokenMatches } from './tokens.js';

/**
 * The ingest token check both OTLP receivers run before reading a body. A refusal is
 * counted in tracedock_otlp_requests_refused_total{reason="unauthorized"} here, not by the
 * receivers (they count every other reason); the log says it once a minute at most, since a
 * misconfigured exporter retries forever.
 * @example
 * const refusal = guard.check(req.headers.authorization, 'http');
 * if (refusal !== undefined) return answer401(refusal);
 */
export class IngestGuard {
  readonly #token: string | null;
  readonly #metrics: MetricsRegistry;
  readonly #notices: Notices;

  constructor(token: string | null, metrics: MetricsRegistry, logger: Logger) {
    this.#token = token;
    this.#metrics = metrics;
    this.#notices = new Notices(logger);
  }

  /** Undefined when the request may go on; else why not, for the 401 or UNAUTHENTICATED message. */
  check(authorization: string | string[] | undefined, protocol: 'http' | 'grpc'): string | undefined {
    if (this.#token === null) return undefined;
    const presented = bearerToken(authorization);
    if (tokenMatches(presented, this.#token)) return undefined;
    const message =
      presented === undefined
        ? 'this collector requires its ingest token: send the header "Authorization: Bearer <token>" ' +
          '(OTLP exporters: OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>); the collector prints the token at start'
        : 'the bearer token sent is not this collector\'s ingest token';
    this.#metrics.inc(PIPELINE_METRICS.requestsRefused, 1, { protocol, reason: 'unauthorized' satisfies RequestRefusalReason });
    this.#notices.every('warn', `unauthorized:${protocol}`, { protocol, reason: message }, `OTLP request without a valid ingest token refused (logged once a minute; all are counted in ${PIPELINE_METRICS.requestsRefused})`);
    return message;
  }
}

