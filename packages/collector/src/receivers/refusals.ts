import type { Protocol } from '../pipeline/ingest.js';
import { PIPELINE_METRICS, type RequestRefusalReason } from '../pipeline/pipeline-metrics.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { Notices } from '../telemetry/notices.js';

/** The ingest guard (auth/ingest-guard.ts) counts and logs its own refusals. */
export type ReceiverRefusalReason = Exclude<RequestRefusalReason, 'unauthorized'>;

type Level = 'info' | 'warn' | 'error';

/**
 * A sender's mistake is news to whoever runs the sender (info); the collector at its limits
 * is news to whoever runs the collector (warn); a bug is an error.
 */
const LEVELS: Readonly<Record<ReceiverRefusalReason, Level>> = {
  not_found: 'info',
  method_not_allowed: 'info',
  unsupported_media_type: 'info',
  unsupported_content_encoding: 'info',
  too_large: 'info',
  bad_compression: 'info',
  invalid: 'info',
  too_many_requests: 'warn',
  queue_full: 'warn',
  shutting_down: 'info',
  internal_error: 'error',
};

const PROTOCOL_NAMES: Readonly<Record<Protocol, string>> = { http: 'OTLP/HTTP', grpc: 'OTLP/gRPC' };

/**
 * One receiver's refused requests: each is counted in tracedock_otlp_requests_refused_total
 * {protocol, reason}, and each reason logged when it first happens, then at most once a
 * minute (a misbehaving exporter retries forever; the count says how many there were).
 * @example
 * refusals.record('too_large', { status: 413, detail: 'the body is larger than 8388608 bytes' });
 */
export class RequestRefusals {
  readonly #protocol: Protocol;
  readonly #metrics: MetricsRegistry;
  readonly #notices: Notices;

  constructor(protocol: Protocol, metrics: MetricsRegistry, logger: Logger) {
    this.#protocol = protocol;
    this.#metrics = metrics;
    this.#notices = new Notices(logger);
  }

  /** `fields` say what the sender should know: the status answered, the detail, its address. */
  record(reason: ReceiverRefusalReason, fields: Record<string, unknown>): void {
    const protocol = this.#protocol;
    this.#metrics.inc(PIPELINE_METRICS.requestsRefused, 1, { protocol, reason });
    this.#notices.every(
      LEVELS[reason],
      `refused:${reason}`,
      { protocol, reason, ...fields },
      `${PROTOCOL_NAMES[protocol]} request refused: ${reason} (logged once a minute per reason; all are counted in ${PIPELINE_METRICS.requestsRefused})`,
    );
  }
}
