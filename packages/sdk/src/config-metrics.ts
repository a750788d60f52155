/**
 * The metrics part of the SDK's settings (config.ts merges the rest): whether metrics are exported
 * (OTEL_METRICS_EXPORTER), where to (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT), and how often
 * (OTEL_METRIC_EXPORT_INTERVAL / OTEL_METRIC_EXPORT_TIMEOUT). Reads only the env it is given.
 */
import { ConfigError, exporterEnabled, fromEnv, integer, opt, pick, signalUrl, type Env } from './config-parse.js';
import type { ResolvedMetrics, TracedockOptions } from './options.js';

/**
 * 10 s, not OpenTelemetry's 60 s: tracedock is looked at while something is being debugged, and a
 * minute-old event-loop delay or heap size says little about the request that just failed. One
 * collection with its export (~75 data points, ~7.5 kB) measured ~1.5 ms of CPU on a 2-core VM:
 * every 10 s that is ~0.015% of a core (bench/sdk-overhead.mjs measures the whole metrics cost).
 */
export const DEFAULT_METRIC_EXPORT_INTERVAL_MILLIS = 10_000;
/** OpenTelemetry's default; clamped to the interval when only the interval is set, as the reader itself does. */
const DEFAULT_METRIC_EXPORT_TIMEOUT_MILLIS = 30_000;

/** OTLP/HTTP's default and the only one this SDK sends: totals survive a lost export, the next one carries them. */
function checkTemporality(env: Env): void {
  const name = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';
  const raw = env[name]?.trim();
  if (raw !== undefined && raw !== '' && raw.toLowerCase() !== 'cumulative') {
    throw new ConfigError(name, raw, '@tracedock/sdk exports cumulative metrics only');
  }
}

/** null when metrics are not exported (`exportMetrics: false` or OTEL_METRICS_EXPORTER=none). */
export function resolveMetrics(options: TracedockOptions, env: Env, endpoint: string): ResolvedMetrics | null {
  if (!exporterEnabled(opt('exportMetrics', options.exportMetrics), fromEnv(env, 'OTEL_METRICS_EXPORTER'))) return null;
  checkTemporality(env);
  const intervalMillis = pick(integer(1), opt('metricExportIntervalMillis', options.metricExportIntervalMillis), fromEnv(env, 'OTEL_METRIC_EXPORT_INTERVAL'), DEFAULT_METRIC_EXPORT_INTERVAL_MILLIS);
  const explicitTimeout = pick(integer(1), opt('metricExportTimeoutMillis', options.metricExportTimeoutMillis), fromEnv(env, 'OTEL_METRIC_EXPORT_TIMEOUT'), undefined);
  // An export that may outlast the interval would overlap the next collection; the reader refuses it.
  if (explicitTimeout !== undefined && explicitTimeout > intervalMillis) {
    throw new ConfigError('metricExportTimeoutMillis (OTEL_METRIC_EXPORT_TIMEOUT)', explicitTimeout, `must not exceed the export interval (${intervalMillis} ms)`);
  }
  return {
    url: signalUrl(opt('metricsEndpoint', options.metricsEndpoint), 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', endpoint, 'v1/metrics', env),
    intervalMillis,
    exportTimeoutMillis: explicitTimeout ?? Math.min(DEFAULT_METRIC_EXPORT_TIMEOUT_MILLIS, intervalMillis),
  };
}
