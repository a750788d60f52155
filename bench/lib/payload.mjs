/**
 * OTLP request bodies for the benchmarks, made by the real OpenTelemetry JS serializers
 * (@opentelemetry/otlp-transformer) from ReadableSpan / ReadableLogRecord objects, so the
 * bytes are what an SDK sends. Deterministic: the same options give the same bytes.
 *
 *   import { makeTraceRequest } from './lib/payload.mjs';
 *   const { proto, json, spanCount } = makeTraceRequest({ spans: 100, attrs: 10 });
 */
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { prng } from './prng.mjs';

const textDecoder = new TextDecoder();
const NANOS_PER_SECOND = 1_000_000_000;
const BASE_SECONDS = 1_760_000_000;

function hexId(random, bytes) {
  let hex = '';
  for (let i = 0; i < bytes; i++) hex += Math.floor(random() * 256).toString(16).padStart(2, '0');
  return hex;
}

/** Attribute n of a span: a realistic mix of strings, ints, doubles and booleans. */
function attribute(n, spanIndex) {
  switch (n) {
    case 0: return ['http.request.method', spanIndex % 3 === 0 ? 'POST' : 'GET'];
    case 1: return ['url.path', `/api/orders/${1000 + spanIndex}`];
    case 2: return ['http.response.status_code', spanIndex % 17 === 0 ? 500 : 200];
    case 3: return ['server.address', 'orders.internal'];
    case 4: return ['server.port', 8080];
    case 5: return ['network.protocol.version', '1.1'];
    case 6: return ['user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) tracedock-bench/1.0'];
    case 7: return ['http.route', '/api/orders/:id'];
    case 8: return ['app.cache_hit', spanIndex % 2 === 0];
    case 9: return ['app.queue_seconds', 0.001 * (spanIndex % 50)];
    default: return [`app.attr_${n}`, `value-${n}-${spanIndex % 7}`];
  }
}

function attributesOf(count, spanIndex) {
  const attributes = {};
  for (let n = 0; n < count; n++) {
    const [key, value] = attribute(n, spanIndex);
    attributes[key] = value;
  }
  return attributes;
}

function hrTime(offsetNanos) {
  return [BASE_SECONDS + Math.floor(offsetNanos / NANOS_PER_SECOND), offsetNanos % NANOS_PER_SECOND];
}

/**
 * ReadableSpan objects: `spans` spans of `attrs` attributes, spread round-robin over
 * `services` resources, in traces of up to 10 spans (each child's parent is the trace root).
 */
export function makeReadableSpans({ spans = 100, attrs = 10, services = 1, events = 0, seed = 1 } = {}) {
  const random = prng(seed);
  const resources = Array.from({ length: services }, (_, i) =>
    resourceFromAttributes({ 'service.name': `service-${i}`, 'service.version': '1.0.0', 'host.name': `host-${i}` }),
  );
  const scope = { name: 'tracedock-bench', version: '1.0.0' };
  const out = [];
  let traceId = '';
  let rootSpanId = '';
  for (let i = 0; i < spans; i++) {
    const isRoot = i % 10 === 0;
    if (isRoot) traceId = hexId(random, 16);
    const spanId = hexId(random, 8);
    // Captured per span: the loop reassigns traceId and rootSpanId for the next trace.
    const spanTraceId = traceId;
    const parentSpanId = rootSpanId;
    if (isRoot) rootSpanId = spanId;
    const startNanos = i * 1_000_000 + Math.floor(random() * 1000);
    const durationNanos = 50_000 + Math.floor(random() * 5_000_000);
    out.push({
      name: isRoot ? 'GET /api/orders/:id' : `db.query ${i % 5}`,
      kind: isRoot ? 1 : 2,
      spanContext: () => ({ traceId: spanTraceId, spanId, traceFlags: 1 }),
      parentSpanContext: isRoot ? undefined : { traceId: spanTraceId, spanId: parentSpanId, traceFlags: 1 },
      startTime: hrTime(startNanos),
      endTime: hrTime(startNanos + durationNanos),
      duration: [0, durationNanos],
      status: { code: i % 17 === 0 ? 2 : 0, message: i % 17 === 0 ? 'internal error' : undefined },
      attributes: attributesOf(attrs, i),
      links: [],
      events: Array.from({ length: events }, (_, e) => ({
        name: `event-${e}`,
        time: hrTime(startNanos + 1000 * (e + 1)),
        attributes: { 'event.index': e },
      })),
      ended: true,
      resource: resources[i % services],
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  return out;
}

/**
 * An ExportTraceServiceRequest as OTLP/protobuf bytes and as OTLP/JSON text.
 * @returns {{ proto: Uint8Array, json: string, spanCount: number }}
 */
export function makeTraceRequest(options = {}) {
  const spans = makeReadableSpans(options);
  return {
    proto: ProtobufTraceSerializer.serializeRequest(spans),
    json: textDecoder.decode(JsonTraceSerializer.serializeRequest(spans)),
    spanCount: spans.length,
  };
}

/**
 * An ExportLogsServiceRequest of `records` log records (`attrs` attributes each), each one
 * inside a trace, as OTLP/protobuf bytes and OTLP/JSON text.
 * @returns {{ proto: Uint8Array, json: string, recordCount: number }}
 */
export function makeLogsRequest({ records = 100, attrs = 5, services = 1, seed = 2 } = {}) {
  const random = prng(seed);
  const resources = Array.from({ length: services }, (_, i) => resourceFromAttributes({ 'service.name': `service-${i}` }));
  const scope = { name: 'tracedock-bench', version: '1.0.0' };
  const logs = [];
  for (let i = 0; i < records; i++) {
    const time = hrTime(i * 1_000_000);
    logs.push({
      hrTime: time,
      hrTimeObserved: time,
      spanContext: { traceId: hexId(random, 16), spanId: hexId(random, 8), traceFlags: 1 },
      severityText: 'INFO',
      severityNumber: 9,
      body: `order ${1000 + i} placed`,
      resource: resources[i % services],
      instrumentationScope: scope,
      attributes: attributesOf(attrs, i),
      droppedAttributesCount: 0,
    });
  }
  return {
    proto: ProtobufLogsSerializer.serializeRequest(logs),
    json: textDecoder.decode(JsonLogsSerializer.serializeRequest(logs)),
    recordCount: logs.length,
  };
}
