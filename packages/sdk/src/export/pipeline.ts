/**
 * One signal's export path: bounded, counted queue → batch processor → retrying exporter → OTLP
 * protobuf over HTTP. Built once per signal by sdk.ts.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchLogRecordProcessor, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ResolvedQueue } from '../options.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { BoundedLogRecordProcessor } from './bounded-log-processor.js';
import { BoundedSpanProcessor } from './bounded-span-processor.js';
import { DeliveryCounter } from './delivery-stats.js';
import { RetryingExporter } from './retrying-exporter.js';
import { SelfLog } from './self-log.js';

export interface ExportTarget {
  url: string;
  headers: Record<string, string>;
  otlpTimeoutMillis: number;
  queue: ResolvedQueue;
}

export interface Pipeline<P> {
  processor: P;
  counter: DeliveryCounter;
  beginShutdown(deadlineAtMillis: number): void;
}

/**
 * The batch processor's own export timeout is set past our retry budget: if it fired first it
 * would start the next batch while this one is still retrying, and exports would pile up.
 */
const BATCH_TIMEOUT_MARGIN_MILLIS = 1_000;

function batchOptions(queue: ResolvedQueue) {
  return {
    maxQueueSize: queue.maxQueueSize,
    maxExportBatchSize: queue.maxExportBatchSize,
    scheduledDelayMillis: queue.scheduledDelayMillis,
    exportTimeoutMillis: queue.exportTimeoutMillis + BATCH_TIMEOUT_MARGIN_MILLIS,
  };
}

function retryPolicy(target: ExportTarget) {
  return { budgetMillis: target.queue.exportTimeoutMillis, attemptTimeoutMillis: target.otlpTimeoutMillis, backoff: DEFAULT_BACKOFF };
}

export function spanPipeline(target: ExportTarget): Pipeline<SpanProcessor> {
  const counter = new DeliveryCounter();
  const log = new SelfLog('spans');
  const otlp = new OTLPTraceExporter({ url: target.url, headers: target.headers, timeoutMillis: target.otlpTimeoutMillis });
  const exporter = new RetryingExporter<ReadableSpan>(otlp, counter, retryPolicy(target), log);
  const batch = new BatchSpanProcessor({ exporter, ...batchOptions(target.queue) });
  return {
    processor: new BoundedSpanProcessor(batch, counter, target.queue.maxQueueSize, log),
    counter,
    beginShutdown: (deadline) => exporter.beginShutdown(deadline),
  };
}

export function logPipeline(target: ExportTarget): Pipeline<LogRecordProcessor> {
  const counter = new DeliveryCounter();
  const log = new SelfLog('logs');
  const otlp = new OTLPLogExporter({ url: target.url, headers: target.headers, timeoutMillis: target.otlpTimeoutMillis });
  const exporter = new RetryingExporter<ReadableLogRecord>(otlp, counter, retryPolicy(target), log);
  const batch = new BatchLogRecordProcessor({ exporter, ...batchOptions(target.queue) });
  return {
    processor: new BoundedLogRecordProcessor(batch, counter, target.queue.maxQueueSize, log),
    counter,
    beginShutdown: (deadline) => exporter.beginShutdown(deadline),
  };
}
