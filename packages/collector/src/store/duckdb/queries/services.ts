import type { DuckDBConnection } from '@duckdb/node-api';
import type { ServiceSummary, TimeRange } from '../../Store.js';
import { firstRow, readNumber, readString } from '../columns.js';
import type { ResultRow } from '../columns.js';
import { Params } from '../params.js';
import { BUCKET_PERCENTILE_SQL, BUCKET_RANKS_SQL, BUCKET_SQL, MINUTE_NS, minuteOf } from '../span-minutes.js';

const NS_PER_MS = 1e6;
/**
 * Up to this many spans in a range, percentiles are exact; above it they come from the
 * histograms of span_minutes (within ~2.2%), because an exact percentile reads every
 * duration: ~300 ms for 5M spans, where the histograms take a few ms.
 */
export const EXACT_PERCENTILES_MAX_SPANS = 200_000;
/**
 * Even in a range of many spans, a service with at most this many gets exact percentiles:
 * a histogram's ±2.2% holds for any service, but a small service's percentiles are the
 * ones a person checks against the spans they see, and reading its durations is cheap.
 */
export const SERVICE_EXACT_MAX_SPANS = 20_000;

/** The whole minutes inside a range, or null when there is none. */
export function wholeMinutes(range: TimeRange): TimeRange | null {
  const first = minuteOf(range.startNs) === range.startNs ? range.startNs : minuteOf(range.startNs) + MINUTE_NS;
  const last = minuteOf(range.endNs);
  return first < last ? { startNs: first, endNs: last } : null;
}

async function spansInMinutes(conn: DuckDBConnection, minutes: TimeRange): Promise<number> {
  const p = new Params();
  const result = await conn.runAndReadAll(
    `SELECT coalesce(sum(spans), 0) AS spans FROM span_minutes
     WHERE minute_ns >= ${p.bigint(minutes.startNs)} AND minute_ns < ${p.bigint(minutes.endNs)}`,
    p.values,
    p.types,
  );
  return readNumber(firstRow(result.getRowObjects(), 'spans per minute'), 'spans');
}

/**
 * Per service: spans starting in the range, errors, and duration percentiles: exact
 * (interpolated) for ranges of up to EXACT_PERCENTILES_MAX_SPANS spans, else from
 * histograms (counts stay exact either way).
 */
export async function listServices(
  conn: DuckDBConnection,
  range: TimeRange,
  exactMaxSpans = EXACT_PERCENTILES_MAX_SPANS,
): Promise<ServiceSummary[]> {
  const minutes = wholeMinutes(range);
  if (minutes === null || (await spansInMinutes(conn, minutes)) <= exactMaxSpans) return exactServices(conn, range);
  const fromHistograms = await histogramServices(conn, range, minutes);
  const small = fromHistograms.filter((s) => s.spanCount <= Math.min(exactMaxSpans, SERVICE_EXACT_MAX_SPANS)).map((s) => s.name);
  if (small.length === 0) return fromHistograms;
  const exact = new Map((await exactServices(conn, range, small)).map((s) => [s.name, s]));
  return fromHistograms.map((s) => exact.get(s.name) ?? s);
}

/**
 * Whole minutes from span_minutes, the partial minutes at both ends from the spans. A
 * percentile q is interpolated as quantile_cont does, at position (n - 1) q between the
 * spans of ranks floor and ceil of it, each standing as the value of its bucket: so it is
 * within a bucket's ±2.2% of the exact percentile, whatever the service's size.
 */
