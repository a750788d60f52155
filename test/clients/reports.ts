/**
 * The JSON line each client program prints after its providers have shut down: what it sent
 * (ids, exact nanosecond times), so that tests compare the API's answer with the truth
 * instead of with constants copied from the programs.
 */
import { array, attributes, hexId, ns, number, object, string, type JsonValue } from './shape.js';

export interface SentSpan {
  spanId: string;
  startNs: string;
  endNs: string;
}

export interface SentLog {
  spanId: string;
  body: string;
}

export interface SentNodeLog extends SentLog {
  service: string;
  timeNs: string;
  severityNumber: number;
  severityText: string;
  attributes: Record<string, JsonValue>;
  /** The error passed to the SDK with the record (its name, message and stack), or null. */
  exception: { type: string; message: string; stacktrace: string } | null;
}

/** Printed by test/clients/node/send-trace.mjs. */
export interface NodeClientReport {
  traceId: string;
  runId: string;
  spans: Record<'frontend' | 'orders' | 'inventory', SentSpan & { service: string }>;
  ordersEventTimeNs: string;
  logs: SentNodeLog[];
}

/** Printed by test/clients/python/send.py and the Go client (test/clients/go). */
export interface TwoSpanReport {
  traceId: string;
  service: string;
  spans: Record<'parent' | 'child', SentSpan & { name: string }>;
  logs: SentLog[];
}

function sentSpan(v: unknown, path: string): SentSpan {
  const o = object(v, path);
  return { spanId: hexId(o.spanId, `${path}.spanId`, 16), startNs: ns(o.startNs, `${path}.startNs`), endNs: ns(o.endNs, `${path}.endNs`) };
}

function sentException(v: unknown, path: string): SentNodeLog['exception'] {
  if (v === null) return null;
  const o = object(v, path);
  return { type: string(o.type, `${path}.type`), message: string(o.message, `${path}.message`), stacktrace: string(o.stacktrace, `${path}.stacktrace`) };
}

export function parseNodeReport(v: unknown): NodeClientReport {
  const o = object(v, 'report');
  const spans = object(o.spans, 'report.spans');
  const span = (name: 'frontend' | 'orders' | 'inventory'): SentSpan & { service: string } => ({
    ...sentSpan(spans[name], `report.spans.${name}`),
    service: string(object(spans[name], `report.spans.${name}`).service, `report.spans.${name}.service`),
  });
  return {
    traceId: hexId(o.traceId, 'report.traceId', 32),
    runId: string(o.runId, 'report.runId'),
    spans: { frontend: span('frontend'), orders: span('orders'), inventory: span('inventory') },
    ordersEventTimeNs: ns(o.ordersEventTimeNs, 'report.ordersEventTimeNs'),
    logs: array(o.logs, 'report.logs').map((l, i) => {
      const p = `report.logs[${i}]`;
      const lo = object(l, p);
      return {
        spanId: hexId(lo.spanId, `${p}.spanId`, 16),
        service: string(lo.service, `${p}.service`),
        timeNs: ns(lo.timeNs, `${p}.timeNs`),
        severityNumber: number(lo.severityNumber, `${p}.severityNumber`),
        severityText: string(lo.severityText, `${p}.severityText`),
        body: string(lo.body, `${p}.body`),
        attributes: attributes(lo.attributes, `${p}.attributes`),
        exception: sentException(lo.exception, `${p}.exception`),
      };
    }),
  };
}

export function parseTwoSpanReport(v: unknown): TwoSpanReport {
  const o = object(v, 'report');
  const spans = object(o.spans, 'report.spans');
  const span = (name: 'parent' | 'child'): SentSpan & { name: string } => ({
    ...sentSpan(spans[name], `report.spans.${name}`),
    name: string(object(spans[name], `report.spans.${name}`).name, `report.spans.${name}.name`),
  });
  return {
    traceId: hexId(o.traceId, 'report.traceId', 32),
    service: string(o.service, 'report.service'),
    spans: { parent: span('parent'), child: span('child') },
    logs: array(o.logs, 'report.logs').map((l, i) => {
      const lo = object(l, `report.logs[${i}]`);
      return { spanId: hexId(lo.spanId, `report.logs[${i}].spanId`, 16), body: string(lo.body, `report.logs[${i}].body`) };
    }),
  };
}
