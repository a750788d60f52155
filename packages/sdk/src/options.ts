/**
 * What a service may pass to `start()`, and the resolved, validated form the SDK runs on.
 * Every option also has an environment variable (OpenTelemetry's names where one exists);
 * config.ts merges them: explicit option > environment > default.
 */
import type { InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import type { InstrumentationName } from './instrumentation-names.js';

export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export type PropagatorName = 'tracecontext' | 'baggage';

/** Which Express router layers get a span of their own (the request's server span always has the route). */
export type ExpressLayers = 'none' | 'handlers' | 'all';

export type DiagLevelName = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

export type ResourceAttributeValue = string | number | boolean;

/** The bounded queue in front of one exporter (OTEL_BSP_* for spans, OTEL_BLRP_* for logs). */
export interface QueueOptions {
  /** Records held while the collector is slow or down; beyond it new records are dropped and counted. */
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  /** Budget for one batch, retries with backoff included; after it the batch is dropped and counted. */
  exportTimeoutMillis?: number;
}

export interface TracedockOptions {
  /** `service.name`; default: OTEL_SERVICE_NAME, then the `name` in the app's package.json. */
  serviceName?: string;
  /** `service.version`; default: the `version` in the app's package.json. */
  serviceVersion?: string;
  /** OTLP/HTTP base URL; `/v1/traces`, `/v1/logs` and `/v1/metrics` are appended. Default http://localhost:4318. */
  endpoint?: string;
  /** Full URL for spans (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); overrides `endpoint` for traces. */
  tracesEndpoint?: string;
  /** Full URL for logs (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT); overrides `endpoint` for logs. */
  logsEndpoint?: string;
  /** Full URL for metrics (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT); overrides `endpoint` for metrics. */
  metricsEndpoint?: string;
  headers?: Record<string, string>;
  /** Per-request timeout of one OTLP/HTTP call. */
  otlpTimeoutMillis?: number;
  /** Merged over OTEL_RESOURCE_ATTRIBUTES; a `container.id` here turns detection off. */
  resourceAttributes?: Record<string, ResourceAttributeValue>;
  sampler?: SamplerName;
  /** Ratio in [0, 1] for the `*traceidratio` samplers. */
  samplerRatio?: number;
  propagators?: PropagatorName[];
  /** Export spans (OTEL_TRACES_EXPORTER=otlp|none). Spans are still created for propagation and log correlation. */
  exportTraces?: boolean;
  /** Export pino log records as OTLP logs (OTEL_LOGS_EXPORTER=otlp|none). */
  exportLogs?: boolean;
  /** Export the Node runtime and process metrics (OTEL_METRICS_EXPORTER=otlp|none); `false` also stops sampling them. */
  exportMetrics?: boolean;
  /** How often metrics are collected and sent (OTEL_METRIC_EXPORT_INTERVAL); default 10000. */
  metricExportIntervalMillis?: number;
  /** Bound on one collection and its export (OTEL_METRIC_EXPORT_TIMEOUT); at most the interval. Default: the interval, at most 30000. */
  metricExportTimeoutMillis?: number;
  spanQueue?: QueueOptions;
  logQueue?: QueueOptions;
  /** Upper bound on shutdown(): flushing spans, logs and the last metrics stops after it. */
  shutdownTimeoutMillis?: number;
  /** Flush on SIGTERM/SIGINT, then let the signal's default action (or the app's own handler) proceed. */
  handleSignals?: boolean;
  expressLayers?: ExpressLayers;
  /** Short names (`http`, `express`, `pg` ...) to enable on top of the defaults (OTEL_NODE_ENABLED_INSTRUMENTATIONS). */
  enabledInstrumentations?: string[];
  /** Short names to turn off (OTEL_NODE_DISABLED_INSTRUMENTATIONS). */
  disabledInstrumentations?: string[];
  /** Passed to the named instrumentations of @opentelemetry/auto-instrumentations-node. */
  instrumentationConfig?: InstrumentationConfigMap;
  /** Read /proc/self/cgroup and /proc/self/mountinfo for `container.id`. */
  detectContainer?: boolean;
  /** OpenTelemetry's own diagnostics on stderr (OTEL_LOG_LEVEL). */
  diagLogLevel?: DiagLevelName;
  /** Do nothing at all (OTEL_SDK_DISABLED=true). */
  disabled?: boolean;
}

export interface ResolvedQueue {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

export interface ResolvedMetrics {
  url: string;
  intervalMillis: number;
  exportTimeoutMillis: number;
}

export interface ResolvedConfig {
  disabled: boolean;
  /** undefined: derived from the app's package.json (resource.ts). */
  serviceName: string | undefined;
  serviceVersion: string | undefined;
  resourceAttributes: Record<string, ResourceAttributeValue>;
  /** null: that signal is not exported. */
  tracesUrl: string | null;
  logsUrl: string | null;
  /** null: metrics are not exported (and the runtime metrics not sampled). */
  metrics: ResolvedMetrics | null;
  headers: Record<string, string>;
  otlpTimeoutMillis: number;
  sampler: SamplerName;
  samplerRatio: number;
  propagators: PropagatorName[];
  spanQueue: ResolvedQueue;
  logQueue: ResolvedQueue;
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
  expressLayers: ExpressLayers;
  /** Short names, after defaults, env and options were applied. */
  instrumentations: { enabled: InstrumentationName[]; disabled: InstrumentationName[] };
  instrumentationConfig: InstrumentationConfigMap;
  detectContainer: boolean;
  diagLogLevel: DiagLevelName | undefined;
}
