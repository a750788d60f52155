import type { OtlpDecoder, Signal } from '../model/decoded.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { PIPELINE_METRICS } from './pipeline-metrics.js';
import { approxBatchBytes, type RowBatch, type WriteQueue } from './write-queue.js';

export type Protocol = 'http' | 'grpc';

/**
 * What became of one OTLP export request, whatever its transport; each receiver maps it to
 * its own status codes. `rejected` > 0 is the OTLP partial success.
 */
export type ExportOutcome =
  | { kind: 'accepted'; rejected: number; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'refused'; reason: 'full' | 'shutting_down' | 'too_large'; message: string };

const REFUSAL_MESSAGES = {
  full: 'the collector write queue is full; retry later',
  shutting_down: 'the collector is shutting down; retry against the next instance',
  too_large: 'the request holds more records (or bytes) than the collector queue can ever hold; split it',
} as const;

const RECEIVED_METRIC = {
  spans: PIPELINE_METRICS.spansReceived,
  logs: PIPELINE_METRICS.logsReceived,
  metrics: PIPELINE_METRICS.metricPointsReceived,
} as const;

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * Decodes an export request and hands its rows to the write queue, counting as it goes.
 * Shared by the HTTP and gRPC receivers so that both answer the same request the same way.
 * @example const outcome = ingest.export('traces', protoDecoder, body, 'http');
 */
export class Ingest {
  readonly #queue: Pick<WriteQueue, 'offer'>;
  readonly #metrics: MetricsRegistry;
  readonly #logger: Logger;

  constructor(queue: Pick<WriteQueue, 'offer'>, metrics: MetricsRegistry, logger: Logger) {
    this.#queue = queue;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  export(signal: Signal, decoder: OtlpDecoder, body: Uint8Array, protocol: Protocol): ExportOutcome {
    try {
      return this.#export(signal, decoder, body, protocol);
    } catch (error) {
      // The decoder contract is to return { ok: false }; a throw is a bug, but bad input
      // must still get a 400 rather than take the receiver down.
      this.#logger.error({ err: error, signal, protocol }, 'OTLP decoder threw');
      return { kind: 'invalid', message: `could not decode the ${signal} export request` };
    }
  }

  #export(signal: Signal, decoder: OtlpDecoder, body: Uint8Array, protocol: Protocol): ExportOutcome {
    if (signal === 'metrics') {
      const decoded = decoder.metrics(body);
      if (!decoded.ok) return { kind: 'invalid', message: decoded.message };
      const bytes = approxBatchBytes(body.byteLength, decoded.rows.length, 'metrics');
      return this.#offer({ signal: 'metrics', rows: decoded.rows, bytes }, decoded, protocol);
    }
    if (signal === 'traces') {
      const decoded = decoder.traces(body);
      if (!decoded.ok) return { kind: 'invalid', message: decoded.message };
      const bytes = approxBatchBytes(body.byteLength, decoded.rows.length);
      return this.#offer({ signal: 'spans', rows: decoded.rows, bytes }, decoded, protocol);
    }
    const decoded = decoder.logs(body, nowNs());
    if (!decoded.ok) return { kind: 'invalid', message: decoded.message };
    const bytes = approxBatchBytes(body.byteLength, decoded.rows.length);
    return this.#offer({ signal: 'logs', rows: decoded.rows, bytes }, decoded, protocol);
  }

  #offer(batch: RowBatch, decoded: { rejected: number; rejectMessage: string }, protocol: Protocol): ExportOutcome {
    const { signal } = batch;
    const offered = this.#queue.offer(batch);
    if (!offered.accepted) {
      const reason = offered.reason;
      this.#metrics.inc(PIPELINE_METRICS.rowsRefused, batch.rows.length, { signal, reason });
      return { kind: 'refused', reason, message: REFUSAL_MESSAGES[reason] };
    }
    const received = RECEIVED_METRIC[signal];
    this.#metrics.inc(received, batch.rows.length, { protocol });
    if (decoded.rejected > 0) this.#metrics.inc(PIPELINE_METRICS.rowsRejected, decoded.rejected, { signal });
    return { kind: 'accepted', rejected: decoded.rejected, message: decoded.rejectMessage };
  }
}
