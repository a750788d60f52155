import { describe, expect, it } from 'vitest';
import { ConfigError } from '../packages/sdk/src/config-parse.ts';
import { DEFAULT_ENDPOINT, resolveConfig } from '../packages/sdk/src/config.ts';
import type { TracedockOptions } from '../packages/sdk/src/options.ts';
import { configError } from '../packages/sdk/test/support/config-error.ts';

/**
 * The SDK's settings: explicit options beat OTEL_* environment variables beat defaults, and an
 * invalid value fails at start with a ConfigError naming the option or variable and the value.
 */

describe('resolveConfig: defaults', () => {
  it('sends protobuf to the collector on localhost:4318 with bounded queues and low-noise instrumentation', () => {
    const config = resolveConfig({}, {});
    expect(DEFAULT_ENDPOINT).toBe('http://localhost:4318');
    expect(config.tracesUrl).toBe('http://localhost:4318/v1/traces');
    expect(config.logsUrl).toBe('http://localhost:4318/v1/logs');
    expect(config.spanQueue).toEqual({ maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000, exportTimeoutMillis: 30000 });
    expect(config.sampler).toBe('parentbased_always_on');
    expect(config.propagators).toEqual(['tracecontext', 'baggage']);
    expect(config.expressLayers).toBe('none');
    expect(config.handleSignals).toBe(true);
    expect(config.serviceName).toBeUndefined();
    for (const noisy of ['fs', 'dns', 'net', 'router']) expect(config.instrumentations.disabled).toContain(noisy);
    for (const wanted of ['http', 'express', 'undici', 'pino', 'pg', 'mysql2', 'mongodb', 'ioredis', 'redis', 'amqplib', 'kafkajs']) {
      expect(config.instrumentations.enabled).toContain(wanted);
    }
  });
});

