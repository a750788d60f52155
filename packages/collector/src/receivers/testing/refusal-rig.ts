import { captureLogger, silentLogger } from '../../../test/support/logger.js';
import { IngestGuard } from '../../auth/ingest-guard.js';
import { loadConfig, type CollectorConfig, type CollectorOptions } from '../../config.js';
import type { Signal } from '../../model/decoded.js';
import { Ingest, type ExportOutcome } from '../../pipeline/ingest.js';
import { REQUEST_REFUSAL_REASONS, type RequestRefusalReason } from '../../pipeline/pipeline-metrics.js';
import { WriteQueue } from '../../pipeline/write-queue.js';
import { MetricsRegistry } from '../../telemetry/metrics.js';
import type { Logger } from '../../telemetry/logger.js';

/*
 * What the refusal tests of both receivers (otlp-http-refusals.test.ts, otlp-grpc-refusals.
 * test.ts) stand a receiver on: a real write queue that keeps what it takes (a long batch
 * delay, a store that writes nothing), an ingest guard with TOKEN, a registry to read the
 * refusal counts from and a logger whose lines the test reads.
 */

export const REFUSED = 'tracedock_otlp_requests_refused_total';
export const TOKEN = 'test-ingest-token';
export const MAX_BODY_BYTES = 64 * 1024;
export const QUEUE_MAX_ROWS = 10;

/** A decoder bug that escaped Ingest's own guard: the receiver's last line of defence. */
export class ThrowingIngest extends Ingest {
  override export(_signal: Signal): ExportOutcome {
    throw new Error('a bug');
  }
}

export type MakeIngest = (queue: WriteQueue, metrics: MetricsRegistry) => Ingest;
export const realIngest: MakeIngest = (queue, metrics) => new Ingest(queue, metrics, silentLogger);

export interface RefusalRig {
  config: CollectorConfig;
  metrics: MetricsRegistry;
  logger: Logger;
  lines: () => Record<string, unknown>[];
  ingest: Ingest;
  guard: IngestGuard;
  queue: WriteQueue;
}

/**
 * The rig, with `options` over the test defaults; the caller shuts its queue down.
 * @example const rig = refusalRig({ otlpHttpPort: 0 }); new OtlpHttpReceiver({ ...rig, ingest: rig.ingest });
 */
export function refusalRig(options: CollectorOptions, makeIngest: MakeIngest = realIngest): RefusalRig {
  const config = loadConfig(
    { host: '127.0.0.1', maxBodyBytes: MAX_BODY_BYTES, maxConcurrentRequests: 1, queueMaxRows: QUEUE_MAX_ROWS, batchMaxRows: QUEUE_MAX_ROWS, batchMaxDelayMillis: 60_000, ...options },
    {},
  );
  const metrics = new MetricsRegistry();
  const { logger, lines } = captureLogger();
  const taken = async (): Promise<{ ok: true; written: number }> => ({ ok: true, written: 0 });
  const queue = new WriteQueue({ store: { writeSpans: taken, writeLogs: taken, writeMetricPoints: taken }, config, metrics, logger: silentLogger });
  queue.start();
  return { config, metrics, logger, lines, queue, guard: new IngestGuard(TOKEN, metrics, logger), ingest: makeIngest(queue, metrics) };
}

/** Each reason's refusal count for one protocol. */
export function refusedCounts(metrics: MetricsRegistry, protocol: 'http' | 'grpc'): Record<RequestRefusalReason, number> {
  const entries = REQUEST_REFUSAL_REASONS.map((reason) => [reason, metrics.value(REFUSED, { protocol, reason })] as const);
  return Object.fromEntries(entries) as Record<RequestRefusalReason, number>;
}
