import type { DuckDBConnection } from '@duckdb/node-api';
import type { TraceQuery, TraceSummary } from '../../Store.js';
import { readBigInt, readNumber, readString, readStringList } from '../columns.js';
import type { ResultRow } from '../columns.js';
import { jsonPointer } from '../../json-columns.js';
import { Params } from '../params.js';
import { TRACE_KEY_SQL } from '../trace-index.js';
import { assertLimit } from './limit.js';
import { inSnapshot } from './snapshot.js';

/*
 * Trace search, newest first, exact, without scanning the whole range when the newest
 * part of it has enough answers. The range is searched from its end backwards in slices
 * [lower, end) that grow 4x each round: a trace that starts at or after `lower` and
 * matches has its matching span in the slice too (that span starts after the trace does),
 * so once `limit` answers start at or after `lower`, no trace outside the slice can rank
 * above them. The last round, if reached, is the whole range.
 * Per round, the totals of the matched traces read only the spans whose start lies in
 * the matched traces' start range from span_traces (trace-index.ts), which zone maps
 * prune, instead of every span of the store.
 */

/** The first slice is this share of the range. */
const FIRST_SLICE_DIVISOR = 64n;
const SLICE_GROWTH = 4n;
const TRACE_ID_PATTERN = '[0-9a-f]{32}';

/**
 * The span-level filters. Service, operation and attributes must hold on one and the same
 * span (as in Jaeger), and that span must start inside the range. An attribute filter
 * matches a span attribute or a resource attribute of the span, by its text (a number or
 * boolean as JSON writes it, a list or map as its JSON text) or by one element of a list.
 */
function matchingSpans(query: TraceQuery, p: Params): string {
  const where = [`start_ns >= ${p.bigint(query.startNs)}`, `start_ns < ${p.bigint(query.endNs)}`];
  if (query.service !== undefined) where.push(`service = ${p.text(query.service)}`);
  if (query.operation !== undefined) where.push(`name = ${p.text(query.operation)}`);
  for (const [key, value] of Object.entries(query.attributes ?? {})) {
    const needle = p.text(`${JSON.stringify(key)}:`);
    const pointer = p.text(jsonPointer(key));
    const v = p.text(value);
    // A span attribute or, failing that, a resource attribute (deployment.environment...);
    // its text, or one element's of a list. The JSON text holds `"key":` wherever the key is
    // (json-columns.ts writes JSON.stringify's text): a substring test skips parsing the
    // JSON of every span without the key.
    const holds = (column: string): string =>
      `(contains(${column}, ${needle}) AND (json_extract_string(${column}, ${pointer}) = ${v}
        OR (json_type(${column}, ${pointer}) = 'ARRAY' AND list_contains(json_extract_string(json_extract(${column}, ${pointer}), '$[*]'), ${v}))))`;
    where.push(`(${holds('attributes')} OR ${holds('resource')})`);
  }
  return `SELECT DISTINCT trace_id FROM spans WHERE ${where.join(' AND ')}`;
}

/** Filters on the whole trace, applied after its spans are summed up. */
function traceFilters(query: TraceQuery, p: Params): string {
  const where: string[] = [];
  if (query.minDurationNs !== undefined) where.push(`duration_ns >= ${p.bigint(query.minDurationNs)}`);
  if (query.maxDurationNs !== undefined) where.push(`duration_ns <= ${p.bigint(query.maxDurationNs)}`);
  if (query.status === 'error') where.push('error_count > 0');
  if (query.status === 'ok') where.push('error_count = 0');
  return where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
}

/*
 * One statement per slice, so that the span filters run once (a CTE used several times is
 * otherwise planned once per use). `matched`: the traces with a matching span. `bounds`:
 * where those traces' spans start, from span_traces: the empty range 0..-1 when nothing
 * matched (zone maps then prune every row group), the whole BIGINT range when a matched id
 * has no key (a caller that skipped validation). Joined to the spans, the bounds become
 * dynamic filters on start_ns that zone maps prune on.
 * Then two passes, so that the costly part runs on `limit` traces only. First the cheap
 * aggregates (start, duration, counts) for every matched trace, then the trace filters,
 * order and limit. Then, for the survivors, root and services: the root is a span without
 * a parent or whose parent is not in the trace (a partial trace); among several, the
 * earliest; with none (a parent cycle) the earliest span stands in. arg_min over (rank,
 * start, span id) does both in one pass. Parents are looked up among distinct ids so that a
 * span delivered twice (an OTLP retry) cannot double a row, and spans and errors are counted
 * by distinct id, so that the count is the one the trace shows (queries/traces.ts).
 * At 10M spans (bench/query.mjs's data, duration + attribute over an hour, store level) one
 * statement per slice took a search from ~100 ms to ~63 ms p50 (a search by service alone
 * went from ~24 to ~30 ms: its span_traces scan is the same, the range join costs a little
 * more than literal bounds); at a million spans the two passes took a full-range search
 * from ~740 ms to ~150 ms.
 */
