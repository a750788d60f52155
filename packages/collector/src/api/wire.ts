import type {
  Attributes,
  ContainerSampleRow,
  LogSource,
  MetricDistribution,
  MetricTemporality,
  MetricType,
} from '../model/rows.js';

/**
 * The wire JSON of the query API (format.ts maps store rows onto it). Units, once for all responses:
 * - `...Ns`: ns since the epoch as a decimal string (a JSON number cannot hold it exactly);
 * - `durationMs`, `p50Ms`...: a number of ms with sub-ms digits (2.5 = 2 ms 500 µs);
 * - `t` (samples, container events): ms since the epoch as a number, ready for chart axes
 *   (exact to the ms; sub-ms digits are approximate at epoch magnitudes).
 * Span kind and status code are OpenTelemetry's enum names without prefix, as Jaeger and
 * the OTel collector's debug output show them: kind "SERVER", status code "ERROR".
 */

/** OTLP SpanKind by number. */
export const SPAN_KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

/** OTLP StatusCode by number. */
export const STATUS_CODE_NAMES = ['UNSET', 'OK', 'ERROR'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];

export interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: SpanKindName;
  startNs: string;
  endNs: string;
  durationMs: number;
  status: { code: StatusCodeName; message: string };
  attributes: Attributes;
  events: { timeNs: string; name: string; attributes: Attributes }[];
  links: { traceId: string; spanId: string; traceState: string; attributes: Attributes }[];
  resource: Attributes;
  containerId: string | null;
}

export interface WireLog {
  timeNs: string;
  observedTimeNs: string;
  traceId: string | null;
  spanId: string | null;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Attributes;
  resource: Attributes;
  service: string;
  source: LogSource;
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

/**
 * `startedAt` is RFC 3339 (ms precision) for display, as DESIGN.md names it;
 * `startedAtNs`/`finishedAtNs` carry the exact times. null where Docker gave none.
 */
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

export type WireSample = Omit<ContainerSampleRow, 'containerId' | 'timeNs'> & { t: number };

export interface WireContainerEvent {
  t: number;
  action: string;
  attributes: Record<string, string>;
}

/** GET /api/traces/:traceId: the trace's spans, the containers they ran in, logs around it. */
export interface WireTraceDetail {
  traceId: string;
  spans: WireSpan[];
  containers: WireContainer[];
  logs: WireLog[];
}

/** GET /api/metrics: one entry per (service, metric name) reported in the range. */
export interface WireMetricSummary {
  service: string;
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  temporality: MetricTemporality;
  monotonic: boolean;
  pointCount: number;
  seriesCount: number;
  lastNs: string;
}

/**
 * One data point. `t`/`startT`: ms since the epoch as numbers (chart axes), `timeNs` exact.
 * gauge/sum: `value`; histogram, exponential_histogram, summary: `count`, `sum`, `min`, `max`
 * and `distribution` (buckets or quantiles). Cumulative points are as sent: a rate is the
 * difference of two points (and a drop means the process restarted).
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
  distribution: MetricDistribution | null;
}

/** The points of one attribute set of one service's metric (and the container it was joined to). */
export interface WireMetricSeries {
  service: string;
  attributes: Attributes;
  containerId: string | null;
  points: WireMetricPoint[];
}

/**
 * GET /api/metrics/series?name&service&containerId&attr.KEY=VALUE&start&end: the metric's
 * identity from its newest point (null when the range has none) and its series.
 */
export interface WireMetricSeriesResponse {
  name: string;
  metric: {
    description: string;
    unit: string;
    type: MetricType;
    temporality: MetricTemporality;
    monotonic: boolean;
  } | null;
  series: WireMetricSeries[];
  /** More points were in the range than METRIC_POINTS_MAX: these are the newest. */
  truncated: boolean;
}
