/**
 * Metrics recorded by the real OpenTelemetry JS SDK (@opentelemetry/sdk-metrics), serialized by
 * the official serializers (@opentelemetry/otlp-transformer) to OTLP/protobuf and OTLP/JSON,
 * must come back as the points the SDK collected: values, units, attributes, temporality,
 * buckets, min/max. Expectations come from what was recorded or from the SDK's own data.
 */
import { ValueType } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ExponentialHistogram, MetricReaderOptions, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import type { OtlpDecoder } from '../../model/decoded.js';
import type { MetricPointRow } from '../../model/rows.js';
import { jsonDecoder } from './json.js';
import { makeProtoDecoder, protoDecoder } from './proto.js';
import { protobufjsWireReader } from './wire-protobufjs.js';

const DECODERS: [string, OtlpDecoder, 'proto' | 'json'][] = [
  ['protobuf (bufbuild reader)', protoDecoder, 'proto'],
  ['protobuf (protobufjs reader)', makeProtoDecoder(protobufjsWireReader), 'proto'],
  ['JSON', jsonDecoder, 'json'],
];

const RESOURCE = { 'service.name': 'checkout', 'host.cpu.count': 4 };

/** Collects what a MeterProvider holds, as an exporter would receive it. */
class CollectingReader extends MetricReader {
  constructor(options?: MetricReaderOptions) {
    super(options);
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function ns(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

function serialize(encoding: 'proto' | 'json', collected: ResourceMetrics): Uint8Array {
  const body = (encoding === 'proto' ? ProtobufMetricsSerializer : JsonMetricsSerializer).serializeRequest(collected);
  if (body === undefined) throw new Error('the serializer returned nothing');
  return body;
}

/** Records one of each instrument kind (plus an exponential histogram through a View) and collects. */
async function recordEveryKind(readerOptions?: MetricReaderOptions): Promise<ResourceMetrics> {
  const reader = new CollectingReader(readerOptions);
  const provider = new MeterProvider({
    resource: resourceFromAttributes(RESOURCE),
    readers: [reader],
    views: [{ instrumentName: 'db.query.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } } }],
  });
  const meter = provider.getMeter('checkout-metrics', '2.0.0');
  const requests = meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served' });
  requests.add(2, { 'http.route': '/a' });
  requests.add(3, { 'http.route': '/a' });
  requests.add(1, { 'http.route': '/b', 'http.response.status_code': 500 });
  const queue = meter.createUpDownCounter('queue.items', { valueType: ValueType.INT });
  queue.add(5);
  queue.add(-7);
  meter.createObservableGauge('process.memory.usage', { unit: 'By' }).addCallback((result) => result.observe(123_456_789, { 'memory.kind': 'rss' }));
  const duration = meter.createHistogram('http.server.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  for (const value of [5, 50, 50, 5000]) duration.record(value, { 'http.route': '/a' });
  const query = meter.createHistogram('db.query.duration', { unit: 's' });
  for (const value of [0, 1.5, 3, 3000]) query.record(value);
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return resourceMetrics;
}

function byName(rows: MetricPointRow[], name: string): MetricPointRow[] {
  return rows.filter((row) => row.name === name);
}

describe.each(DECODERS)('metrics from the OTel JS SDK and serializer, %s', (_name, decoder, encoding) => {
  it('decodes counters, up-down counters, gauges, explicit and exponential histograms', async () => {
    const collected = await recordEveryKind();
    const decoded = decoder.metrics(serialize(encoding, collected));
    expect(decoded).toMatchObject({ ok: true, rejected: 0, rejectMessage: '' });
    if (!decoded.ok) return;
    expect(decoded.rows).toHaveLength(6);
    const shared = { service: 'checkout', resource: RESOURCE, scopeName: 'checkout-metrics', scopeVersion: '2.0.0', containerId: null, flags: 0 };
    for (const row of decoded.rows) expect(row).toMatchObject(shared);

    const requests = byName(decoded.rows, 'http.server.requests').sort((a, b) => String(a.attributes['http.route']).localeCompare(String(b.attributes['http.route'])));
    expect(requests).toMatchObject([
      { type: 'sum', unit: '{request}', description: 'Requests served', temporality: 'cumulative', monotonic: true, value: 5, valueIsInt: false, attributes: { 'http.route': '/a' }, distribution: null, count: null },
      { type: 'sum', temporality: 'cumulative', monotonic: true, value: 1, attributes: { 'http.route': '/b', 'http.response.status_code': 500 } },
    ]);
    expect(byName(decoded.rows, 'queue.items')).toMatchObject([{ type: 'sum', temporality: 'cumulative', monotonic: false, value: -2, valueIsInt: true, attributes: {} }]);
    expect(byName(decoded.rows, 'process.memory.usage')).toMatchObject([
      { type: 'gauge', unit: 'By', temporality: 'unspecified', monotonic: false, value: 123_456_789, attributes: { 'memory.kind': 'rss' } },
    ]);
    expect(byName(decoded.rows, 'http.server.duration')).toMatchObject([
      {
        type: 'histogram',
        unit: 'ms',
        temporality: 'cumulative',
        value: null,
        count: 4,
        sum: 5105,
        min: 5,
        max: 5000,
        attributes: { 'http.route': '/a' },
        distribution: { kind: 'explicit', bounds: [10, 100, 1000], counts: [1, 2, 0, 1] },
      },
    ]);

    const [exponential] = byName(decoded.rows, 'db.query.duration');
    expect(exponential).toMatchObject({ type: 'exponential_histogram', unit: 's', temporality: 'cumulative', count: 4, sum: 3004.5, min: 0, max: 3000 });
    const sdkPoint = collected.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'db.query.duration')!;
    expect(sdkPoint.dataPointType).toBe(DataPointType.EXPONENTIAL_HISTOGRAM);
    const sdkValue = sdkPoint.dataPoints[0]!.value as ExponentialHistogram;
    expect(exponential!.distribution).toEqual({
      kind: 'exponential',
      scale: sdkValue.scale,
      zeroCount: 1,
      zeroThreshold: 0,
      positive: { offset: sdkValue.positive.offset, counts: sdkValue.positive.bucketCounts },
      negative: { offset: 0, counts: [] },
    });
    // With 20 buckets, 1.5 .. 3000 (11 doublings) fits at scale 0 (one bucket per doubling,
    // bucket i = (2^i, 2^(i+1)]) but not at scale 1 (23 buckets): 1.5 in 0, 3 in 1, 3000 in 11.
    expect(exponential!.distribution).toMatchObject({ scale: 0, positive: { offset: 0, counts: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] } });

    // Exact nanosecond times, as the SDK stamped them.
    const sdkCounter = collected.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'queue.items')!.dataPoints[0]!;
    expect(byName(decoded.rows, 'queue.items')[0]).toMatchObject({ timeNs: ns(sdkCounter.endTime), startTimeNs: ns(sdkCounter.startTime) });
    expect(byName(decoded.rows, 'queue.items')[0]!.timeNs).toBeGreaterThan(0n);
  });

  it('decodes delta temporality when the reader asks for it', async () => {
    const collected = await recordEveryKind({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
    const decoded = decoder.metrics(serialize(encoding, collected));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(byName(decoded.rows, 'http.server.requests').map((row) => [row.temporality, row.monotonic])).toEqual([
      ['delta', true],
      ['delta', true],
    ]);
    expect(byName(decoded.rows, 'http.server.duration')[0]?.temporality).toBe('delta');
    expect(byName(decoded.rows, 'db.query.duration')[0]?.temporality).toBe('delta');
    expect(byName(decoded.rows, 'process.memory.usage')[0]?.temporality).toBe('unspecified');
  });

  it('rejects points of a metric without a name and points without a time, and keeps the rest', async () => {
    const collected = await recordEveryKind();
    const scope = collected.scopeMetrics[0]!;
    const metrics = scope.metrics.map((metric) => {
      if (metric.descriptor.name === 'queue.items') return { ...metric, descriptor: { ...metric.descriptor, name: '' } };
      if (metric.descriptor.name === 'http.server.requests') {
        return { ...metric, dataPoints: metric.dataPoints.map((point, i) => (i === 1 ? { ...point, endTime: [0, 0] as HrTime } : point)) };
      }
      return metric;
    });
    const broken: ResourceMetrics = { ...collected, scopeMetrics: [{ ...scope, metrics: metrics as typeof scope.metrics }] };
    const requestsIndex = scope.metrics.findIndex((m) => m.descriptor.name === 'http.server.requests');
    const queueIndex = scope.metrics.findIndex((m) => m.descriptor.name === 'queue.items');
    expect(requestsIndex).toBeLessThan(queueIndex); // instruments come out in creation order
    const decoded = decoder.metrics(serialize(encoding, broken));
    expect(decoded).toMatchObject({
      ok: true,
      rejected: 2,
      rejectMessage: `2 data points rejected: resourceMetrics[0].scopeMetrics[0].metrics[${requestsIndex}].sum.dataPoints[1]: timeUnixNano is 0 (a data point must say when it was recorded)`,
    });
    if (decoded.ok) expect(decoded.rows.map((row) => row.name).sort()).toEqual(['db.query.duration', 'http.server.duration', 'http.server.requests', 'process.memory.usage']);
  });
});

it('protobuf and JSON give identical rows for the same collection', async () => {
  const collected = await recordEveryKind();
  const fromProto = protoDecoder.metrics(serialize('proto', collected));
  const fromJson = jsonDecoder.metrics(serialize('json', collected));
  expect(fromProto.ok && fromJson.ok).toBe(true);
  if (fromProto.ok && fromJson.ok) expect(fromProto.rows).toEqual(fromJson.rows);
});
