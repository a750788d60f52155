/**
 * Round trips through the real OpenTelemetry JS serializers (@opentelemetry/otlp-transformer):
 * what an SDK sends must come out as the expected rows, identical for OTLP/protobuf (on both
 * wire readers) and OTLP/JSON. Metrics are in metrics-roundtrip.test.ts.
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { OtlpDecoder } from '../../model/decoded.js';
import type { LogRow, SpanRow } from '../../model/rows.js';
import { jsonDecoder } from './json.js';
import { makeProtoDecoder, protoDecoder } from './proto.js';
import { protobufjsWireReader } from './wire-protobufjs.js';

const NOW_NS = 1_800_000_000_000_000_000n;

const DECODERS: [string, OtlpDecoder, 'proto' | 'json'][] = [
  ['protobuf (bufbuild reader)', protoDecoder, 'proto'],
  ['protobuf (protobufjs reader)', makeProtoDecoder(protobufjsWireReader), 'proto'],
  ['JSON', jsonDecoder, 'json'],
];

const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT = 'b7ad6b7169203331';
const CHILD = '00f067aa0ba902b7';
const LINKED = '53995c3f42cd8ad8';

const orders = resourceFromAttributes({ 'service.name': 'orders', 'deployment.environment.name': 'test', 'host.cpu.count': 4 });
const anonymous = resourceFromAttributes({ 'host.name': 'box' });
const httpScope = { name: '@opentelemetry/instrumentation-http', version: '0.301.0' };

function context(traceId: string, spanId: string, traceState?: TraceState): SpanContext {
  return traceState === undefined ? { traceId, spanId, traceFlags: 1 } : { traceId, spanId, traceFlags: 1, traceState };
}

function readableSpan(fields: Partial<ReadableSpan> & { ctx: SpanContext }): ReadableSpan {
  const { ctx, ...rest } = fields;
  return {
    name: 'span',
    kind: 0,
    spanContext: () => ctx,
    startTime: [1, 0],
    endTime: [1, 0],
    duration: [0, 0],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    ended: true,
    resource: orders,
    instrumentationScope: httpScope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...rest,
  };
}

/** A root server span and its client child with every attribute type, events, a link, status. */
const spans: ReadableSpan[] = [
  readableSpan({
    ctx: context(TRACE_A, ROOT, new TraceState('vendor=abc')),
    name: 'GET /orders/:id',
    kind: 1, // api SpanKind.SERVER; OTLP numbers it 2
    startTime: [1_760_000_000, 123_456_789],
    endTime: [1_760_000_001, 987_654_321],
    status: { code: 2, message: 'upstream failed' },
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 502,
      'app.ratio': 0.25,
      'app.cached': false,
      'app.tags': ['a', 'b'],
      'app.sizes': [1, 2, 3],
      'app.unicode': 'größe ✓ 日本',
      'app.negative': -42,
    },
    events: [
      { name: 'exception', time: [1_760_000_000, 500_000_001], attributes: { 'exception.type': 'TimeoutError' } },
      { name: 'retry', time: [1_760_000_001, 1] },
    ],
    links: [{ context: context(TRACE_B, LINKED, new TraceState('k=v')), attributes: { 'link.reason': 'batch' } }],
  }),
  readableSpan({
    ctx: context(TRACE_A, CHILD),
    parentSpanContext: context(TRACE_A, ROOT),
    name: 'SELECT orders',
    kind: 2, // api CLIENT; OTLP 3
    startTime: [1_760_000_000, 200_000_000],
    endTime: [1_760_000_000, 200_000_000], // zero-length spans are valid
    status: { code: 1 },
    attributes: { 'db.system.name': 'postgresql' },
  }),
  readableSpan({
    ctx: context(TRACE_B, LINKED),
    name: 'batch',
    kind: 4, // api CONSUMER; OTLP 5
    resource: anonymous,
    instrumentationScope: { name: 'worker' },
    startTime: [1_760_000_002, 0],
    endTime: [1_760_000_003, 0],
  }),
];

