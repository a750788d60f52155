/**
 * A small client of the collector's query API (its contract: packages/collector/src/api/wire.ts) for the OTLP
 * client tests: every answer is checked against the contract's shape here, at the boundary,
 * so that a wrong field fails with its path instead of as `undefined` deep in an assertion.
 * Telemetry passes through batch queues on both sides, so lookups poll until what a test
 * expects has arrived, and fail naming what is still missing.
 */

import { array, attributes, ns, number, object, string, stringOrNull, type JsonValue } from './shape.js';
import type { WireTraceSummary } from '../../packages/collector/src/api/wire.js';

const FETCH_TIMEOUT_MILLIS = 5_000;
const POLL_INTERVAL_MILLIS = 100;
export const ARRIVAL_TIMEOUT_MILLIS = 20_000;
/** How much of an unexpected answer a failure message quotes. */
const BODY_SNIPPET_CHARS = 600;

export interface ApiEvent {
  timeNs: string;
  name: string;
  attributes: Record<string, JsonValue>;
}

export interface ApiLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Record<string, JsonValue>;
}

export interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: string;
  startNs: string;
  endNs: string;
  durationMs: number;
  status: { code: string; message: string };
  attributes: Record<string, JsonValue>;
  events: ApiEvent[];
  links: ApiLink[];
  resource: Record<string, JsonValue>;
  /** The W3C tracestate the span was sent with ('' when none). */
  traceState: string;
  /** The instrumentation scope (tracer) that made the span; '' where the client sent none. */
  scope: { name: string; version: string };
  containerId: string | null;
}

export interface ApiLog {
  timeNs: string;
  traceId: string | null;
  spanId: string | null;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Record<string, JsonValue>;
  resource: Record<string, JsonValue>;
  service: string;
  /** The instrumentation scope (logger) that emitted the record. */
  scope: { name: string };
}

export interface ApiTrace {
  traceId: string;
  spans: ApiSpan[];
  logs: ApiLog[];
}

function parseSpan(v: unknown, path: string): ApiSpan {
  const o = object(v, path);
  const status = object(o.status, `${path}.status`);
  const scope = object(o.scope, `${path}.scope`);
  return {
    traceId: string(o.traceId, `${path}.traceId`),
    spanId: string(o.spanId, `${path}.spanId`),
    parentSpanId: stringOrNull(o.parentSpanId, `${path}.parentSpanId`),
    service: string(o.service, `${path}.service`),
    name: string(o.name, `${path}.name`),
    kind: string(o.kind, `${path}.kind`),
    startNs: ns(o.startNs, `${path}.startNs`),
    endNs: ns(o.endNs, `${path}.endNs`),
    durationMs: number(o.durationMs, `${path}.durationMs`),
    status: { code: string(status.code, `${path}.status.code`), message: string(status.message, `${path}.status.message`) },
    attributes: attributes(o.attributes, `${path}.attributes`),
    events: array(o.events, `${path}.events`).map((e, i) => {
      const p = `${path}.events[${i}]`;
      const eo = object(e, p);
      return {
        timeNs: ns(eo.timeNs, `${p}.timeNs`),
        name: string(eo.name, `${p}.name`),
        attributes: attributes(eo.attributes, `${p}.attributes`),
      };
    }),
    links: array(o.links, `${path}.links`).map((l, i) => {
      const p = `${path}.links[${i}]`;
      const lo = object(l, p);
      return {
        traceId: string(lo.traceId, `${p}.traceId`),
        spanId: string(lo.spanId, `${p}.spanId`),
        traceState: string(lo.traceState, `${p}.traceState`),
        attributes: attributes(lo.attributes, `${p}.attributes`),
      };
    }),
    resource: attributes(o.resource, `${path}.resource`),
    traceState: string(o.traceState, `${path}.traceState`),
    scope: { name: string(scope.name, `${path}.scope.name`), version: string(scope.version, `${path}.scope.version`) },
    containerId: stringOrNull(o.containerId, `${path}.containerId`),
  };
}

function parseLog(v: unknown, path: string): ApiLog {
  const o = object(v, path);
  return {
    timeNs: ns(o.timeNs, `${path}.timeNs`),
    traceId: stringOrNull(o.traceId, `${path}.traceId`),
    spanId: stringOrNull(o.spanId, `${path}.spanId`),
    severityNumber: number(o.severityNumber, `${path}.severityNumber`),
    severityText: string(o.severityText, `${path}.severityText`),
    body: string(o.body, `${path}.body`),
    attributes: attributes(o.attributes, `${path}.attributes`),
    resource: attributes(o.resource, `${path}.resource`),
    service: string(o.service, `${path}.service`),
    scope: { name: string(object(o.scope, `${path}.scope`).name, `${path}.scope.name`) },
  };
}

