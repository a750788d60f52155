/**
 * Wraps the OTLP metric exporter to count what became of each collection in stats().metrics (a
 * DeliveryCounter, one collection = one item) and to say an outage once on stderr, as the span
 * and log paths do. No retry here: the reader sends the cumulative totals again at the next
 * interval, so a retried old collection would only be older.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DeliveryCounter } from './delivery-stats.js';
import type { SelfLog } from './self-log.js';

function describe(error: Error | undefined): string {
  if (error === undefined) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  return code === undefined ? error.message || error.name : `${String(code)} ${error.message}`.trim();
}

export class CountingMetricExporter implements PushMetricExporter {
  // The reader asks its exporter which temporality and aggregation to use: OTLP's choices, passed through.
  readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly counter: DeliveryCounter,
    private readonly log: SelfLog,
  ) {
    this.selectAggregationTemporality = inner.selectAggregationTemporality?.bind(inner);
    this.selectAggregation = inner.selectAggregation?.bind(inner);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.counter.accepted += 1;
    this.counter.handed += 1;
    let settled = false;
    const settle = (result: ExportResult): void => {
      // An exporter must call back once; counting twice would break accepted = exported + failed + in flight.
      if (settled) return;
      settled = true;
      if (result.code === ExportResultCode.SUCCESS) {
        this.counter.exported += 1;
        this.log.recovered('export works again');
      } else {
        this.counter.droppedExportFailed += 1;
        this.log.once('failing', `export failed (${describe(result.error)}); the next export carries the totals`);
      }
      resultCallback(result);
    };
    try {
      this.inner.export(metrics, settle);
    } catch (error) {
      settle({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
