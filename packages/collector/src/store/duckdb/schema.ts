import type { DuckDBConnection } from '@duckdb/node-api';
import { BUCKET_SQL, MINUTE_NS } from './span-minutes.js';
import { TRACE_KEY_SQL } from './trace-index.js';

/**
 * Bump when a table changes shape, and add the step that migrates from the previous
 * version. A file written by a newer collector is refused rather than misread.
 */
export const SCHEMA_VERSION = 5;

/**
 * Sample columns added in version 2 (docker/stats: throttled periods, CPU quota, failcnt and OOM
 * kills, PSI stall totals). Appended last in this order, so a migrated table and a new one have
 * the same column positions, which the appender relies on.
 */
const SAMPLE_COLUMNS_SINCE_V2: readonly string[] = [
  'cpu_periods', 'cpu_throttled_periods', 'cpu_limit_cores', 'memory_failcnt', 'memory_oom_kills',
  'cpu_pressure_some_ms', 'cpu_pressure_full_ms', 'memory_pressure_some_ms', 'memory_pressure_full_ms',
  'io_pressure_some_ms', 'io_pressure_full_ms',
];

/*
 * One row per OTLP metric data point (model/rows.ts MetricPointRow). The value columns are
 * DOUBLE, which holds NaN and the infinities that OTLP doubles may carry; the distribution
 * (buckets or quantiles) is JSON text (../metric-json.ts), as attributes are. Version 4.
 */
const METRIC_POINTS_TABLE = `CREATE TABLE IF NOT EXISTS metric_points (
    time_ns BIGINT NOT NULL,
    start_time_ns BIGINT NOT NULL,
    service VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    metric_type VARCHAR NOT NULL,
    temporality VARCHAR NOT NULL,
    monotonic BOOLEAN NOT NULL,
    value DOUBLE,
    value_is_int BOOLEAN NOT NULL,
    count DOUBLE,
    sum DOUBLE,
    min DOUBLE,
    max DOUBLE,
    distribution VARCHAR,
    flags INTEGER NOT NULL,
    attributes VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    scope_name VARCHAR NOT NULL,
    scope_version VARCHAR NOT NULL,
    container_id VARCHAR
  )`;

/** `MIGRATIONS[n]` moves a version-n file to version n + 1. */
const MIGRATIONS: Readonly<Record<number, readonly string[]>> = {
  1: SAMPLE_COLUMNS_SINCE_V2.map((c) => `ALTER TABLE container_samples ADD COLUMN IF NOT EXISTS ${c} DOUBLE`),
  // Version 3 adds span_traces and span_minutes (created empty with the other tables):
  // fill them from the spans. Its span_edge_pairs, span_edge_minutes and span_edge_rollups stay empty: every
  // minute then reads as not rolled up, and the roll-up job (edge-rollup-job.ts) fills them
  // in the background, newest minutes first, while queries join live.
  2: [
    `INSERT INTO span_traces
     SELECT ${TRACE_KEY_SQL} AS trace_key, min(start_ns), max(start_ns) FROM spans
     WHERE regexp_full_match(trace_id, '[0-9a-f]{32}') GROUP BY trace_id`,
    `INSERT INTO span_minutes
     SELECT minute_ns, service, sum(n)::INTEGER, sum(e)::INTEGER, list(bucket ORDER BY bucket), list(n ORDER BY bucket)
     FROM (
       SELECT start_ns - ((start_ns % ${MINUTE_NS}) + ${MINUTE_NS}) % ${MINUTE_NS} AS minute_ns, service,
         (${BUCKET_SQL('duration_ns')})::SMALLINT AS bucket, count(*)::INTEGER AS n,
         count(*) FILTER (WHERE status_code = 2)::INTEGER AS e
       FROM spans GROUP BY ALL
     ) GROUP BY minute_ns, service`,
  ],
  // Version 4 adds metric_points, with nothing to fill: a version-3 file held no metrics.
  // TABLES has created it already (IF NOT EXISTS); the step says so where migrations are read.
  3: [METRIC_POINTS_TABLE],
  // Version 5 records each container's Docker host, last (the appender's column order);
  // containers stored before it have none ('').
  4: [`ALTER TABLE containers ADD COLUMN IF NOT EXISTS host VARCHAR DEFAULT ''`],
};

/*
 * Column choices, all for append and scan speed:
 * - times are BIGINT nanoseconds (int64 reaches year 2262); spans keep duration_ns so
 *   percentiles and duration filters need no arithmetic per row;
 * - trace/span ids are lowercase hex VARCHAR: DuckDB dictionary/FSST-compresses them and a
 *   UHUGEINT column measured slower to append (the hex -> bigint parse in JS) with no
 *   clear lookup gain;
 * - attributes, resource, events, links and labels are JSON text, so no DuckDB type
 *   reaches the Store interface and json_extract_string still filters on them;
 * - no index on trace_id. Measured at 2M spans: an ART index made lookups ~3x faster
 *   (p50 ~1.7 ms against ~5 ms for the compressed column scan), cost little on appends at
 *   that size, but made the file ~24% larger and a retention DELETE + CHECKPOINT ~20x
 *   slower (0.6 s against 28 ms for 600k rows). Lookups by id go through span_traces
 *   instead (trace-index.ts): a full scan of the spans grows with the store (p50 ~19 ms
 *   at 1M spans through the API on a busy machine).
 * Tables are appended in roughly time order, so zone maps on the time columns prune
 * range queries without any index.
 */
