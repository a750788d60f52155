import type { Attributes, ContainerSampleRow, LogSource, MetricDistribution, MetricTemporality, MetricType } from '../model/rows.js';
import type { ServiceMapEdge, ServiceSummary } from '../store/Store.js';

/**
 * The query API's contract, written once: the JSON body of every response under /api. The
 * collector fills these types (format.ts, format-metrics.ts, routes/); the UI's decoders
 * (packages/ui/src/api/wire.ts) are typed against them through a TypeScript project
 * reference, so a field renamed or retyped on either side fails `tsc --build`. Types and the
 * name lists behind their unions only, and type imports of model/rows.ts and store/Store.ts
 * (which import nothing else): the UI bundles this file, so it must not need Node.
 *
 * Units, once for all responses:
 * - `...Ns`: ns since the epoch as a decimal string (a JSON number cannot hold it exactly);
 * - `durationMs`, `p50Ms`...: ms as a number with sub-ms digits (2.5 = 2 ms 500 µs);
 * - `t`, `startT` (samples, container events, metric points): ms since the epoch as a number,
 *   ready for chart axes (exact to the ms; sub-ms digits are approximate at epoch magnitudes);
 * - `startedAt`: RFC 3339 with ms precision, for display; `startedAtNs` is the exact time.
 * Span kind and status code are OpenTelemetry's enum names without prefix, as Jaeger and the
 * OTel collector's debug output show them: kind "SERVER", status code "ERROR".
 * Every field is always present unless marked `?`: "none" is null, [] or '' as stated.
 * Growth: responses may gain fields (the UI ignores keys it does not know); renaming or
 * removing one is a breaking change for every UI built against this file.
 */

/** OTLP SpanKind by number. */
export const SPAN_KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

/** OTLP StatusCode by number. */
export const STATUS_CODE_NAMES = ['UNSET', 'OK', 'ERROR'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];

/** Where a log record came from (`satisfies`, and formatLog's assignment, hold it to model/rows.ts). */
export const LOG_SOURCES = ['otlp', 'stdout', 'stderr'] as const satisfies readonly LogSource[];
export type WireLogSource = (typeof LOG_SOURCES)[number];

/** The OTLP metric data kinds and temporalities, held to model/rows.ts the same way. */
export const METRIC_TYPES = ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'] as const satisfies readonly MetricType[];
export const METRIC_TEMPORALITIES = ['unspecified', 'delta', 'cumulative'] as const satisfies readonly MetricTemporality[];
export type WireMetricType = (typeof METRIC_TYPES)[number];
export type WireMetricTemporality = (typeof METRIC_TEMPORALITIES)[number];

/** Attribute values: any JSON value (OTLP AnyValue decoded); int64 beyond 2^53 as decimal strings. */
export type WireAttributes = Attributes;

export interface WireSpan {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: SpanKindName;
  startNs: string;
  endNs: string;
  durationMs: number;
  status: { code: StatusCodeName; message: string };
  attributes: WireAttributes;
  events: { timeNs: string; name: string; attributes: WireAttributes }[];
  links: { traceId: string; spanId: string; traceState: string; attributes: WireAttributes }[];
  resource: WireAttributes;
  /** The W3C tracestate the span was sent with ('' when none). */
  traceState: string;
  /** The instrumentation scope that made the span (e.g. @opentelemetry/instrumentation-http and its version); '' when not sent. */
  scope: { name: string; version: string };
  /** The container the span ran in; null where none matched (never a guess). */
  containerId: string | null;
}

export interface WireLog {
  timeNs: string;
  observedTimeNs: string;
  traceId: string | null;
  spanId: string | null;
  /** OTLP SeverityNumber 0..24 (0: unspecified, as container stdout lines have). */
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: WireAttributes;
  resource: WireAttributes;
  service: string;
  /** The instrumentation scope (logger) that emitted the record; '' when not sent (container stdout lines). */
  scope: { name: string };
  source: WireLogSource;
  containerId: string | null;
}

export interface WireTraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startNs: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

/** Container metadata; the time fields are null where Docker gave none. */
export interface WireContainer {
  id: string;
  name: string;
  image: string;
  hostname: string;
  /** The Docker host it runs on ('' when stored before hosts were recorded). */
  host: string;
  service: string | null;
  project: string | null;
  state: string;
  startedAt: string | null;
  startedAtNs: string | null;
  finishedAtNs: string | null;
  restartCount: number;
  cpuLimit: number | null;
  memoryLimitBytes: number | null;
  labels: Record<string, string>;
}

/** One resource sample: the fields and units of model/rows.ts ContainerSampleRow, `t` for its time. */
export type WireSample = Omit<ContainerSampleRow, 'containerId' | 'timeNs'> & { t: number };

export interface WireContainerEvent {
  t: number;
  action: string;
  attributes: Record<string, string>;
}

/**
 * Span counts and latency percentiles (`p50Ms`...) of one service in the range: the store's
 * summary (store/Store.ts), these fields only, so that a store adding its own never changes the wire.
 */