const expectedSpans: SpanRow[] = [
  {
    traceId: TRACE_A,
    spanId: ROOT,
    parentSpanId: null,
    traceState: 'vendor=abc',
    service: 'orders',
    name: 'GET /orders/:id',
    kind: 2,
    startNs: 1_760_000_000_123_456_789n,
    endNs: 1_760_000_001_987_654_321n,
    statusCode: 2,
    statusMessage: 'upstream failed',
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 502,
      'app.ratio': 0.25,
      'app.cached': false,
      'app.tags': ['a', 'b'],
      'app.sizes': [1, 2, 3],
      'app.unicode': 'größe ✓ 日本',
      'app.negative': -42,
    },
    events: [
      { timeNs: 1_760_000_000_500_000_001n, name: 'exception', attributes: { 'exception.type': 'TimeoutError' } },
      { timeNs: 1_760_000_001_000_000_001n, name: 'retry', attributes: {} },
    ],
    links: [{ traceId: TRACE_B, spanId: LINKED, traceState: 'k=v', attributes: { 'link.reason': 'batch' } }],
    resource: { 'service.name': 'orders', 'deployment.environment.name': 'test', 'host.cpu.count': 4 },
    scopeName: '@opentelemetry/instrumentation-http',
    scopeVersion: '0.301.0',
    containerId: null,
  },
  {
    traceId: TRACE_A,
    spanId: CHILD,
    parentSpanId: ROOT,
    traceState: '',
    service: 'orders',
    name: 'SELECT orders',
    kind: 3,
    startNs: 1_760_000_000_200_000_000n,
    endNs: 1_760_000_000_200_000_000n,
    statusCode: 1,
    statusMessage: '',
    attributes: { 'db.system.name': 'postgresql' },
    events: [],
    links: [],
    resource: { 'service.name': 'orders', 'deployment.environment.name': 'test', 'host.cpu.count': 4 },
    scopeName: '@opentelemetry/instrumentation-http',
    scopeVersion: '0.301.0',
    containerId: null,
  },
  {
    traceId: TRACE_B,
    spanId: LINKED,
    parentSpanId: null,
    traceState: '',
    service: 'unknown_service',
    name: 'batch',
    kind: 5,
    startNs: 1_760_000_002_000_000_000n,
    endNs: 1_760_000_003_000_000_000n,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
    links: [],
    resource: { 'host.name': 'box' },
    scopeName: 'worker',
    scopeVersion: '',
    containerId: null,
  },
];

function serializeSpans(encoding: 'proto' | 'json', input: ReadableSpan[]): Uint8Array {
  const body = (encoding === 'proto' ? ProtobufTraceSerializer : JsonTraceSerializer).serializeRequest(input);
  if (body === undefined) throw new Error('the serializer returned nothing');
  return body;
}

function byId<T extends { spanId: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.spanId.localeCompare(b.spanId));
}

describe.each(DECODERS)('traces from the OTel JS serializer, %s', (_name, decoder, encoding) => {
  it('decodes ids, parents, exact ns times, attributes of each type, events, links, status, resource, scope', () => {
    const decoded = decoder.traces(serializeSpans(encoding, spans));
    expect(decoded).toMatchObject({ ok: true, rejected: 0, rejectMessage: '' });
    if (!decoded.ok) return;
    expect(byId(decoded.rows)).toEqual(byId(expectedSpans));
  });

  it('decodes spans recorded by the real SDK', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer('checkout-tests', '1.2.3');
    // Parent set through an explicit context: no global context manager in a unit test.
    const parentSpan = tracer.startSpan('parent');
    tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parentSpan)).end();
    parentSpan.setAttribute('order.items', 3);
    parentSpan.end();
    await provider.forceFlush();
    const recorded = exporter.getFinishedSpans();
    const decoded = decoder.traces(serializeSpans(encoding, recorded));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const parent = recorded.find((span) => span.name === 'parent')!;
    const rows = new Map(decoded.rows.map((row) => [row.name, row]));
    expect(rows.get('parent')).toMatchObject({
      traceId: parent.spanContext().traceId,
      spanId: parent.spanContext().spanId,
      parentSpanId: null,
      service: 'checkout',
      scopeName: 'checkout-tests',
      scopeVersion: '1.2.3',
      attributes: { 'order.items': 3 },
    });
    expect(rows.get('child')?.parentSpanId).toBe(parent.spanContext().spanId);
    expect(rows.get('child')?.traceId).toBe(parent.spanContext().traceId);
    await provider.shutdown();
  });

  it('keeps valid spans and counts rejected ones (partial success)', () => {
    const bad = [
      readableSpan({ ctx: context('00000000000000000000000000000000', 'aaaaaaaaaaaaaaaa'), name: 'zero trace' }),
      spans[1]!,
      readableSpan({ ctx: context(TRACE_A, 'bbbbbbbbbbbbbbbb'), name: 'backwards', startTime: [5, 0], endTime: [4, 0] }),
    ];
    const decoded = decoder.traces(serializeSpans(encoding, bad));
    expect(decoded).toMatchObject({
      ok: true,
      rejected: 2,
      rejectMessage: '2 spans rejected: span 0 of scope 0 of resource 0: traceId must not be all zero',
    });
    if (decoded.ok) expect(decoded.rows.map((row) => row.name)).toEqual(['SELECT orders']);
  });
});

