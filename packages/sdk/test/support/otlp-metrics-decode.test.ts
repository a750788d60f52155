import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { decodeMetricsRequest } from './otlp-metrics-decode.ts';

/** The test decoder against bytes from OpenTelemetry's own serializer: a wrong field number here would fail. */

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

describe('decodeMetricsRequest', () => {
  it('reads resource, scope, gauges, sums and histograms as the official serializer wrote them', async () => {
    const reader = new OnDemandReader();
    const provider = new MeterProvider({ readers: [reader], resource: resourceFromAttributes({ 'service.name': 'orders', 'process.pid': 42, ok: true }) });
    const meter = provider.getMeter('scope-a');
    meter.createCounter('c', { unit: 'By' }).add(3, { mode: 'x' });
    meter.createUpDownCounter('u').add(-2);
    meter.createGauge('g', { unit: '1' }).record(0.25, { 'cpu.mode': 'user' });
    const histogram = meter.createHistogram('h', { unit: 's' });
    histogram.record(0.5);
    histogram.record(1.5);
    const { resourceMetrics } = await reader.collect();
    await provider.shutdown();
    const body = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
    if (body === undefined) throw new Error('serializer returned nothing');

    const metrics = new Map(decodeMetricsRequest(body).map((m) => [m.name, m]));
    expect(metrics.get('c')).toMatchObject({ scope: 'scope-a', unit: 'By', type: 'sum', temporality: 'cumulative', isMonotonic: true, points: [{ attributes: { mode: 'x' }, value: 3 }] });
    expect(metrics.get('c')?.resource).toMatchObject({ 'service.name': 'orders', 'process.pid': 42, ok: true });
    expect(metrics.get('u')).toMatchObject({ type: 'sum', isMonotonic: false, points: [{ value: -2 }] });
    expect(metrics.get('g')).toMatchObject({ type: 'gauge', unit: '1', points: [{ attributes: { 'cpu.mode': 'user' }, value: 0.25 }] });
    expect(metrics.get('h')).toMatchObject({ type: 'histogram', temporality: 'cumulative', points: [{ count: 2, sum: 2 }] });
    expect(metrics.get('g')?.points[0]?.timeUnixNano).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1_000_000n);
  });
});
