import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, InstrumentType, MeterProvider, MetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { CountingMetricExporter } from '../../src/export/counting-metric-exporter.ts';
import { DeliveryCounter } from '../../src/export/delivery-stats.ts';
import { SelfLog } from '../../src/export/self-log.ts';

/**
 * stats().metrics: each collection handed to the OTLP exporter is counted once, as exported or as
 * failed (accepted = exported + droppedExportFailed + inFlight), an outage is said once on stderr and its end once, and the OTLP
 * exporter's temporality choice reaches the reader.
 */

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function realCollection(): Promise<ResourceMetrics> {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  const counter = provider.getMeter('test').createCounter('requests');
  counter.add(1, { route: '/a' });
  counter.add(2, { route: '/b' });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

/** Answers with the scripted results in turn; `throws` makes export() throw instead. */
class ScriptedExporter implements PushMetricExporter {
  constructor(private readonly results: Array<ExportResult | 'throws'>) {}
  export(_metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    const next = this.results.shift() ?? { code: ExportResultCode.SUCCESS };
    if (next === 'throws') throw new Error('serializer exploded');
    setImmediate(() => done(next));
  }
  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });

function exportOnce(exporter: PushMetricExporter, metrics: ResourceMetrics): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(metrics, resolve));
}

describe('CountingMetricExporter', () => {
  it('counts confirmed and failed collections, and says an outage once', async () => {
    const metrics = await realCollection();
    const counter = new DeliveryCounter();
    const lines: string[] = [];
    const failure: ExportResult = { code: ExportResultCode.FAILED, error: refused };
    const exporter = new CountingMetricExporter(new ScriptedExporter([failure, failure, 'throws', { code: ExportResultCode.SUCCESS }]), counter, new SelfLog('metrics', (line) => lines.push(line)));

    const first = exportOnce(exporter, metrics);
    expect(counter.snapshot()).toMatchObject({ accepted: 1, inFlight: 1 });
    expect((await first).code).toBe(ExportResultCode.FAILED);
    expect((await exportOnce(exporter, metrics)).code).toBe(ExportResultCode.FAILED);
    expect((await exportOnce(exporter, metrics)).code).toBe(ExportResultCode.FAILED);
    expect((await exportOnce(exporter, metrics)).code).toBe(ExportResultCode.SUCCESS);

    expect(counter.snapshot()).toEqual({ accepted: 4, exported: 1, dropped: 3, droppedQueueFull: 0, droppedExportFailed: 3, queued: 0, inFlight: 0, retries: 0 });
    expect(lines).toEqual([
      '@tracedock/sdk metrics: export failed (ECONNREFUSED connect ECONNREFUSED 127.0.0.1:4318); the next export carries the totals',
      '@tracedock/sdk metrics: export works again',
    ]);
  });

  it("passes the OTLP exporter's temporality choice to the reader", () => {
    const exporter = new CountingMetricExporter(new ScriptedExporter([]), new DeliveryCounter(), new SelfLog('metrics', () => {}));
    expect(exporter.selectAggregationTemporality?.(InstrumentType.COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
    expect(exporter.selectAggregation).toBeUndefined();
  });
});