describe('resolveConfig: options > env > defaults', () => {
  const env = {
    OTEL_SERVICE_NAME: 'from-env',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,team=a%2Cb',
    OTEL_TRACES_SAMPLER: 'traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.25',
    OTEL_BSP_MAX_QUEUE_SIZE: '100',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-token=abc',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg, mysql',
  };

  it('takes the environment over defaults', () => {
    const config = resolveConfig({}, env);
    expect(config.serviceName).toBe('from-env');
    expect(config.tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(config.resourceAttributes).toEqual({ 'deployment.environment.name': 'staging', team: 'a,b' });
    expect(config.sampler).toBe('traceidratio');
    expect(config.samplerRatio).toBe(0.25);
    expect(config.spanQueue.maxQueueSize).toBe(100);
    expect(config.headers).toEqual({ 'x-token': 'abc' });
    expect(config.instrumentations.disabled).toEqual(expect.arrayContaining(['pg', 'mysql']));
  });

  it('takes explicit options over the environment', () => {
    const options: TracedockOptions = {
      serviceName: 'orders',
      endpoint: 'http://127.0.0.1:9999',
      resourceAttributes: { team: 'b' },
      samplerRatio: 0.5,
      spanQueue: { maxQueueSize: 10, maxExportBatchSize: 5 },
      headers: {},
      disabledInstrumentations: [],
    };
    const config = resolveConfig(options, env);
    expect(config.serviceName).toBe('orders');
    expect(config.tracesUrl).toBe('http://127.0.0.1:9999/v1/traces');
    expect(config.resourceAttributes).toEqual({ 'deployment.environment.name': 'staging', team: 'b' });
    expect(config.samplerRatio).toBe(0.5);
    expect(config.spanQueue.maxQueueSize).toBe(10);
    expect(config.headers).toEqual({});
    expect(config.instrumentations.enabled).toEqual(expect.arrayContaining(['pg', 'mysql']));
  });

  it('follows OpenTelemetry for the service name: OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES', () => {
    expect(resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=a' }).serviceName).toBe('a');
    expect(resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=a', OTEL_SERVICE_NAME: 'b' }).serviceName).toBe('b');
    expect(resolveConfig({ resourceAttributes: { 'service.name': 'c' } }, { OTEL_SERVICE_NAME: 'b' }).serviceName).toBe('c');
  });

  it('uses signal-specific endpoints as full URLs, and "none" turns a signal off', () => {
    const config = resolveConfig({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:1/custom', OTEL_LOGS_EXPORTER: 'none' });
    expect(config.tracesUrl).toBe('http://t:1/custom');
    expect(config.logsUrl).toBeNull();
    expect(resolveConfig({ exportTraces: false }, {}).tracesUrl).toBeNull();
  });

  it('treats an allow-list as OpenTelemetry does, and an explicit `enabled` in an instrumentation config last', () => {
    const allow = resolveConfig({}, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express' });
    expect(allow.instrumentations.enabled).toEqual(['express', 'http']);
    const withDns = resolveConfig({ instrumentationConfig: { '@opentelemetry/instrumentation-dns': { enabled: true } } }, {});
    expect(withDns.instrumentations.enabled).toContain('dns');
  });

  it('ignores blank environment values', () => {
    expect(resolveConfig({}, { OTEL_BSP_MAX_QUEUE_SIZE: '  ' }).spanQueue.maxQueueSize).toBe(2048);
  });
});

describe('resolveConfig: invalid values throw naming the setting', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['env integer', () => resolveConfig({}, { OTEL_BSP_MAX_QUEUE_SIZE: 'lots' }), 'OTEL_BSP_MAX_QUEUE_SIZE'],
    ['option integer', () => resolveConfig({ spanQueue: { maxQueueSize: 0 } }, {}), 'options.spanQueue.maxQueueSize'],
    ['ratio', () => resolveConfig({}, { OTEL_TRACES_SAMPLER_ARG: '1.5' }), 'OTEL_TRACES_SAMPLER_ARG'],
    ['sampler', () => resolveConfig({}, { OTEL_TRACES_SAMPLER: 'sometimes' }), 'OTEL_TRACES_SAMPLER'],
    ['endpoint', () => resolveConfig({ endpoint: 'collector:4318' }, {}), 'options.endpoint'],
    ['protocol', () => resolveConfig({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    ['resource attributes', () => resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'novalue' }), 'OTEL_RESOURCE_ATTRIBUTES'],
    ['instrumentation name', () => resolveConfig({}, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,expres' }), 'OTEL_NODE_ENABLED_INSTRUMENTATIONS'],
    ['instrumentation config key', () => resolveConfig({ instrumentationConfig: { nope: {} } as never }, {}), 'options.instrumentationConfig["nope"]'],
    ['unknown option', () => resolveConfig({ servicename: 'x' } as never, {}), 'options.servicename'],
    ['batch larger than queue', () => resolveConfig({}, { OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' }), 'spanQueue.maxExportBatchSize'],
    ['request timeout beyond the batch budget', () => resolveConfig({ otlpTimeoutMillis: 60_000 }, {}), 'otlpTimeoutMillis'],
    ['boolean', () => resolveConfig({}, { OTEL_SDK_DISABLED: 'yes' }), 'OTEL_SDK_DISABLED'],
    ['service name', () => resolveConfig({ serviceName: '' }, {}), 'options.serviceName'],
    ['exporter option', () => resolveConfig({ exportTraces: 'yes' } as never, {}), 'options.exportTraces'],
    ['exporter name', () => resolveConfig({}, { OTEL_TRACES_EXPORTER: 'zipkin' }), 'OTEL_TRACES_EXPORTER'],
  ];

  it.each(cases)('%s', (_label, run, setting) => {
    const error = configError(run);
    expect(error.setting).toContain(setting);
    expect(error.message).toContain(setting);
    expect(error.message).toMatch(/^@tracedock\/sdk: invalid /);
  });
});
