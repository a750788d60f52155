import type * as Api from '../../../collector/src/api/wire.js';
import { LOG_SOURCES, SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../../../collector/src/api/wire.js';
import {
  arrayOf,
  boolean,
  decimalString,
  fields,
  jsonValue,
  nullable,
  number,
  oneOf,
  optional,
  recordOf,
  string,
} from './validate.js';

/**
 * Decoders of the query API's responses. The contract (every body's type, units, what null
 * means) is written once, in packages/collector/src/api/wire.ts; this package's tsconfig
 * references the collector project to read it. Each decoder is declared with `fields<T>` of
 * a contract type, or of the part of it that the UI reads (`Without`), so that a field
 * renamed on either side fails `tsc --build`; test/api-contract.test.ts feeds the real API's
 * answers through these decoders. Fields the UI does not read are not decoded (and ignored).
 */

/** T without fields the UI does not read; naming a field T does not have fails to compile. */
type Without<T, K extends keyof T> = Omit<T, K>;

/** The contract's types under the names the pages use. */
export type {
  WireContainer,
  WireContainerEvent,
  WireLog,
  WireMetricIdentity,
  WireMetricPoint,
  WireMetricSeries,
  WireMetricSummary,
  WireService,
  WireServiceMap as ServiceMap,
  WireServiceMapEdge as ServiceMapEdge,
  WireSuspect,
  WireTraceSummary,
  WireHealth as Health,
  WireMetricSeriesResponse as MetricSeriesResponse,
  WireMetricType as MetricType,
  WireMetricTemporality as MetricTemporality,
  WireMetricDistribution as MetricDistribution,
  WireExplicitBuckets as ExplicitBuckets,
  WireExponentialDistribution as ExponentialDistribution,
  WireQuantiles as Quantiles,
} from '../../../collector/src/api/wire.js';

/** A span as the waterfall and its details read it: all of it. */
export type WireSpan = Api.WireSpan;
export type TraceDetail = Api.WireTraceDetail;

/**
 * The sample fields the charts draw. `cpuLimitCores` may be absent: `npm run dev` can proxy
 * to a collector older than the field.
 */
export type WireSample = Without<Api.WireSample, SampleFieldsNotDrawn | 'cpuLimitCores'> & Partial<Pick<Api.WireSample, 'cpuLimitCores'>>;
type SampleFieldsNotDrawn =
  | 'cpuPeriods' | 'cpuThrottledPeriods' | 'memoryFailcnt' | 'memoryOomKills'
  | 'cpuPressureSomeMs' | 'cpuPressureFullMs' | 'memoryPressureSomeMs' | 'memoryPressureFullMs' | 'ioPressureSomeMs' | 'ioPressureFullMs';

const attributes = recordOf(jsonValue);
const maybeNumber = nullable(number);

export const wireSpan = fields<WireSpan>({
  traceId: string,
  spanId: string,
  parentSpanId: nullable(string),
  service: string,
  name: string,
  kind: oneOf(SPAN_KIND_NAMES),
  startNs: decimalString,
  endNs: decimalString,
  durationMs: number,
  status: fields<Api.WireSpan['status']>({ code: oneOf(STATUS_CODE_NAMES), message: string }),
  attributes,
  events: arrayOf(fields<Api.WireSpan['events'][number]>({ timeNs: decimalString, name: string, attributes })),
  links: arrayOf(fields<Api.WireSpan['links'][number]>({ traceId: string, spanId: string, traceState: string, attributes })),
  resource: attributes,
  traceState: string,
  scope: fields<Api.WireSpan['scope']>({ name: string, version: string }),
  containerId: nullable(string),
});

export const wireLog = fields<Api.WireLog>({
  timeNs: decimalString,
  observedTimeNs: decimalString,
  traceId: nullable(string),
  spanId: nullable(string),
  severityNumber: number,
  severityText: string,
  body: string,
  attributes,
  resource: attributes,
  service: string,
  scope: fields<Api.WireLog['scope']>({ name: string }),
  source: oneOf(LOG_SOURCES),
  containerId: nullable(string),
});

export const wireContainer = fields<Api.WireContainer>({
  id: string,
  name: string,
  image: string,
  hostname: string,
  host: string,
  service: nullable(string),
  project: nullable(string),
  state: string,
  startedAt: nullable(string),
  startedAtNs: nullable(decimalString),
  finishedAtNs: nullable(decimalString),
  restartCount: number,
  cpuLimit: maybeNumber,
  memoryLimitBytes: maybeNumber,
  labels: recordOf(string),
});

export const wireSample = fields<WireSample>({
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
  cpuLimitCores: optional(maybeNumber),
});

export const wireContainerEvent = fields<Api.WireContainerEvent>({ t: number, action: string, attributes: recordOf(string) });

export const wireTraceSummary = fields<Api.WireTraceSummary>({
  traceId: string,
  rootService: string,
  rootName: string,
  startNs: decimalString,
  durationMs: number,
  spanCount: number,
  errorCount: number,
  services: arrayOf(string),
});

export const wireService = fields<Api.WireService>({
  name: string,
  spanCount: number,
  errorCount: number,
  p50Ms: number,
  p95Ms: number,
  p99Ms: number,
});

export const wireSuspect = fields<Api.WireSuspect>({ spanId: string, containerId: string, kind: string, message: string, evidence: attributes });

export const healthResponse = fields<Api.WireHealth>({
  status: oneOf(['ok']),
  version: string,
  store: string,
  host: optional(string),
  docker: fields<Api.WireHealth['docker']>({ connected: boolean }),
});

export const traceDetailResponse = fields<TraceDetail>({
  traceId: string,
  spans: arrayOf(wireSpan),
  containers: arrayOf(wireContainer),
  logs: arrayOf(wireLog),
});

export const tracesResponse = fields<Api.WireTracesResponse>({ traces: arrayOf(wireTraceSummary) });
export const servicesResponse = fields<Api.WireServicesResponse>({ services: arrayOf(wireService) });
export const suspectsResponse = fields<Api.WireSuspectsResponse>({ suspects: arrayOf(wireSuspect) });
export const containersResponse = fields<Api.WireContainersResponse>({ containers: arrayOf(wireContainer) });
export const samplesResponse = fields<Without<Api.WireSamplesResponse, 'samples'> & { samples: WireSample[] }>({
  samples: arrayOf(wireSample),
  truncated: boolean,
});
export const eventsResponse = fields<Api.WireContainerEventsResponse>({ events: arrayOf(wireContainerEvent), truncated: boolean });
export const logsResponse = fields<Api.WireLogsResponse>({ logs: arrayOf(wireLog) });

export const serviceMapResponse = fields<Api.WireServiceMap>({
  nodes: arrayOf(wireService),
  edges: arrayOf(fields<Api.WireServiceMapEdge>({ from: string, to: string, calls: number, errors: number, p95Ms: number })),
});

/** The API's error body (any 4xx/5xx). */
export const errorResponse = fields<Api.WireErrorBody>({ error: fields<Api.WireErrorBody['error']>({ code: string, message: string }) });

export { metricSeriesResponse, metricsResponse } from './wire-metrics.js';