export function parseTrace(v: unknown): ApiTrace {
  const o = object(v, 'trace');
  return {
    traceId: string(o.traceId, 'trace.traceId'),
    spans: array(o.spans, 'trace.spans').map((s, i) => parseSpan(s, `trace.spans[${i}]`)),
    logs: array(o.logs, 'trace.logs').map((l, i) => parseLog(l, `trace.logs[${i}]`)),
  };
}

export function parseLogs(v: unknown): ApiLog[] {
  return array(object(v, 'answer').logs, 'logs').map((l, i) => parseLog(l, `logs[${i}]`));
}

// --- requests -----------------------------------------------------------------------------

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

async function get(url: string): Promise<Answer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

function describeAnswer(a: Answer | undefined): string {
  return a === undefined ? 'no answer yet' : `HTTP ${a.status} ${a.text.slice(0, BODY_SNIPPET_CHARS)}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls GET /api/traces/:traceId until every span id in `spanIds` is there.
 * @example const trace = await waitForTrace(baseUrl, traceId, [rootId, childId])
 */
export async function waitForTrace(
  baseUrl: string,
  traceId: string,
  spanIds: readonly string[],
  timeoutMillis = ARRIVAL_TIMEOUT_MILLIS,
): Promise<ApiTrace> {
  const deadline = Date.now() + timeoutMillis;
  let last: Answer | undefined;
  let missing: readonly string[] = spanIds;
  for (;;) {
    last = await get(`${baseUrl}/api/traces/${traceId}`);
    // 404 means no span of the trace is stored yet; anything else unexpected fails at once.
    if (last.status === 200) {
      const trace = parseTrace(last.body);
      const have = new Set(trace.spans.map((s) => s.spanId));
      missing = spanIds.filter((id) => !have.has(id));
      if (missing.length === 0) return trace;
    } else if (last.status !== 404) {
      throw new Error(`GET /api/traces/${traceId}: ${describeAnswer(last)}`);
    }
    if (Date.now() >= deadline) break;
    await sleep(POLL_INTERVAL_MILLIS);
  }
  throw new Error(
    `trace ${traceId}: spans ${missing.join(', ')} did not arrive within ${timeoutMillis} ms; last answer: ${describeAnswer(last)}`,
  );
}

/**
 * Polls GET /api/logs?<query> until at least `count` records match, then returns them all.
 * @example const logs = await waitForLogs(baseUrl, { traceId }, 3)
 */
export async function waitForLogs(
  baseUrl: string,
  query: Readonly<Record<string, string>>,
  count: number,
  timeoutMillis = ARRIVAL_TIMEOUT_MILLIS,
): Promise<ApiLog[]> {
  const url = `${baseUrl}/api/logs?${new URLSearchParams(query).toString()}`;
  const deadline = Date.now() + timeoutMillis;
  let last: Answer | undefined;
  let logs: ApiLog[] = [];
  for (;;) {
    last = await get(url);
    if (last.status !== 200) throw new Error(`GET ${url}: ${describeAnswer(last)}`);
    logs = parseLogs(last.body);
    if (logs.length >= count) return logs;
    if (Date.now() >= deadline) break;
    await sleep(POLL_INTERVAL_MILLIS);
  }
  throw new Error(
    `GET ${url}: expected ${count} log records within ${timeoutMillis} ms, got ${logs.length}: ${JSON.stringify(logs.map((l) => l.body))}`,
  );
}

/** The API's own trace summary type (packages/collector/src/api/wire.ts), checked at the boundary by parseTraceSummaries. */
export type ApiTraceSummary = WireTraceSummary;

export function parseTraceSummaries(v: unknown): ApiTraceSummary[] {
  return array(object(v, 'answer').traces, 'traces').map((t, i) => {
    const p = `traces[${i}]`;
    const o = object(t, p);
    return {
      traceId: string(o.traceId, `${p}.traceId`),
      rootService: string(o.rootService, `${p}.rootService`),
      rootName: string(o.rootName, `${p}.rootName`),
      startNs: ns(o.startNs, `${p}.startNs`),
      durationMs: number(o.durationMs, `${p}.durationMs`),
      spanCount: number(o.spanCount, `${p}.spanCount`),
      errorCount: number(o.errorCount, `${p}.errorCount`),
      services: array(o.services, `${p}.services`).map((s, j) => string(s, `${p}.services[${j}]`)),
    };
  });
}

/**
 * GET /api/traces?<query> once (attribute filters as `attr.KEY` keys), for traces already
 * stored (after waitForTrace); fails unless it answers 200 with the contract's shape.
 * @example const ids = (await searchTraces(baseUrl, { 'attr.deployment.environment': 'staging' })).map((t) => t.traceId)
 */
export async function searchTraces(baseUrl: string, query: Readonly<Record<string, string>>): Promise<ApiTraceSummary[]> {
  const url = `${baseUrl}/api/traces?${new URLSearchParams(query).toString()}`;
  const answer = await get(url);
  if (answer.status !== 200) throw new Error(`GET ${url}: ${describeAnswer(answer)}`);
  return parseTraceSummaries(answer.body);
}

/** The span with `spanId`, or a failure naming the spans that are there. */
export function spanById(trace: ApiTrace, spanId: string): ApiSpan {
  const span = trace.spans.find((s) => s.spanId === spanId);
  if (span === undefined) {
    throw new Error(`trace ${trace.traceId} has no span ${spanId}; it has ${trace.spans.map((s) => `${s.spanId} ${s.name}`).join(', ')}`);
  }
  return span;
}

// --- metrics (GET /api/metrics, GET /api/metrics/series) ----------------------------------

export interface ApiMetricSummary {
  service: string;
  name: string;
  description: string;
  unit: string;
  type: string;
  temporality: string;
  monotonic: boolean;
  pointCount: number;
  seriesCount: number;
  lastNs: string;
}

export interface ApiExponentialBuckets {
  offset: number;
  counts: number[];
}

export type ApiMetricDistribution =
  | { kind: 'explicit'; bounds: number[]; counts: number[] }
  | {
      kind: 'exponential';
      scale: number;
      zeroCount: number;
      zeroThreshold: number;
      positive: ApiExponentialBuckets;
      negative: ApiExponentialBuckets;
    }
  | { kind: 'quantiles'; quantiles: { quantile: number; value: number }[] };

export interface ApiMetricPoint {
  t: number;
  timeNs: string;
  startT: number | null;
  value: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  distribution: ApiMetricDistribution | null;
}

export interface ApiMetricSeries {
  service: string;
  attributes: Record<string, JsonValue>;
  containerId: string | null;
  points: ApiMetricPoint[];
}

export interface ApiMetricSeriesResponse {
  name: string;
  metric: { description: string; unit: string; type: string; temporality: string; monotonic: boolean } | null;
  series: ApiMetricSeries[];
  truncated: boolean;
}

function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${path} should be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function numberOrNull(v: unknown, path: string): number | null {
  return v === null ? null : number(v, path);
}

const numberList = (v: unknown, path: string): number[] => array(v, path).map((n, i) => number(n, `${path}[${i}]`));

function parseMetricSummary(v: unknown, path: string): ApiMetricSummary {
  const o = object(v, path);
  return {
    service: string(o.service, `${path}.service`),
    name: string(o.name, `${path}.name`),
    description: string(o.description, `${path}.description`),
    unit: string(o.unit, `${path}.unit`),
    type: string(o.type, `${path}.type`),
    temporality: string(o.temporality, `${path}.temporality`),
    monotonic: boolean(o.monotonic, `${path}.monotonic`),
    pointCount: number(o.pointCount, `${path}.pointCount`),
    seriesCount: number(o.seriesCount, `${path}.seriesCount`),
    lastNs: ns(o.lastNs, `${path}.lastNs`),
  };
}

export function parseMetricSummaries(v: unknown): ApiMetricSummary[] {
  return array(object(v, 'answer').metrics, 'metrics').map((m, i) => parseMetricSummary(m, `metrics[${i}]`));
}

function parseExponentialBuckets(v: unknown, path: string): ApiExponentialBuckets {
  const o = object(v, path);
  return { offset: number(o.offset, `${path}.offset`), counts: numberList(o.counts, `${path}.counts`) };
}

function parseDistribution(v: unknown, path: string): ApiMetricDistribution | null {
  if (v === null) return null;
  const o = object(v, path);
  const kind = string(o.kind, `${path}.kind`);
  switch (kind) {
    case 'explicit':
      return { kind, bounds: numberList(o.bounds, `${path}.bounds`), counts: numberList(o.counts, `${path}.counts`) };
    case 'exponential':
      return {
        kind,
        scale: number(o.scale, `${path}.scale`),
        zeroCount: number(o.zeroCount, `${path}.zeroCount`),
        zeroThreshold: number(o.zeroThreshold, `${path}.zeroThreshold`),
        positive: parseExponentialBuckets(o.positive, `${path}.positive`),
        negative: parseExponentialBuckets(o.negative, `${path}.negative`),
      };
    case 'quantiles':
      return {
        kind,
        quantiles: array(o.quantiles, `${path}.quantiles`).map((q, i) => {
          const qo = object(q, `${path}.quantiles[${i}]`);
          return { quantile: number(qo.quantile, `${path}.quantiles[${i}].quantile`), value: number(qo.value, `${path}.quantiles[${i}].value`) };
        }),
      };
    default:
      throw new Error(`${path}.kind should be explicit, exponential or quantiles, got ${JSON.stringify(kind)}`);
  }
}

function parseMetricPoint(v: unknown, path: string): ApiMetricPoint {
  const o = object(v, path);
  return {
    t: number(o.t, `${path}.t`),
    timeNs: ns(o.timeNs, `${path}.timeNs`),
    startT: numberOrNull(o.startT, `${path}.startT`),
    value: numberOrNull(o.value, `${path}.value`),
    count: numberOrNull(o.count, `${path}.count`),
    sum: numberOrNull(o.sum, `${path}.sum`),
    min: numberOrNull(o.min, `${path}.min`),
    max: numberOrNull(o.max, `${path}.max`),
    distribution: parseDistribution(o.distribution, `${path}.distribution`),
  };
}

export function parseMetricSeriesResponse(v: unknown): ApiMetricSeriesResponse {
  const o = object(v, 'answer');
  const metric = o.metric === null ? null : object(o.metric, 'answer.metric');
  return {
    name: string(o.name, 'answer.name'),
    metric:
      metric === null
        ? null
        : {
            description: string(metric.description, 'answer.metric.description'),
            unit: string(metric.unit, 'answer.metric.unit'),
            type: string(metric.type, 'answer.metric.type'),
            temporality: string(metric.temporality, 'answer.metric.temporality'),
            monotonic: boolean(metric.monotonic, 'answer.metric.monotonic'),
          },
    series: array(o.series, 'answer.series').map((s, i) => {
      const p = `answer.series[${i}]`;
      const so = object(s, p);
      return {
        service: string(so.service, `${p}.service`),
        attributes: attributes(so.attributes, `${p}.attributes`),
        containerId: stringOrNull(so.containerId, `${p}.containerId`),
        points: array(so.points, `${p}.points`).map((pt, j) => parseMetricPoint(pt, `${p}.points[${j}]`)),
      };
    }),
    truncated: boolean(o.truncated, 'answer.truncated'),
  };
}

/**
 * Polls GET /api/metrics?<query> until every name in `names` is listed, then returns the list.
 * @example const metrics = await waitForMetrics(baseUrl, { service: 'py-metrics-http' }, ['invoices.created'])
 */
export async function waitForMetrics(
  baseUrl: string,
  query: Readonly<Record<string, string>>,
  names: readonly string[],
  timeoutMillis = ARRIVAL_TIMEOUT_MILLIS,
): Promise<ApiMetricSummary[]> {
  const url = `${baseUrl}/api/metrics?${new URLSearchParams(query).toString()}`;
  const deadline = Date.now() + timeoutMillis;
  let last: Answer | undefined;
  let missing: readonly string[] = names;
  for (;;) {
    last = await get(url);
    if (last.status !== 200) throw new Error(`GET ${url}: ${describeAnswer(last)}`);
    const metrics = parseMetricSummaries(last.body);
    const have = new Set(metrics.map((m) => m.name));
    missing = names.filter((n) => !have.has(n));
    if (missing.length === 0) return metrics;
    if (Date.now() >= deadline) break;
    await sleep(POLL_INTERVAL_MILLIS);
  }
  throw new Error(`GET ${url}: metrics ${missing.join(', ')} did not arrive within ${timeoutMillis} ms; last answer: ${describeAnswer(last)}`);
}

/**
 * GET /api/metrics/series?<query> (attribute filters as `attr.KEY` keys); fails unless it
 * answers 200 with the contract's shape.
 * @example const { series } = await metricSeries(baseUrl, { name: 'invoices.created', service })
 */
export async function metricSeries(baseUrl: string, query: Readonly<Record<string, string>>): Promise<ApiMetricSeriesResponse> {
  const url = `${baseUrl}/api/metrics/series?${new URLSearchParams(query).toString()}`;
  const answer = await get(url);
  if (answer.status !== 200) throw new Error(`GET ${url}: ${describeAnswer(answer)}`);
  return parseMetricSeriesResponse(answer.body);
}

/** Any GET of the API, unchecked: status, parsed body (undefined when not JSON) and text. */
export function getApi(url: string): Promise<{ status: number; body: unknown; text: string }> {
  return get(url);
}
