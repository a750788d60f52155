import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config-parse.ts';
import { resolveConfig } from '../src/config.ts';
import { configError } from './support/config-error.ts';

/**
 * The metrics settings: on by default every 10 s to endpoint + /v1/metrics, off with
 * OTEL_METRICS_EXPORTER=none or `exportMetrics: false` (which also stops sampling the runtime),
 * and a bad interval or timeout fails start-up naming the setting.
 */

describe('metrics config: defaults', () => {
  it('exports to the collector every 10 s with the runtime metrics on', () => {
    const config = resolveConfig({}, {});
    expect(config.metrics).toEqual({ url: 'http://localhost:4318/v1/metrics', intervalMillis: 10_000, exportTimeoutMillis: 10_000 });
    expect(config.instrumentations.enabled).toContain('runtime-node');
    expect(config.instrumentations.disabled).toContain('host-metrics');
  });

  it('follows the base endpoint, and takes the metrics endpoint as a full URL', () => {
    expect(resolveConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tracedock:4318/' }).metrics?.url).toBe('http://tracedock:4318/v1/metrics');
    expect(resolveConfig({}, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:1/custom' }).metrics?.url).toBe('http://m:1/custom');
    expect(resolveConfig({ metricsEndpoint: 'http://o:2/x' }, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:1/custom' }).metrics?.url).toBe('http://o:2/x');
  });
});

describe('metrics config: on and off', () => {
  it('OTEL_METRICS_EXPORTER=none turns metrics and the runtime sampling off', () => {
    const config = resolveConfig({}, { OTEL_METRICS_EXPORTER: 'none' });
    expect(config.metrics).toBeNull();
    expect(config.instrumentations.enabled).not.toContain('runtime-node');
    // The other signals are untouched.
    expect(config.tracesUrl).toBe('http://localhost:4318/v1/traces');
  });

  it('the option beats the environment either way', () => {
    expect(resolveConfig({ exportMetrics: false }, {}).metrics).toBeNull();
    expect(resolveConfig({ exportMetrics: true }, { OTEL_METRICS_EXPORTER: 'none' }).metrics).not.toBeNull();
    expect(resolveConfig({}, { OTEL_METRICS_EXPORTER: 'OTLP' }).metrics).not.toBeNull();
  });

  it('runtime-node follows the instrumentation lists like any other', () => {
    expect(resolveConfig({}, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'runtime-node' }).instrumentations.enabled).not.toContain('runtime-node');
    expect(resolveConfig({}, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,runtime-node' }).instrumentations.enabled).toEqual(['http', 'runtime-node']);
    // An allow-list replaces the defaults, as in OpenTelemetry.
    expect(resolveConfig({}, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' }).instrumentations.enabled).toEqual(['http']);
  });
});

describe('metrics config: interval and timeout', () => {
  it('parses OTEL_METRIC_EXPORT_INTERVAL and OTEL_METRIC_EXPORT_TIMEOUT in milliseconds', () => {
    expect(resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '2500' }).metrics).toMatchObject({ intervalMillis: 2500, exportTimeoutMillis: 2500 });
    expect(resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '60000' }).metrics).toMatchObject({ intervalMillis: 60_000, exportTimeoutMillis: 30_000 });
    expect(resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: ' 5000 ', OTEL_METRIC_EXPORT_TIMEOUT: '1000' }).metrics).toMatchObject({ intervalMillis: 5000, exportTimeoutMillis: 1000 });
    expect(resolveConfig({ metricExportIntervalMillis: 750 }, { OTEL_METRIC_EXPORT_INTERVAL: '5000' }).metrics?.intervalMillis).toBe(750);
    expect(resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '' }).metrics?.intervalMillis).toBe(10_000);
  });

  const cases: Array<[string, () => unknown, string, unknown]> = [
    ['interval not a number', () => resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '10s' }), 'OTEL_METRIC_EXPORT_INTERVAL', '10s'],
    ['interval zero', () => resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '0' }), 'OTEL_METRIC_EXPORT_INTERVAL', 0],
    ['interval fractional', () => resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '1.5' }), 'OTEL_METRIC_EXPORT_INTERVAL', '1.5'],
    ['interval option', () => resolveConfig({ metricExportIntervalMillis: -1 }, {}), 'options.metricExportIntervalMillis', -1],
    ['timeout not a number', () => resolveConfig({}, { OTEL_METRIC_EXPORT_TIMEOUT: 'soon' }), 'OTEL_METRIC_EXPORT_TIMEOUT', 'soon'],
    ['timeout beyond the interval', () => resolveConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' }), 'OTEL_METRIC_EXPORT_TIMEOUT', 5000],
    ['exporter name', () => resolveConfig({}, { OTEL_METRICS_EXPORTER: 'prometheus' }), 'OTEL_METRICS_EXPORTER', 'prometheus'],
    ['exporter option', () => resolveConfig({ exportMetrics: 'no' } as never, {}), 'options.exportMetrics', 'no'],
    ['protocol', () => resolveConfig({}, { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc' }), 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'grpc'],
    ['temporality', () => resolveConfig({}, { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' }), 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'delta'],
    ['metrics endpoint', () => resolveConfig({}, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'collector:4318' }), 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'collector:4318'],
  ];

  it.each(cases)('%s throws a ConfigError naming it', (_label, run, setting, value) => {
    const error = configError(run);
    expect(error.setting).toContain(setting);
    expect(error.message).toMatch(/^@tracedock\/sdk: invalid /);
    expect(error.message).toContain(setting);
    expect(error.value).toBe(value);
  });

  it('ignores a bad interval when metrics are off (nothing would use it)', () => {
    expect(resolveConfig({}, { OTEL_METRICS_EXPORTER: 'none', OTEL_METRIC_EXPORT_INTERVAL: 'soon' }).metrics).toBeNull();
  });
});