const TABLES: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS tracedock_meta (
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS spans (
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    parent_span_id VARCHAR,
    trace_state VARCHAR NOT NULL,
    service VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind TINYINT NOT NULL,
    start_ns BIGINT NOT NULL,
    end_ns BIGINT NOT NULL,
    duration_ns BIGINT NOT NULL,
    status_code TINYINT NOT NULL,
    status_message VARCHAR NOT NULL,
    attributes VARCHAR NOT NULL,
    events VARCHAR NOT NULL,
    links VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    scope_name VARCHAR NOT NULL,
    scope_version VARCHAR NOT NULL,
    container_id VARCHAR
  )`,
  // One row per trace per span batch (trace-index.ts); trace_key is UBIGINT.
  `CREATE TABLE IF NOT EXISTS span_traces (
    trace_key UBIGINT NOT NULL,
    min_start_ns BIGINT NOT NULL,
    max_start_ns BIGINT NOT NULL
  )`,
  // Per span batch, minute and service: counts and a duration histogram (span-minutes.ts).
  `CREATE TABLE IF NOT EXISTS span_minutes (
    minute_ns BIGINT NOT NULL,
    service VARCHAR NOT NULL,
    spans INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    buckets SMALLINT[] NOT NULL,
    counts INTEGER[] NOT NULL
  )`,
  // Per minute of child span start: service-map edges with a duration histogram (edge-rollup.ts).
  `CREATE TABLE IF NOT EXISTS span_edge_minutes (
    minute_ns BIGINT NOT NULL,
    from_service VARCHAR NOT NULL,
    to_service VARCHAR NOT NULL,
    calls INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    buckets SMALLINT[] NOT NULL,
    counts INTEGER[] NOT NULL
  )`,
  // Per rolled-up child span: its edge, so partial minutes at a range's ends need no join.
  `CREATE TABLE IF NOT EXISTS span_edge_pairs (
    start_ns BIGINT NOT NULL,
    from_service VARCHAR NOT NULL,
    to_service VARCHAR NOT NULL,
    duration_ns BIGINT NOT NULL,
    is_error TINYINT NOT NULL
  )`,
  // Per rolled-up minute: its window's span count then, which tells whether it is current.
  `CREATE TABLE IF NOT EXISTS span_edge_rollups (
    minute_ns BIGINT NOT NULL,
    window_spans BIGINT NOT NULL,
    rolled_at_ms BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS logs (
    time_ns BIGINT NOT NULL,
    observed_time_ns BIGINT NOT NULL,
    trace_id VARCHAR,
    span_id VARCHAR,
    severity_number TINYINT NOT NULL,
    severity_text VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    attributes VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    service VARCHAR NOT NULL,
    scope_name VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    container_id VARCHAR
  )`,
  // DOUBLE for every measure: any JS number round-trips exactly and ALP compresses them.
  `CREATE TABLE IF NOT EXISTS container_samples (
    container_id VARCHAR NOT NULL,
    time_ns BIGINT NOT NULL,
    cpu_percent DOUBLE,
    cpu_throttled_ms DOUBLE,
    memory_bytes DOUBLE,
    memory_limit_bytes DOUBLE,
    net_rx_bytes DOUBLE,
    net_tx_bytes DOUBLE,
    blk_read_bytes DOUBLE,
    blk_write_bytes DOUBLE,
    pids DOUBLE,
    ${SAMPLE_COLUMNS_SINCE_V2.map((c) => `${c} DOUBLE`).join(',\n    ')}
  )`,
  // No primary key: upserts delete then append inside one transaction (see append.ts).
  `CREATE TABLE IF NOT EXISTS containers (
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    image VARCHAR NOT NULL,
    hostname VARCHAR NOT NULL,
    service VARCHAR,
    project VARCHAR,
    state VARCHAR NOT NULL,
    started_at_ns BIGINT,
    finished_at_ns BIGINT,
    restart_count INTEGER NOT NULL,
    cpu_limit DOUBLE,
    memory_limit_bytes DOUBLE,
    labels VARCHAR NOT NULL,
    updated_at_ns BIGINT NOT NULL,
    host VARCHAR DEFAULT ''
  )`,
  `CREATE TABLE IF NOT EXISTS container_events (
    container_id VARCHAR NOT NULL,
    time_ns BIGINT NOT NULL,
    action VARCHAR NOT NULL,
    attributes VARCHAR NOT NULL
  )`,
  METRIC_POINTS_TABLE,
];

/** Creates missing tables and checks (or records) the schema version. */
export async function applySchema(conn: DuckDBConnection): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const ddl of TABLES) await conn.run(ddl);
    const found = await conn.runAndReadAll(
      `SELECT value FROM tracedock_meta WHERE key = 'schema_version'`,
    );
    const rows = found.getRows();
    if (rows.length === 0) {
      await conn.run(`INSERT INTO tracedock_meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
    } else {
      const stored = Number(rows[0]?.[0]);
      if (Number.isInteger(stored) && stored >= 1 && stored < SCHEMA_VERSION) {
        for (let version = stored; version < SCHEMA_VERSION; version += 1) {
          for (const ddl of MIGRATIONS[version] ?? []) await conn.run(ddl);
        }
        await conn.run(`UPDATE tracedock_meta SET value = '${SCHEMA_VERSION}' WHERE key = 'schema_version'`);
      } else if (stored !== SCHEMA_VERSION) {
        throw new Error(
          `store schema version ${String(rows[0]?.[0])} is not ${SCHEMA_VERSION}, the version this collector reads`,
        );
      }
    }
    await conn.run('COMMIT');
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
