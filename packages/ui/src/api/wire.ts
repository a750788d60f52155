import {
  arrayOf,
  boolean,
  decimalString,
  jsonValue,
  nullable,
  number,
  object,
  oneOf,
  optional,
  recordOf,
  refine,
  string,
  taggedUnion,
  type Decoded,
} from './validate.js';

/**
 * Decoders of the query API's responses (packages/collector/src/api/wire.ts is the other
 * side). The types below are derived from the decoders, so that the shape is written once.
 * Units: `...Ns` ns since the epoch as decimal strings; `t` ms since the epoch; `...Ms` ms.
 */

export const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;

const attributes = recordOf(jsonValue);

export const wireSpan = object({
  traceId: string,
  spanId: string,
  parentSpanId: nullable(string),
  service: string,
  name: string,
  kind: oneOf(SPAN_KINDS),
  startNs: decimalString,
  endNs: decimalString,
  durationMs: number,
  status: object({ code: oneOf(STATUS_CODES), message: string }),
  attributes,
  events: arrayOf(object({ timeNs: decimalString, name: string, attributes })),
  resource: attributes,
  containerId: nullable(string),
});
export type WireSpan = Decoded<typeof wireSpan>;

export const wireLog = object({
  timeNs: decimalString,
  traceId: nullable(string),
  spanId: nullable(string),
  severityNumber: number,
  severityText: string,
  body: string,
  attributes,
  resource: attributes,
  service: string,
  source: string,
  containerId: nullable(string),
});
export type WireLog = Decoded<typeof wireLog>;

export const wireContainer = object({
  id: string,
  name: string,
  image: string,
  /** The Docker host it runs on; '' for a container stored before hosts were recorded. */
  host: string,
  service: nullable(string),
  project: nullable(string),
  state: string,
  startedAt: nullable(string),
  restartCount: number,
  cpuLimit: nullable(number),
  memoryLimitBytes: nullable(number),
});
export type WireContainer = Decoded<typeof wireContainer>;

const maybeNumber = nullable(number);

export const wireSample = object({
  t: number,
  cpuPercent: maybeNumber,
  cpuThrottledMs: maybeNumber,
  memoryBytes: maybeNumber,
  memoryLimitBytes: maybeNumber,
  netRxBytes: maybeNumber,
  netTxBytes: maybeNumber,
  blkReadBytes: maybeNumber,
  blkWriteBytes: maybeNumber,
  pids: maybeNumber,
  /** The CPU quota in cores at that time; null without one. */
  cpuLimitCores: optional(maybeNumber),
});
export type WireSample = Decoded<typeof wireSample>;

export const wireContainerEvent = object({ t: number, action: string, attributes: recordOf(string) });
export type WireContainerEvent = Decoded<typeof wireContainerEvent>;

export const wireTraceSummary = object({
  traceId: string,
  rootService: string,
  rootName: string,
  startNs: decimalString,
  durationMs: number,
  spanCount: number,
  errorCount: number,
  services: arrayOf(string),
});
export type WireTraceSummary = Decoded<typeof wireTraceSummary>;

export const wireService = object({
  name: string,
  spanCount: number,
  errorCount: number,
  p50Ms: number,
  p95Ms: number,
  p99Ms: number,
});
export type WireService = Decoded<typeof wireService>;

export const wireSuspect = object({
  spanId: string,
  containerId: string,
  kind: string,
  message: string,
  evidence: attributes,
});
export type WireSuspect = Decoded<typeof wireSuspect>;

export const healthResponse = object({
  status: string,
  version: string,
  store: string,
  docker: object({ connected: boolean }),
});
export type Health = Decoded<typeof healthResponse>;

export const traceDetailResponse = object({
  traceId: string,
  spans: arrayOf(wireSpan),
  containers: arrayOf(wireContainer),
  logs: arrayOf(wireLog),
});
export type TraceDetail = Decoded<typeof traceDetailResponse>;

export const tracesResponse = object({ traces: arrayOf(wireTraceSummary) });
export const servicesResponse = object({ services: arrayOf(wireService) });
export const suspectsResponse = object({ suspects: arrayOf(wireSuspect) });
export const containersResponse = object({ containers: arrayOf(wireContainer) });
export const samplesResponse = object({ samples: arrayOf(wireSample) });
export const eventsResponse = object({ events: arrayOf(wireContainerEvent) });
export const logsResponse = object({ logs: arrayOf(wireLog) });

