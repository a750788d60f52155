/**
 * Real OTLP request bodies for tests, encoded by the OpenTelemetry JS serializers
 * (@opentelemetry/otlp-transformer), so that the collector is tested against the bytes
 * real exporters send rather than against our own encoder.
 */
import { SpanKind, SpanStatusCode, TraceFlags, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { randomBytes } from 'node:crypto';

export function randomTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function randomSpanId(): string {
  return randomBytes(8).toString('hex');
}

function hrTime(epochMillis: number): HrTime {
  return [Math.floor(epochMillis / 1000), (epochMillis % 1000) * 1_000_000];
}

export interface TraceSpec {
  traceId?: string;
  spanCount?: number;
  service?: string;
  /** Start of the root span, ms since the epoch; now by default. */
  startMillis?: number;
}

/**
 * One trace as SDK spans: a root server span and `spanCount - 1` children, 1 ms each.
 * @example const spans = makeTraceSpans({ traceId: randomTraceId(), spanCount: 3 });
 */
export function makeTraceSpans(spec: TraceSpec = {}): ReadableSpan[] {
  const traceId = spec.traceId ?? randomTraceId();
  const count = spec.spanCount ?? 1;
  const startMillis = spec.startMillis ?? Date.now();
  const resource = resourceFromAttributes({ 'service.name': spec.service ?? 'test-service' });
  const rootSpanId = randomSpanId();
  return Array.from({ length: count }, (_, index): ReadableSpan => {
    const spanId = index === 0 ? rootSpanId : randomSpanId();
    const parent = index === 0 ? undefined : { traceId, spanId: rootSpanId, traceFlags: TraceFlags.SAMPLED };
    return {
      name: index === 0 ? 'GET /orders' : `step ${index}`,
      kind: index === 0 ? SpanKind.SERVER : SpanKind.INTERNAL,
      spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
      parentSpanContext: parent,
      startTime: hrTime(startMillis + index),
      endTime: hrTime(startMillis + index + 1),
      duration: [0, 1_000_000],
      status: { code: SpanStatusCode.OK },
      attributes: { 'test.index': index },
      links: [],
      events: [],
      ended: true,
      resource,
      instrumentationScope: { name: 'tracedock-test', version: '1.0.0' },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  });
}

/** An ExportTraceServiceRequest in protobuf, as @opentelemetry/exporter-trace-otlp-proto sends it. */
export function encodeTraceRequestProto(spans: ReadableSpan[]): Uint8Array {
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (body === undefined) throw new Error('ProtobufTraceSerializer returned nothing');
  return body;
}

/** The same request in OTLP/JSON, as @opentelemetry/exporter-trace-otlp-http sends it. */
export function encodeTraceRequestJson(spans: ReadableSpan[]): Uint8Array {
  const body = JsonTraceSerializer.serializeRequest(spans);
  if (body === undefined) throw new Error('JsonTraceSerializer returned nothing');
  return body;
}