const logSpan = context(TRACE_A, CHILD);

function logRecord(fields: Partial<ReadableLogRecord>): ReadableLogRecord {
  return {
    hrTime: [1_760_000_000, 1],
    hrTimeObserved: [1_760_000_000, 2],
    resource: orders,
    instrumentationScope: { name: 'pino', version: '9.0.0' },
    attributes: {},
    droppedAttributesCount: 0,
    ...fields,
  };
}

const logs: ReadableLogRecord[] = [
  logRecord({ spanContext: logSpan, severityNumber: 17, severityText: 'error', body: 'payment declined', attributes: { 'order.id': 'o-1' } }),
  logRecord({ body: { msg: 'structured', nested: { ok: true, list: [1, 'two', null] }, raw: new Uint8Array([0, 255, 16]) } }),
  logRecord({ hrTime: [0, 0], body: 42 }),
  logRecord({ hrTime: [0, 0], hrTimeObserved: [0, 0] }),
];

const orderResource = { 'service.name': 'orders', 'deployment.environment.name': 'test', 'host.cpu.count': 4 };

const expectedLogs: LogRow[] = [
  {
    timeNs: 1_760_000_000_000_000_001n,
    observedTimeNs: 1_760_000_000_000_000_002n,
    traceId: TRACE_A,
    spanId: CHILD,
    severityNumber: 17,
    severityText: 'error',
    body: 'payment declined',
    attributes: { 'order.id': 'o-1' },
    resource: orderResource,
    service: 'orders',
    scopeName: 'pino',
    source: 'otlp',
    containerId: null,
  },
  {
    timeNs: 1_760_000_000_000_000_001n,
    observedTimeNs: 1_760_000_000_000_000_002n,
    traceId: null,
    spanId: null,
    severityNumber: 0,
    severityText: '',
    body: '{"msg":"structured","nested":{"ok":true,"list":[1,"two",null]},"raw":"AP8Q"}',
    attributes: {},
    resource: orderResource,
    service: 'orders',
    scopeName: 'pino',
    source: 'otlp',
    containerId: null,
  },
  {
    // No time: the observed time stands in.
    timeNs: 1_760_000_000_000_000_002n,
    observedTimeNs: 1_760_000_000_000_000_002n,
    traceId: null,
    spanId: null,
    severityNumber: 0,
    severityText: '',
    body: '42',
    attributes: {},
    resource: orderResource,
    service: 'orders',
    scopeName: 'pino',
    source: 'otlp',
    containerId: null,
  },
  {
    // Neither time: the collector's receive time.
    timeNs: NOW_NS,
    observedTimeNs: NOW_NS,
    traceId: null,
    spanId: null,
    severityNumber: 0,
    severityText: '',
    body: '',
    attributes: {},
    resource: orderResource,
    service: 'orders',
    scopeName: 'pino',
    source: 'otlp',
    containerId: null,
  },
];

function serializeLogs(encoding: 'proto' | 'json', input: ReadableLogRecord[]): Uint8Array {
  const body = (encoding === 'proto' ? ProtobufLogsSerializer : JsonLogsSerializer).serializeRequest(input);
  if (body === undefined) throw new Error('the serializer returned nothing');
  return body;
}

describe.each(DECODERS)('logs from the OTel JS serializer, %s', (_name, decoder, encoding) => {
  it('decodes times (with fallbacks), trace context, severity, every kind of body, resource, scope', () => {
    const decoded = decoder.logs(serializeLogs(encoding, logs), NOW_NS);
    expect(decoded).toMatchObject({ ok: true, rejected: 0, rejectMessage: '' });
    if (decoded.ok) expect(decoded.rows).toEqual(expectedLogs);
  });
});

it('protobuf and JSON give identical rows for the same spans', () => {
  const fromProto = protoDecoder.traces(serializeSpans('proto', spans));
  const fromJson = jsonDecoder.traces(serializeSpans('json', spans));
  expect(fromProto.ok && fromJson.ok).toBe(true);
  if (fromProto.ok && fromJson.ok) expect(byId(fromProto.rows)).toEqual(byId(fromJson.rows));
});
