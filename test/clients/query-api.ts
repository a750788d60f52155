/**
 * A small client of the collector's query API (DESIGN.md "Query API contract") for the OTLP
 * client tests: every answer is checked against the contract's shape here, at the boundary,
 * so that a wrong field fails with its path instead of as `undefined` deep in an assertion.
 * Telemetry passes through batch queues on both sides, so lookups poll until what a test
 * expects has arrived, and fail naming what is still missing.
 */

import { array, attributes, ns, number, object, string, stringOrNull, type JsonValue } from './shape.js';

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
  /** Not named in DESIGN.md's span list, but the wire format carries it (api/wire.ts). */
  links: ApiLink[];
  resource: Record<string, JsonValue>;
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
}

export interface ApiTrace {
  traceId: string;
  spans: ApiSpan[];
  logs: ApiLog[];
}

function parseSpan(v: unknown, path: string): ApiSpan {
  const o = object(v, path);
  const status = object(o.status, `${path}.status`);
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

/** The span with `spanId`, or a failure naming the spans that are there. */
export function spanById(trace: ApiTrace, spanId: string): ApiSpan {
  const span = trace.spans.find((s) => s.spanId === spanId);
  if (span === undefined) {
    throw new Error(`trace ${trace.traceId} has no span ${spanId}; it has ${trace.spans.map((s) => `${s.spanId} ${s.name}`).join(', ')}`);
  }
  return span;
}