const SLICE_SQL = (matched: string, pattern: string, filters: string, limit: string): string => `
  WITH matched AS MATERIALIZED (${matched}),
  found AS MATERIALIZED (
    SELECT count(*) AS traces,
      count(*) FILTER (WHERE NOT regexp_full_match(trace_id, ${pattern})) AS unkeyed
    FROM matched
  ),
  keyed AS MATERIALIZED (
    SELECT min(t.min_start_ns) AS lo, max(t.max_start_ns) AS hi
    FROM span_traces t
    SEMI JOIN (SELECT ${TRACE_KEY_SQL} AS trace_key FROM matched WHERE regexp_full_match(trace_id, ${pattern})) m
      ON t.trace_key = m.trace_key
  ),
  bounds AS MATERIALIZED (
    SELECT
      CASE WHEN f.traces = 0 THEN 0 WHEN f.unkeyed > 0 OR k.lo IS NULL THEN ${BIGINT_MIN} ELSE k.lo END AS lo,
      CASE WHEN f.traces = 0 THEN -1 WHEN f.unkeyed > 0 OR k.hi IS NULL THEN ${BIGINT_MAX} ELSE k.hi END AS hi
    FROM found f, keyed k
  ),
  totals AS (
    SELECT s.trace_id,
      min(s.start_ns) AS start_ns,
      max(s.end_ns) - min(s.start_ns) AS duration_ns,
      count(DISTINCT s.span_id) AS span_count,
      count(DISTINCT s.span_id) FILTER (WHERE s.status_code = 2) AS error_count
    FROM spans s
    JOIN bounds b ON s.start_ns >= b.lo AND s.start_ns <= b.hi
    SEMI JOIN matched m ON s.trace_id = m.trace_id
    GROUP BY s.trace_id
  ),
  top AS MATERIALIZED (
    SELECT * FROM totals ${filters}
    ORDER BY start_ns DESC, trace_id
    LIMIT ${limit}
  ),
  top_spans AS MATERIALIZED (
    SELECT s.trace_id, s.span_id, s.parent_span_id, s.service, s.name, s.start_ns
    FROM spans s
    JOIN bounds b ON s.start_ns >= b.lo AND s.start_ns <= b.hi
    SEMI JOIN top t ON s.trace_id = t.trace_id
  ),
  ids AS (SELECT DISTINCT trace_id, span_id FROM top_spans),
  roots AS (
    SELECT s.trace_id,
      arg_min(s.service, (root_rank, s.start_ns, s.span_id)) AS root_service,
      arg_min(s.name, (root_rank, s.start_ns, s.span_id)) AS root_name,
      list_sort(list_distinct(list(s.service))) AS services
    FROM (
      SELECT s.*, CASE WHEN s.parent_span_id IS NULL OR i.span_id IS NULL THEN 0 ELSE 1 END AS root_rank
      FROM top_spans s
      LEFT JOIN ids i ON i.trace_id = s.trace_id AND i.span_id = s.parent_span_id
    ) s
    GROUP BY s.trace_id
  )
  SELECT top.*, roots.root_service, roots.root_name, roots.services
  FROM top JOIN roots ON roots.trace_id = top.trace_id
  ORDER BY top.start_ns DESC, top.trace_id`;

const BIGINT_MIN = '(-9223372036854775808)::BIGINT';
const BIGINT_MAX = '9223372036854775807::BIGINT';

function summaryFromRow(row: ResultRow): TraceSummary {
  return {
    traceId: readString(row, 'trace_id'),
    rootService: readString(row, 'root_service'),
    rootName: readString(row, 'root_name'),
    startNs: readBigInt(row, 'start_ns'),
    durationNs: readBigInt(row, 'duration_ns'),
    spanCount: readNumber(row, 'span_count'),
    errorCount: readNumber(row, 'error_count'),
    services: readStringList(row, 'services'),
  };
}

async function searchSlice(conn: DuckDBConnection, query: TraceQuery): Promise<TraceSummary[]> {
  const p = new Params();
  const matched = matchingSpans(query, p);
  const sql = SLICE_SQL(matched, p.text(TRACE_ID_PATTERN), traceFilters(query, p), p.integer(query.limit));
  const result = await conn.runAndReadAll(sql, p.values, p.types);
  return result.getRowObjects().map(summaryFromRow);
}

/** Trace summaries, newest first. Every round reads one snapshot. */
export async function searchTraces(conn: DuckDBConnection, query: TraceQuery): Promise<TraceSummary[]> {
  assertLimit(query.limit);
  return inSnapshot(conn, async () => {
    const width = query.endNs - query.startNs;
    let sliceNs = width / FIRST_SLICE_DIVISOR;
    while (true) {
      const lowerNs = sliceNs > 0n && sliceNs < width ? query.endNs - sliceNs : query.startNs;
      const found = await searchSlice(conn, { ...query, startNs: lowerNs });
      const last = found[query.limit - 1];
      if (lowerNs === query.startNs || (last !== undefined && last.startNs >= lowerNs)) return found;
      sliceNs *= SLICE_GROWTH;
    }
  });
}
