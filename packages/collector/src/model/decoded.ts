/*
 * The contract between the OTLP decoders (receivers/otlp/) and the ingest step
 * (pipeline/ingest.ts): here, under both, so the pipeline never imports a receiver.
 */
import type { LogRow, MetricPointRow, SpanRow } from './rows.js';

/**
 * What decoding one OTLP export request gives: the valid rows, and how many records were
 * rejected and why (reported back as the OTLP partial_success). A request that cannot be
 * decoded at all is `ok: false` with a message naming what was wrong (the receiver answers 400).
 */
export type Decoded<Row> =
  | { ok: true; rows: Row[]; rejected: number; rejectMessage: string }
  | { ok: false; message: string };

export type DecodedSpans = Decoded<SpanRow>;
export type DecodedLogs = Decoded<LogRow>;
export type DecodedMetrics = Decoded<MetricPointRow>;

/** The signals OTLP carries, named as in the URL paths /v1/traces, /v1/logs, /v1/metrics. */
export type Signal = 'traces' | 'logs' | 'metrics';

/**
 * Decoders of one wire encoding. `nowNs` is the observed time given to log records that
 * carry none.
 *
 * @example
 * const decoded = protoDecoder.traces(body);
 * if (!decoded.ok) throw new Error(decoded.message);
 * console.log(decoded.rows.length, 'spans,', decoded.rejected, 'rejected');
 */
export interface OtlpDecoder {
  traces(body: Uint8Array): DecodedSpans;
  logs(body: Uint8Array, nowNs: bigint): DecodedLogs;
  /** One row per data point (gauge, sum, histogram, exponential histogram, summary). */
  metrics(body: Uint8Array): DecodedMetrics;
}
