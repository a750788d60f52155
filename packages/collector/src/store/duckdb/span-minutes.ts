import type { SpanRow } from '../../model/rows.js';

/*
 * The side table span_minutes (schema.ts): per written batch, per minute of span start and
 * service, the span and error counts and a histogram of durations in log-scale buckets of
 * 2^(1/16) (each bucket spans ±2.2% around its middle). listServices reads it instead of
 * every span when a range holds many spans: a million spans become a few thousand rows.
 * A bucket's value is its geometric middle, so percentiles from it are within ~2.2% of the
 * exact ones; counts are exact.
 */

export const MINUTE_NS = 60_000_000_000n;
const BUCKETS_PER_DOUBLING = 16;
/** Durations of 0 ns (and any below 1 ns) go to this bucket, whose value is 0. */
export const ZERO_BUCKET = -1;

/** The bucket of a duration in ns. SQL twin: BUCKET_SQL. */
export function durationBucket(durationNs: number): number {
  return durationNs < 1 ? ZERO_BUCKET : Math.floor(Math.log2(durationNs) * BUCKETS_PER_DOUBLING);
}

/** durationBucket in SQL, of a BIGINT column of ns. */
export const BUCKET_SQL = (column: string): string =>
  `CASE WHEN ${column} < 1 THEN ${ZERO_BUCKET} ELSE floor(log2(${column}) * ${BUCKETS_PER_DOUBLING}) END`;

/** The value in ns that stands for a bucket: its geometric middle. SQL twin: BUCKET_VALUE_SQL. */
export const BUCKET_VALUE_SQL = (column: string): string =>
  `CASE WHEN ${column} = ${ZERO_BUCKET} THEN 0 ELSE pow(2, (${column} + 0.5) / ${BUCKETS_PER_DOUBLING}) END`;

/**
 * Select-list SQL of the buckets that hold the spans of ranks floor and ceil of (n - 1) q,
 * as `${name}_lo` and `${name}_hi`, over a cumulative histogram `c` (columns bucket, upto)
 * of `count` spans; q is SQL too (a parameter). With BUCKET_PERCENTILE_SQL, a percentile
 * interpolated as quantile_cont does, within a bucket's ±2.2% of it for any count.
 */
export const BUCKET_RANKS_SQL = (count: string, q: string, name: string): string =>
  ['floor', 'ceil'].map((round, i) => `min(c.bucket) FILTER (WHERE c.upto > ${round}((${count} - 1) * ${q})) AS ${name}_${i === 0 ? 'lo' : 'hi'}`).join(', ');

/** The value in ns between the two buckets BUCKET_RANKS_SQL picked, at (n - 1) q's fraction. */
export const BUCKET_PERCENTILE_SQL = (count: string, q: string, name: string): string => {
  const fraction = `((${count} - 1) * ${q} - floor((${count} - 1) * ${q}))`;
  return `(${BUCKET_VALUE_SQL(`${name}_lo`)} * (1 - ${fraction}) + ${BUCKET_VALUE_SQL(`${name}_hi`)} * ${fraction})`;
};

export function minuteOf(startNs: bigint): bigint {
  const rest = startNs % MINUTE_NS;
  return rest < 0n ? startNs - rest - MINUTE_NS : startNs - rest;
}

export interface SpanMinute {
  minuteNs: bigint;
  service: string;
  spans: number;
  errors: number;
  /** Buckets in ascending order, and the spans in each. */
  buckets: number[];
  counts: number[];
}

const STATUS_ERROR = 2;
/** Buckets up to 2^64 ns fit, ZERO_BUCKET at index 0. */
const HISTOGRAM_SLOTS = 64 * BUCKETS_PER_DOUBLING + 2;

interface Group {
  spans: number;
  errors: number;
  /** Spans per bucket, at index bucket + 1. */
  histogram: Int32Array;
}

/**
 * One row per (minute, service) of the batch. Per span: one bigint subtraction, a log2
 * and a few map lookups (~0.2 µs); consecutive spans mostly share their minute.
 */
export function spanMinutes(rows: readonly SpanRow[]): SpanMinute[] {
  const minutes = new Map<bigint, Map<string, Group>>();
  let minuteNs = 0n;
  let minuteEndNs = 0n;
  let services: Map<string, Group> | undefined;
  for (const row of rows) {
    if (services === undefined || row.startNs < minuteNs || row.startNs >= minuteEndNs) {
      minuteNs = minuteOf(row.startNs);
      minuteEndNs = minuteNs + MINUTE_NS;
      services = minutes.get(minuteNs);
      if (services === undefined) {
        services = new Map();
        minutes.set(minuteNs, services);
      }
    }
    let group = services.get(row.service);
    if (group === undefined) {
      group = { spans: 0, errors: 0, histogram: new Int32Array(HISTOGRAM_SLOTS) };
      services.set(row.service, group);
    }
    group.spans += 1;
    if (row.statusCode === STATUS_ERROR) group.errors += 1;
    const slot = Math.min(durationBucket(Number(row.endNs - row.startNs)) + 1, HISTOGRAM_SLOTS - 1);
    group.histogram[slot] = (group.histogram[slot] ?? 0) + 1;
  }
  const out: SpanMinute[] = [];
  for (const [minute, byService] of minutes) {
    for (const [service, { spans, errors, histogram }] of byService) {
      const buckets: number[] = [];
      const counts: number[] = [];
      histogram.forEach((count, slot) => {
        if (count > 0) {
          buckets.push(slot - 1);
          counts.push(count);
        }
      });
      out.push({ minuteNs: minute, service, spans, errors, buckets, counts });
    }
  }
  return out;
}
