/**
 * The SDK's settings in one place: explicit options > environment (OpenTelemetry's OTEL_* names,
 * TRACEDOCK_* where OpenTelemetry has none) > defaults, each validated while merging so that a
 * bad value fails `start()` with a ConfigError naming the option or variable and its value.
 * The only file of the package that reads process.env.
 */
import type { InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import {
  ConfigError, attributeRecord, boolean, exporterEnabled, fromEnv, httpUrl, integer, list, nonEmptyString, oneOf, opt, parseKeyValues, pick, ratio,
  signalUrl, stringRecord, type Env,
} from './config-parse.js';
import { resolveMetrics } from './config-metrics.js';
import {
  DEFAULT_DISABLED_INSTRUMENTATIONS, INSTRUMENTATION_PREFIX, KNOWN_INSTRUMENTATIONS, METRICS_INSTRUMENTATIONS, type InstrumentationName,
} from './instrumentation-names.js';
import type { DiagLevelName, QueueOptions, ResolvedConfig, ResolvedQueue, TracedockOptions } from './options.js';

/** The collector beside the stack (packages/collector); in Compose, set OTEL_EXPORTER_OTLP_ENDPOINT=http://tracedock:4318. */
export const DEFAULT_ENDPOINT = 'http://localhost:4318';
/** One request to a collector that normally runs beside the service; at most the shutdown bound, so that a final attempt cannot keep an ending process alive past it. */
const DEFAULT_OTLP_TIMEOUT_MILLIS = 5_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;
/** OpenTelemetry's BSP/BLRP defaults, except the span delay: 1 s instead of 5 s so a request shows up while someone is looking. */
const SPAN_QUEUE_DEFAULTS: ResolvedQueue = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1_000, exportTimeoutMillis: 30_000 };
const LOG_QUEUE_DEFAULTS: ResolvedQueue = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1_000, exportTimeoutMillis: 30_000 };

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
const DIAG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
const OPTION_NAMES: ReadonlySet<string> = new Set<keyof TracedockOptions>([
  'serviceName', 'serviceVersion', 'endpoint', 'tracesEndpoint', 'logsEndpoint', 'metricsEndpoint', 'headers', 'otlpTimeoutMillis',
  'resourceAttributes', 'sampler', 'samplerRatio', 'propagators', 'exportTraces', 'exportLogs', 'exportMetrics', 'spanQueue', 'logQueue',
  'metricExportIntervalMillis', 'metricExportTimeoutMillis',
  'shutdownTimeoutMillis', 'handleSignals', 'expressLayers', 'enabledInstrumentations', 'disabledInstrumentations',
  'instrumentationConfig', 'detectContainer', 'diagLogLevel', 'disabled',
]);

function checkOptionNames(options: TracedockOptions): void {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, 'must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) throw new ConfigError(`options.${key}`, (options as Record<string, unknown>)[key], 'is not an option of start()');
  }
}

function resolveQueue(options: QueueOptions | undefined, optionName: string, env: Env, envPrefix: string, defaults: ResolvedQueue): ResolvedQueue {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new ConfigError(`options.${optionName}`, options, 'must be an object');
  const o = options ?? {};
  const queue: ResolvedQueue = {
    maxQueueSize: pick(integer(1), opt(`${optionName}.maxQueueSize`, o.maxQueueSize), fromEnv(env, `${envPrefix}_MAX_QUEUE_SIZE`), defaults.maxQueueSize),
    maxExportBatchSize: pick(integer(1), opt(`${optionName}.maxExportBatchSize`, o.maxExportBatchSize), fromEnv(env, `${envPrefix}_MAX_EXPORT_BATCH_SIZE`), defaults.maxExportBatchSize),
    scheduledDelayMillis: pick(integer(0), opt(`${optionName}.scheduledDelayMillis`, o.scheduledDelayMillis), fromEnv(env, `${envPrefix}_SCHEDULE_DELAY`), defaults.scheduledDelayMillis),
    exportTimeoutMillis: pick(integer(1), opt(`${optionName}.exportTimeoutMillis`, o.exportTimeoutMillis), fromEnv(env, `${envPrefix}_EXPORT_TIMEOUT`), defaults.exportTimeoutMillis),
  };
  if (queue.maxExportBatchSize > queue.maxQueueSize) {
    throw new ConfigError(`${optionName}.maxExportBatchSize (${envPrefix}_MAX_EXPORT_BATCH_SIZE)`, queue.maxExportBatchSize, `must not exceed maxQueueSize (${queue.maxQueueSize})`);
  }
  return queue;
}

