/**
 * The metrics export path: a periodic reader → counting exporter → OTLP protobuf over HTTP, with
 * cumulative temporality. Built once by sdk.ts and handed to the NodeSDK, whose shutdown collects
 * and sends one last time. Memory is bounded by the series, not by time or by outages: the reader
 * keeps one value per series (at most its cardinality limit, 2000 per instrument), and nothing
 * queues while the collector is down.
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { AggregationTemporality, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { ResolvedMetrics } from '../options.js';
import { CountingMetricExporter } from './counting-metric-exporter.js';
import { DeliveryCounter } from './delivery-stats.js';
import { SelfLog } from './self-log.js';

export interface MetricTarget extends ResolvedMetrics {
  headers: Record<string, string>;
  otlpTimeoutMillis: number;
}

export interface MetricPipeline {
  reader: PeriodicExportingMetricReader;
  counter: DeliveryCounter;
}

export function metricPipeline(target: MetricTarget): MetricPipeline {
  const counter = new DeliveryCounter();
  const otlp = new OTLPMetricExporter({
    url: target.url,
    headers: target.headers,
    // A request may not outlast the export it belongs to.
    timeoutMillis: Math.min(target.otlpTimeoutMillis, target.exportTimeoutMillis),
    temporalityPreference: AggregationTemporality.CUMULATIVE,
  });
  const exporter = new CountingMetricExporter(otlp, counter, new SelfLog('metrics'));
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: target.intervalMillis,
    exportTimeoutMillis: target.exportTimeoutMillis,
  });
  return { reader, counter };
}