async function histogramServices(conn: DuckDBConnection, range: TimeRange, minutes: TimeRange): Promise<ServiceSummary[]> {
  const p = new Params();
  const first = p.bigint(minutes.startNs);
  const last = p.bigint(minutes.endNs);

  const result = await conn.runAndReadAll(
    `WITH whole AS (
       SELECT service, spans, errors, buckets, counts FROM span_minutes
       WHERE minute_ns >= ${first} AND minute_ns < ${last}
     ),
     edge AS (
       SELECT service, duration_ns, status_code FROM spans WHERE start_ns >= ${p.bigint(range.startNs)} AND start_ns < ${first}
       UNION ALL
       SELECT service, duration_ns, status_code FROM spans WHERE start_ns >= ${last} AND start_ns < ${p.bigint(range.endNs)}
     ),
     totals AS (
       SELECT service, sum(spans) AS span_count, sum(errors) AS error_count FROM (
         SELECT service, spans, errors FROM whole
         UNION ALL SELECT service, 1, CASE WHEN status_code = 2 THEN 1 ELSE 0 END FROM edge
       ) GROUP BY service
     ),
     hist AS (
       SELECT service, bucket, sum(n) AS n FROM (
         SELECT service, unnest(buckets) AS bucket, unnest(counts) AS n FROM whole
         UNION ALL SELECT service, (${BUCKET_SQL('duration_ns')})::SMALLINT, 1 FROM edge
       ) GROUP BY service, bucket
     ),
     cum AS (
       SELECT service, bucket, sum(n) OVER (PARTITION BY service ORDER BY bucket ROWS UNBOUNDED PRECEDING) AS upto FROM hist
     ),
     ranked AS (
       SELECT t.service, t.span_count, t.error_count, ${BUCKET_RANKS_SQL('t.span_count', p.double(0.5), 'b50')}, ${BUCKET_RANKS_SQL('t.span_count', p.double(0.95), 'b95')}, ${BUCKET_RANKS_SQL('t.span_count', p.double(0.99), 'b99')}
       FROM totals t JOIN cum c ON c.service = t.service
       GROUP BY t.service, t.span_count, t.error_count
     )
     SELECT service AS name, span_count, error_count,
       ${BUCKET_PERCENTILE_SQL('span_count', p.double(0.5), 'b50')} / ${p.double(NS_PER_MS)} AS p50_ms,
       ${BUCKET_PERCENTILE_SQL('span_count', p.double(0.95), 'b95')} / ${p.double(NS_PER_MS)} AS p95_ms,
       ${BUCKET_PERCENTILE_SQL('span_count', p.double(0.99), 'b99')} / ${p.double(NS_PER_MS)} AS p99_ms
     FROM ranked ORDER BY name`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(serviceFromRow);
}

/** Exact counts and interpolated percentiles from the spans: of every service, or of `only`. */
async function exactServices(conn: DuckDBConnection, range: TimeRange, only?: readonly string[]): Promise<ServiceSummary[]> {
  const p = new Params();
  const services = only === undefined ? '' : `AND list_contains(${p.textList(only)}, service)`;
  const result = await conn.runAndReadAll(
    `WITH agg AS (
       SELECT service,
         count(*) AS span_count,
         count(*) FILTER (WHERE status_code = 2) AS error_count,
         quantile_cont(duration_ns, [0.5, 0.95, 0.99]) AS q
       FROM spans
       WHERE start_ns >= ${p.bigint(range.startNs)} AND start_ns < ${p.bigint(range.endNs)} ${services}
       GROUP BY service
     )
     SELECT service AS name, span_count, error_count,
       q[1] / ${p.double(NS_PER_MS)} AS p50_ms,
       q[2] / ${p.double(NS_PER_MS)} AS p95_ms,
       q[3] / ${p.double(NS_PER_MS)} AS p99_ms
     FROM agg ORDER BY name`,
    p.values,
    p.types,
  );
  return result.getRowObjects().map(serviceFromRow);
}

function serviceFromRow(row: ResultRow): ServiceSummary {
  return {
    name: readString(row, 'name'),
    spanCount: readNumber(row, 'span_count'),
    errorCount: readNumber(row, 'error_count'),
    p50Ms: readNumber(row, 'p50_ms'),
    p95Ms: readNumber(row, 'p95_ms'),
    p99Ms: readNumber(row, 'p99_ms'),
  };
}