/** OTLP/HTTP protobuf is the only transport this SDK ships; a request for another must not pass silently. */
function checkProtocols(env: Env): void {
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL']) {
    const raw = env[name]?.trim();
    if (raw !== undefined && raw !== '' && raw !== 'http/protobuf') throw new ConfigError(name, raw, '@tracedock/sdk exports http/protobuf only');
  }
}

function checkInstrumentationConfig(value: unknown): InstrumentationConfigMap {
  if (value === undefined) return {};
  const name = 'options.instrumentationConfig';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(name, value, 'must be an object');
  for (const [key, entry] of Object.entries(value)) {
    const short = key.startsWith(INSTRUMENTATION_PREFIX) ? key.slice(INSTRUMENTATION_PREFIX.length) : '';
    if (!(KNOWN_INSTRUMENTATIONS as readonly string[]).includes(short)) {
      throw new ConfigError(`${name}["${key}"]`, entry, 'names no instrumentation of @opentelemetry/auto-instrumentations-node');
    }
    if (typeof entry !== 'object' || entry === null) throw new ConfigError(`${name}["${key}"]`, entry, 'must be an object');
  }
  return value as InstrumentationConfigMap;
}

function resolveInstrumentations(options: TracedockOptions, env: Env, configMap: InstrumentationConfigMap, exportMetrics: boolean): ResolvedConfig['instrumentations'] {
  const names = list(KNOWN_INSTRUMENTATIONS);
  const allow = pick(names, opt('enabledInstrumentations', options.enabledInstrumentations), fromEnv(env, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS'), undefined);
  const deny = pick(names, opt('disabledInstrumentations', options.disabledInstrumentations), fromEnv(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS'), []);
  // As in OpenTelemetry: an allow-list replaces the defaults, the deny-list applies after it, and
  // an explicit `enabled` in an instrumentation's own config decides last. The runtime metrics'
  // instrumentation is a default only while metrics are exported: without a reader it samples for nothing.
  const offByDefault: readonly string[] = exportMetrics ? DEFAULT_DISABLED_INSTRUMENTATIONS : [...DEFAULT_DISABLED_INSTRUMENTATIONS, ...METRICS_INSTRUMENTATIONS];
  const isEnabled = (name: InstrumentationName): boolean => {
    const explicit = (configMap[`${INSTRUMENTATION_PREFIX}${name}` as keyof InstrumentationConfigMap] as { enabled?: unknown } | undefined)?.enabled;
    if (typeof explicit === 'boolean') return explicit;
    if (deny.includes(name)) return false;
    return allow === undefined ? !offByDefault.includes(name) : allow.includes(name);
  };
  const enabled = KNOWN_INSTRUMENTATIONS.filter(isEnabled);
  return { enabled, disabled: KNOWN_INSTRUMENTATIONS.filter((name) => !enabled.includes(name)) };
}

function resolveResourceAttributes(options: TracedockOptions, env: Env): ResolvedConfig['resourceAttributes'] {
  const fromEnvVar = env.OTEL_RESOURCE_ATTRIBUTES === undefined ? {} : parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES');
  const explicit = options.resourceAttributes === undefined ? {} : attributeRecord(options.resourceAttributes, 'options.resourceAttributes');
  return { ...fromEnvVar, ...explicit };
}

/** Merges and validates; throws ConfigError naming the first bad setting. */
export function resolveConfig(options: TracedockOptions = {}, env: Env = process.env): ResolvedConfig {
  checkOptionNames(options);
  checkProtocols(env);
  const resourceAttributes = resolveResourceAttributes(options, env);
  const envServiceName = env.OTEL_SERVICE_NAME?.trim() || undefined;
  const serviceName =
    options.serviceName !== undefined
      ? nonEmptyString.check(options.serviceName, 'options.serviceName')
      : (options.resourceAttributes?.['service.name']?.toString() ?? envServiceName ?? resourceAttributes['service.name']?.toString());
  const endpoint = pick(httpUrl, opt('endpoint', options.endpoint), fromEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'), DEFAULT_ENDPOINT);
  const exportTraces = exporterEnabled(opt('exportTraces', options.exportTraces), fromEnv(env, 'OTEL_TRACES_EXPORTER'));
  const exportLogs = exporterEnabled(opt('exportLogs', options.exportLogs), fromEnv(env, 'OTEL_LOGS_EXPORTER'));
  const metrics = resolveMetrics(options, env, endpoint);
  const spanQueue = resolveQueue(options.spanQueue, 'spanQueue', env, 'OTEL_BSP', SPAN_QUEUE_DEFAULTS);
  const logQueue = resolveQueue(options.logQueue, 'logQueue', env, 'OTEL_BLRP', LOG_QUEUE_DEFAULTS);
  const otlpTimeoutMillis = pick(integer(1), opt('otlpTimeoutMillis', options.otlpTimeoutMillis), fromEnv(env, 'OTEL_EXPORTER_OTLP_TIMEOUT'), DEFAULT_OTLP_TIMEOUT_MILLIS);
  for (const [name, queue] of [['spanQueue', spanQueue], ['logQueue', logQueue]] as const) {
    // One request must fit in a batch's budget, or no attempt could ever finish inside it.
    if (otlpTimeoutMillis > queue.exportTimeoutMillis) {
      throw new ConfigError('otlpTimeoutMillis (OTEL_EXPORTER_OTLP_TIMEOUT)', otlpTimeoutMillis, `must not exceed ${name}.exportTimeoutMillis (${queue.exportTimeoutMillis})`);
    }
  }
  const headersFromEnv = env.OTEL_EXPORTER_OTLP_HEADERS === undefined ? {} : parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS');
  const headers = options.headers === undefined ? headersFromEnv : stringRecord(options.headers, 'options.headers');
  const diagLogLevel: DiagLevelName | undefined = pick(oneOf(DIAG_LEVELS), opt('diagLogLevel', options.diagLogLevel), fromEnv(env, 'OTEL_LOG_LEVEL'), undefined);
  const instrumentationConfig = checkInstrumentationConfig(options.instrumentationConfig);

  return {
    disabled: pick(boolean, opt('disabled', options.disabled), fromEnv(env, 'OTEL_SDK_DISABLED'), false),
    serviceName,
    serviceVersion: pick(nonEmptyString, opt('serviceVersion', options.serviceVersion), fromEnv(env, 'TRACEDOCK_SERVICE_VERSION'), undefined),
    resourceAttributes,
    tracesUrl: !exportTraces ? null : signalUrl(opt('tracesEndpoint', options.tracesEndpoint), 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', endpoint, 'v1/traces', env),
    logsUrl: !exportLogs ? null : signalUrl(opt('logsEndpoint', options.logsEndpoint), 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', endpoint, 'v1/logs', env),
    metrics,
    headers,
    otlpTimeoutMillis,
    sampler: pick(oneOf(SAMPLERS), opt('sampler', options.sampler), fromEnv(env, 'OTEL_TRACES_SAMPLER'), 'parentbased_always_on'),
    samplerRatio: pick(ratio, opt('samplerRatio', options.samplerRatio), fromEnv(env, 'OTEL_TRACES_SAMPLER_ARG'), 1),
    propagators: resolvePropagators(options, env),
    spanQueue,
    logQueue,
    shutdownTimeoutMillis: pick(integer(1), opt('shutdownTimeoutMillis', options.shutdownTimeoutMillis), fromEnv(env, 'TRACEDOCK_SHUTDOWN_TIMEOUT_MILLIS'), DEFAULT_SHUTDOWN_TIMEOUT_MILLIS),
    handleSignals: pick(boolean, opt('handleSignals', options.handleSignals), fromEnv(env, 'TRACEDOCK_HANDLE_SIGNALS'), true),
    expressLayers: pick(oneOf(['none', 'handlers', 'all'] as const), opt('expressLayers', options.expressLayers), fromEnv(env, 'TRACEDOCK_EXPRESS_LAYERS'), 'none'),
    instrumentations: resolveInstrumentations(options, env, instrumentationConfig, metrics !== null),
    instrumentationConfig,
    detectContainer: pick(boolean, opt('detectContainer', options.detectContainer), fromEnv(env, 'TRACEDOCK_DETECT_CONTAINER'), true),
    diagLogLevel,
  };
}

function resolvePropagators(options: TracedockOptions, env: Env): ResolvedConfig['propagators'] {
  const names = pick(list(['tracecontext', 'baggage', 'none']), opt('propagators', options.propagators), fromEnv(env, 'OTEL_PROPAGATORS'), ['tracecontext', 'baggage']);
  return names.filter((name): name is 'tracecontext' | 'baggage' => name !== 'none');
}
