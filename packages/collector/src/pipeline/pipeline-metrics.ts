import type { MetricsRegistry } from '../telemetry/metrics.js';

/**
 * Names of the pipeline's counters. For each signal, at any moment:
 *   received = stored + deduplicated + dropped + queue depth
 * `rejected` (invalid records, reported as OTLP partial success) and `refused` (requests
 * pushed back with 429 / RESOURCE_EXHAUSTED / 503) never entered the queue. Every OTLP request
 * answered with an error, whatever the cause, is one tracedock_otlp_requests_refused_total.
 */
export const PIPELINE_METRICS = {
  spansReceived: 'tracedock_spans_received_total',
  logsReceived: 'tracedock_log_records_received_total',
  metricPointsReceived: 'tracedock_metric_points_received_total',
  rowsStored: 'tracedock_rows_stored_total',
  rowsRejected: 'tracedock_rows_rejected_total',
  rowsRefused: 'tracedock_rows_refused_total',
  rowsDropped: 'tracedock_rows_dropped_total',
  rowsDeduplicated: 'tracedock_rows_deduplicated_total',
  requestsRefused: 'tracedock_otlp_requests_refused_total',
  queueDepth: 'tracedock_queue_depth_rows',
  queueCapacity: 'tracedock_queue_capacity_rows',
  queueBytes: 'tracedock_queue_depth_bytes',
  queueCapacityBytes: 'tracedock_queue_capacity_bytes',
} as const;

/**
 * The `reason` label of tracedock_otlp_requests_refused_total: one stable name per cause,
 * the same on both protocols (the HTTP status or gRPC code each gets is in the receivers).
 */
export const REQUEST_REFUSAL_REASONS = [
  'not_found',
  'method_not_allowed',
  'unsupported_media_type',
  'unsupported_content_encoding',
  'unauthorized',
  'too_large',
  'bad_compression',
  'invalid',
  'too_many_requests',
  'queue_full',
  'shutting_down',
  'internal_error',
] as const;

export type RequestRefusalReason = (typeof REQUEST_REFUSAL_REASONS)[number];

const HELP = {
  spansReceived: 'Spans accepted into the write queue.',
  logsReceived: 'Log records accepted into the write queue.',
  metricPointsReceived: 'OTLP metric data points accepted into the write queue.',
  rowsStored: 'Rows written to the store.',
  rowsRejected: 'Invalid records left out of an export (OTLP partial success).',
  rowsRefused: 'Rows of requests pushed back because the queue was full or closing.',
  rowsDropped: 'Rows accepted but never stored.',
  rowsDeduplicated: 'Rows accepted and not stored because the same span, or the same log record over OTLP, was stored.',
  requestsRefused:
    'OTLP requests answered with an error, by protocol and reason: not_found (unknown path or gRPC method), ' +
    'method_not_allowed, unsupported_media_type (Content-Type), unsupported_content_encoding (Content-Encoding or grpc-encoding), ' +
    'unauthorized (no valid ingest token), too_large (over the body limit, inflated size included, or more rows than the queue holds), ' +
    'bad_compression (corrupt gzip/deflate), invalid (undecodable OTLP), too_many_requests (maxConcurrentRequests in flight), ' +
    'queue_full, shutting_down, internal_error.',
} as const;

/** Declares the counters so that /metrics shows them at 0 before anything happens. */
export function declarePipelineMetrics(metrics: MetricsRegistry): void {
  const m = PIPELINE_METRICS;
  for (const protocol of ['http', 'grpc']) {
    metrics.counter(m.spansReceived, HELP.spansReceived, { protocol });
    metrics.counter(m.logsReceived, HELP.logsReceived, { protocol });
    metrics.counter(m.metricPointsReceived, HELP.metricPointsReceived, { protocol });
  }
  for (const signal of ['spans', 'logs', 'metrics']) {
    metrics.counter(m.rowsStored, HELP.rowsStored, { signal });
    metrics.counter(m.rowsRejected, HELP.rowsRejected, { signal });
    metrics.counter(m.rowsRefused, HELP.rowsRefused, { signal, reason: 'full' });
    metrics.counter(m.rowsDropped, HELP.rowsDropped, { signal, reason: 'store_error' });
    metrics.counter(m.rowsDeduplicated, HELP.rowsDeduplicated, { signal });
  }
  for (const protocol of ['http', 'grpc']) {
    for (const reason of REQUEST_REFUSAL_REASONS) metrics.counter(m.requestsRefused, HELP.requestsRefused, { protocol, reason });
  }
}