export type WireService = Pick<ServiceSummary, 'name' | 'spanCount' | 'errorCount' | 'p50Ms' | 'p95Ms' | 'p99Ms'>;

/** Calls from one service to another: parent → child span pairs whose services differ. */
export type WireServiceMapEdge = Pick<ServiceMapEdge, 'from' | 'to' | 'calls' | 'errors' | 'p95Ms'>;

/**
 * A resource suspect of one span: `kind` names the check ("cpu_throttled", "restart"...),
 * `evidence` carries the numbers and the window a person can check in the charts.
 */
export interface WireSuspect {
  spanId: string;
  containerId: string;
  kind: string;
  message: string;
  evidence: WireAttributes;
}

/** GET /api/health (open without a token). `host`: the Docker host, when the collector knows it. */
export interface WireHealth {
  status: 'ok';
  version: string;
  /** The store's kind: "duckdb" or "clickhouse". */
  store: string;
  host?: string;
  docker: { connected: boolean };
}

/** GET /api/traces/:traceId: the trace's spans, the containers they ran in, logs around it. */
export interface WireTraceDetail {
  traceId: string;
  spans: WireSpan[];
  containers: WireContainer[];
  logs: WireLog[];
}

/** GET /api/traces?service&operation&minDurationMs&maxDurationMs&status&start&end&limit&attr.KEY=VALUE */
export interface WireTracesResponse { traces: WireTraceSummary[] }
/** GET /api/traces/:traceId/suspects */
export interface WireSuspectsResponse { suspects: WireSuspect[] }
/** GET /api/services?start&end */
export interface WireServicesResponse { services: WireService[] }
/** GET /api/service-map?start&end */
export interface WireServiceMap { nodes: WireService[]; edges: WireServiceMapEdge[] }
/** GET /api/logs?service&traceId&spanId&containerId&severity&q&start&end&limit */
export interface WireLogsResponse { logs: WireLog[] }
/** GET /api/containers?start&end: the containers alive at some time in the range. */
export interface WireContainersResponse { containers: WireContainer[] }
/**
 * GET /api/containers/:id/samples?start&end&host: at most CONTAINER_ROWS_MAX (store/Store.ts),
 * the newest; `truncated` when the range held more. An unknown container has none.
 */
export interface WireSamplesResponse { samples: WireSample[]; truncated: boolean }
/** GET /api/containers/:id/events?start&end&host */
export interface WireContainerEventsResponse { events: WireContainerEvent[]; truncated: boolean }

/** Every 4xx/5xx: a stable `code` (bad_request, not_found, internal...) and a message safe to show. */
export interface WireErrorBody { error: { code: string; message: string } }

/** GET /api/metrics?service&start&end&limit: one entry per (service, metric name) reported in the range. */
export interface WireMetricSummary {
  service: string;
  name: string;
  description: string;
  unit: string;
  type: WireMetricType;
  temporality: WireMetricTemporality;
  monotonic: boolean;
  pointCount: number;
  seriesCount: number;
  lastNs: string;
}

export interface WireMetricsResponse { metrics: WireMetricSummary[] }

/**
 * Explicit-bounds buckets (histogram: one count more than bounds, the last above the highest
 * bound), base-2 exponential buckets (counts[i] covers index offset + i), or quantiles (summary).
 */
export type WireMetricDistribution = MetricDistribution;
export type WireExplicitBuckets = Extract<WireMetricDistribution, { kind: 'explicit' }>;
export type WireExponentialDistribution = Extract<WireMetricDistribution, { kind: 'exponential' }>;
export type WireQuantiles = Extract<WireMetricDistribution, { kind: 'quantiles' }>;

/**
 * One data point. `t`/`startT`: ms since the epoch as numbers (chart axes), `timeNs` exact;
 * `startT` null where the sender gave no start time. gauge/sum: `value`; histogram,
 * exponential_histogram, summary: `count`, `sum`, `min`, `max` and `distribution`.
 * Cumulative points are as sent: a rate is the difference of two points (a drop means the
 * process restarted).
 */
export interface WireMetricPoint {
  t: number;
  timeNs: string;
  startT: number | null;
  value: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  distribution: WireMetricDistribution | null;
}

/** The points of one attribute set of one service's metric (and the container it was joined to). */
export interface WireMetricSeries {
  service: string;
  attributes: WireAttributes;
  containerId: string | null;
  points: WireMetricPoint[];
}

/** What a metric is, from its newest point. */
export interface WireMetricIdentity {
  description: string;
  unit: string;
  type: WireMetricType;
  temporality: WireMetricTemporality;
  monotonic: boolean;
}

/**
 * GET /api/metrics/series?name&service&containerId&attr.KEY=VALUE&start&end: the metric's
 * identity (null when the range has no point) and its series.
 */
export interface WireMetricSeriesResponse {
  name: string;
  metric: WireMetricIdentity | null;
  series: WireMetricSeries[];
  /** More points were in the range than METRIC_POINTS_MAX (store/Store.ts): these are the newest. */
  truncated: boolean;
}
