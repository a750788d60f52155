import type { MetricsRegistry } from '../telemetry/metrics.js';
import { CONTAINER_ACTIONS } from './wire/event.js';

/**
 * Names of the Docker part's own metrics at /metrics. Labels stay low-cardinality: a
 * reason, a stream or a table, never a container id (containers come and go by thousands).
 */
export const DOCKER_METRICS = {
  connected: 'tracedock_docker_connected',
  sessions: 'tracedock_docker_sessions_total',
  invalidPayloads: 'tracedock_docker_invalid_payloads_total',
  apiErrors: 'tracedock_docker_api_errors_total',
  events: 'tracedock_docker_events_total',
  containersKnown: 'tracedock_docker_containers_known',
  containersEvicted: 'tracedock_docker_containers_evicted_total',
  rowsDropped: 'tracedock_docker_rows_dropped_total',
  logLines: 'tracedock_container_log_lines_total',
  logLinesDropped: 'tracedock_container_log_lines_dropped_total',
  logLinesTruncated: 'tracedock_container_log_lines_truncated_total',
  logStreams: 'tracedock_container_log_streams',
  logStreamsRefused: 'tracedock_container_log_streams_refused_total',
} as const;

/** Why a container log line was not stored. */
export type LogDropReason = 'rate_limited' | 'buffer_full' | 'queue_full' | 'shutting_down';
export const LOG_DROP_REASONS: readonly LogDropReason[] = ['rate_limited', 'buffer_full', 'queue_full', 'shutting_down'];

/** Tables the Docker part writes straight to the store (log lines go through the write queue). */
export type DockerTable = 'containers' | 'events' | 'samples';

/** Declares the counters so that /metrics shows them at 0 before anything happens. */
export function declareDockerMetrics(metrics: MetricsRegistry): void {
  const m = DOCKER_METRICS;
  for (const kind of ['list', 'inspect', 'event']) {
    metrics.counter(m.invalidPayloads, 'Docker API payloads of an unexpected shape, left out.', { kind });
  }
  for (const call of ['inspect', 'logs']) {
    metrics.counter(m.apiErrors, 'Docker API calls that failed (other than the daemon going away).', { call });
  }
  for (const action of CONTAINER_ACTIONS) metrics.counter(m.events, 'Container events recorded (inferred ones included).', { action });
  for (const reason of ['expired', 'capacity_dead', 'capacity_alive']) {
    metrics.counter(m.containersEvicted, 'Containers dropped from memory (retention window passed, or too many).', { reason });
  }
  for (const table of ['containers', 'events', 'samples']) {
    metrics.counter(m.rowsDropped, 'Container metadata, events and samples not stored (store error or full buffer).', { table });
  }
  for (const stream of ['stdout', 'stderr']) metrics.counter(m.logLines, 'Container log lines read.', { stream });
  for (const reason of LOG_DROP_REASONS) {
    metrics.counter(m.logLinesDropped, 'Container log lines read but not stored.', { reason });
  }
  metrics.counter(m.logLinesTruncated, 'Container log lines longer than containerLogMaxLineBytes, cut.');
  metrics.counter(m.logStreamsRefused, 'Containers whose logs were not followed (containerLogMaxStreams reached).');
}
