import type { ClickHouseQueryContext } from './context.js';
import { selectRecords } from './context.js';
import { stringOf, stringsOf, uniqueSpansSql } from './span-sql.js';

/** Where a trace's spans start: its first span's start and its last span's. */
export interface TraceStarts {
  traceId: string;
  startNs: bigint;
  lastStartNs: bigint;
}

export interface TraceRoot {
  rootService: string;
  rootName: string;
  /** The trace's services, sorted. */
  services: string[];
}

/**
 * Ids per statement: they travel as a URL parameter (~35 bytes each), which the server
 * bounds (http_max_uri_size, 1 MiB); the API asks for at most 1,000 traces.
 */
const IDS_PER_QUERY = 1_000;

/*
 * The root of each trace as the DuckDB store picks it: a span without a parent or whose
 * parent is not in the trace (a partial trace); of several, the earliest; with none (a
 * parent cycle) the earliest span; ties by span id (argMin over rank, start, span id).
 * Parents are looked up in a set of the traces' (trace id, span id) pairs. The ids are a
 * constant set, which the trace-id bloom filter serves, and the spans are read only from
 * the traces' first start to their last.
 */
const ROOTS_SQL = (db: string): string => {
  const where = 'start_ns >= {firstNs:Int64} AND start_ns <= {lastNs:Int64} AND trace_id IN {traceIds:Array(String)}';
  return `SELECT trace_id,
      argMin(service, (root_rank, start_ns, span_id)) AS root_service,
      argMin(name, (root_rank, start_ns, span_id)) AS root_name,
      arraySort(groupUniqArray(service)) AS services
    FROM (
      SELECT *, if(parent_span_id IS NULL
        OR (trace_id, assumeNotNull(parent_span_id)) NOT IN (SELECT trace_id, span_id FROM ${db}.spans WHERE ${where}), 0, 1) AS root_rank
      FROM (${uniqueSpansSql(db, where, ['parent_span_id', 'service', 'name', 'start_ns'])})
    )
    GROUP BY trace_id`;
};

/**
 * Root span's service and name and the services of each trace (each span once, all hosts).
 * A trace without spans (removed since it was found) is left out.
 * @example
 * const roots = await traceRoots(ctx, [{ traceId, startNs, lastStartNs }]);
 * roots.get(traceId); // { rootService: 'gateway', rootName: 'GET /orders', services: ['gateway', 'orders'] }
 */
export async function traceRoots(ctx: ClickHouseQueryContext, traces: readonly TraceStarts[]): Promise<Map<string, TraceRoot>> {
  const out = new Map<string, TraceRoot>();
  for (let i = 0; i < traces.length; i += IDS_PER_QUERY) {
    const chunk = traces.slice(i, i + IDS_PER_QUERY);
    const params = {
      traceIds: chunk.map((t) => t.traceId),
      firstNs: chunk.reduce((min, t) => (t.startNs < min ? t.startNs : min), chunk[0]?.startNs ?? 0n),
      lastNs: chunk.reduce((max, t) => (t.lastStartNs > max ? t.lastStartNs : max), chunk[0]?.lastStartNs ?? 0n),
    };
    for (const record of await selectRecords(ctx, ROOTS_SQL(ctx.db), params)) {
      out.set(stringOf(record, 'trace_id'), {
        rootService: stringOf(record, 'root_service'),
        rootName: stringOf(record, 'root_name'),
        services: stringsOf(record, 'services'),
      });
    }
  }
  return out;
}