export const serviceMapResponse = object({
  nodes: arrayOf(wireService),
  edges: arrayOf(object({ from: string, to: string, calls: number, errors: number, p95Ms: number })),
});
export type ServiceMap = Decoded<typeof serviceMapResponse>;
export type ServiceMapEdge = ServiceMap['edges'][number];

/** The OTLP metric data kinds and temporalities (packages/collector/src/model/rows.ts). */
export const METRIC_TYPES = ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'] as const;
export const METRIC_TEMPORALITIES = ['unspecified', 'delta', 'cumulative'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];
export type MetricTemporality = (typeof METRIC_TEMPORALITIES)[number];

const counts = arrayOf(refine(number, (n) => n >= 0, 'a count (>= 0)'));
const exponentialBuckets = object({ offset: number, counts });

export type ExplicitBuckets = { kind: 'explicit'; bounds: number[]; counts: number[] };
export type ExponentialDistribution = {
  kind: 'exponential';
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: Decoded<typeof exponentialBuckets>;
  negative: Decoded<typeof exponentialBuckets>;
};
export type Quantiles = { kind: 'quantiles'; quantiles: { quantile: number; value: number }[] };
export type MetricDistribution = ExplicitBuckets | ExponentialDistribution | Quantiles;

/** Buckets, exponential buckets or reported quantiles; the counts must fit the bounds. */
export const metricDistribution = taggedUnion<MetricDistribution>('kind', {
  explicit: refine(
    object({ kind: oneOf(['explicit']), bounds: arrayOf(number), counts }),
    (d) => d.counts.length === d.bounds.length + 1 || d.counts.length === 0,
    'explicit buckets with one count more than bounds',
  ),
  exponential: object({
    kind: oneOf(['exponential']),
    scale: refine(number, Number.isInteger, 'an integer scale'),
    zeroCount: refine(number, (n) => n >= 0, 'a count (>= 0)'),
    zeroThreshold: number,
    positive: exponentialBuckets,
    negative: exponentialBuckets,
  }),
  quantiles: object({
    kind: oneOf(['quantiles']),
    quantiles: arrayOf(object({ quantile: refine(number, (q) => q >= 0 && q <= 1, 'a quantile in [0, 1]'), value: number })),
  }),
});

export const wireMetricSummary = object({
  service: string,
  name: string,
  description: string,
  unit: string,
  type: oneOf(METRIC_TYPES),
  temporality: oneOf(METRIC_TEMPORALITIES),
  monotonic: boolean,
  pointCount: number,
  seriesCount: number,
  lastNs: decimalString,
});
export type WireMetricSummary = Decoded<typeof wireMetricSummary>;

export const wireMetricPoint = object({
  t: number,
  timeNs: decimalString,
  startT: maybeNumber,
  value: maybeNumber,
  count: maybeNumber,
  sum: maybeNumber,
  min: maybeNumber,
  max: maybeNumber,
  distribution: nullable(metricDistribution),
});
export type WireMetricPoint = Decoded<typeof wireMetricPoint>;

export const wireMetricSeries = object({
  service: string,
  attributes,
  containerId: nullable(string),
  points: arrayOf(wireMetricPoint),
});
export type WireMetricSeries = Decoded<typeof wireMetricSeries>;

export const wireMetricIdentity = object({
  description: string,
  unit: string,
  type: oneOf(METRIC_TYPES),
  temporality: oneOf(METRIC_TEMPORALITIES),
  monotonic: boolean,
});
export type WireMetricIdentity = Decoded<typeof wireMetricIdentity>;

export const metricsResponse = object({ metrics: arrayOf(wireMetricSummary) });
export const metricSeriesResponse = object({
  name: string,
  metric: nullable(wireMetricIdentity),
  series: arrayOf(wireMetricSeries),
  truncated: boolean,
});
export type MetricSeriesResponse = Decoded<typeof metricSeriesResponse>;

/** The API's error body: `{ error: { code, message } }`. */
export const errorResponse = object({ error: object({ code: string, message: string }) });
