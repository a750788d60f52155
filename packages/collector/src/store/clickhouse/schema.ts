/*
 * The ClickHouse schema, in the spirit of the OpenTelemetry Collector's clickhouseexporter
 * (otel_traces, otel_traces_trace_id_ts, otel_logs) with tracedock's own container tables.
 * Many collectors (one per Docker host) write to one database, so every row carries the
 * `host_name` of the collector that wrote it: container ids are unique per Docker host only,
 * and (host_name, container_id) is what a span or log joins to. Columns otherwise follow the
 * DuckDB store's (duckdb/schema.ts): times are Int64 nanoseconds, attributes, resource,
 * events, links and labels JSON text (../json-columns.ts), so both stores read the same way.
 * - MergeTree tables ordered by time (spans), service and time (logs, metrics) or host,
 *   container and time, partitioned by day, with a TTL of the retention setting, so
 *   ClickHouse itself drops old data;
 * - a bloom-filter skipping index on trace_id, and span_traces (trace id -> start range,
 *   filled by a materialized view) so a lookup by trace id reads the range's parts only;
 * - containers in a ReplacingMergeTree by (host_name, id): an upsert is an insert, the
 *   newest updated_at_ns wins;
 * - non_replicated_deduplication_window: a batch re-inserted after a lost answer (the write
 *   queue's retry) is recognised by its hash and stored once.
 */

export interface ClickHouseSchemaOptions {
  database: string;
  retentionHours: number;
}

/** Seconds of an Int64 nanosecond column, for partitions and TTL. */
const seconds = (column: string): string => `toDateTime(intDiv(${column}, 1000000000))`;
const DEDUPLICATION = 'SETTINGS non_replicated_deduplication_window = 1000';
/*
 * Spans are ordered by start alone, in granules of 1,024 rows: a lookup by trace id reads the
 * granules of the trace's start range (span_traces) that the bloom filter lets through, and
 * every column of each is decompressed, so the fewer rows a granule holds, the less a lookup
 * reads. Measured at 500k spans (bench/stores.mjs' data, merged into one part): by-id p50
 * 17.6 ms ordered by (service, start) in 8,192-row granules, 11.7 ms in 1,024-row ones,
 * 7.7 ms by start alone in 1,024-row ones; bench/stores.mjs itself, right after its inserts,
 * 17.7 -> 12.3 ms. Searches by service read the range's service column instead, which a
 * LowCardinality column makes cheap.
 */
const SPANS_GRANULARITY = ', index_granularity = 1024';

/** The container sample measures (model/rows.ts ContainerSampleRow), in column order. */
export const SAMPLE_MEASURES = [
  ['cpu_percent', 'cpuPercent'], ['cpu_throttled_ms', 'cpuThrottledMs'], ['memory_bytes', 'memoryBytes'],
  ['memory_limit_bytes', 'memoryLimitBytes'], ['net_rx_bytes', 'netRxBytes'], ['net_tx_bytes', 'netTxBytes'],
  ['blk_read_bytes', 'blkReadBytes'], ['blk_write_bytes', 'blkWriteBytes'], ['pids', 'pids'],
  ['cpu_periods', 'cpuPeriods'], ['cpu_throttled_periods', 'cpuThrottledPeriods'], ['cpu_limit_cores', 'cpuLimitCores'],
  ['memory_failcnt', 'memoryFailcnt'], ['memory_oom_kills', 'memoryOomKills'],
  ['cpu_pressure_some_ms', 'cpuPressureSomeMs'], ['cpu_pressure_full_ms', 'cpuPressureFullMs'],
  ['memory_pressure_some_ms', 'memoryPressureSomeMs'], ['memory_pressure_full_ms', 'memoryPressureFullMs'],
  ['io_pressure_some_ms', 'ioPressureSomeMs'], ['io_pressure_full_ms', 'ioPressureFullMs'],
] as const;

/** The statements that create the database and its tables; each is idempotent. */
export function schemaStatements({ database, retentionHours }: ClickHouseSchemaOptions): string[] {
  const db = quoteIdentifier(database);
  const ttl = (column: string): string => `TTL ${seconds(column)} + INTERVAL ${Math.max(1, Math.ceil(retentionHours))} HOUR`;
  const byDay = (column: string): string => `PARTITION BY toDate(${seconds(column)})`;
  /** A table of rows in time: by day, ordered for its reads, dropped past the retention. */
  const mergeTree = (time: string, orderBy: string, settings = ''): string =>
    `ENGINE = MergeTree ${byDay(time)} ORDER BY (${orderBy}) ${ttl(time)} ${DEDUPLICATION}${settings}`;
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    `CREATE TABLE IF NOT EXISTS ${db}.spans (
      host_name LowCardinality(String),
      trace_id String CODEC(ZSTD(1)),
      span_id String CODEC(ZSTD(1)),
      parent_span_id Nullable(String) CODEC(ZSTD(1)),
      trace_state String CODEC(ZSTD(1)),
      service LowCardinality(String),
      name LowCardinality(String),
      kind Int8,
      start_ns Int64 CODEC(Delta, ZSTD(1)),
      end_ns Int64 CODEC(Delta, ZSTD(1)),
      duration_ns Int64 CODEC(ZSTD(1)),
      status_code Int8,
      status_message String CODEC(ZSTD(1)),
      attributes String CODEC(ZSTD(1)),
      events String CODEC(ZSTD(1)),
      links String CODEC(ZSTD(1)),
      resource String CODEC(ZSTD(1)),
      scope_name LowCardinality(String),
      scope_version LowCardinality(String),
      container_id Nullable(String),
      INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
      INDEX idx_duration duration_ns TYPE minmax GRANULARITY 1
    ) ${mergeTree('start_ns', 'start_ns', SPANS_GRANULARITY)}`,
    `CREATE TABLE IF NOT EXISTS ${db}.span_traces (
      trace_id String CODEC(ZSTD(1)),
      min_start_ns SimpleAggregateFunction(min, Int64),
      max_start_ns SimpleAggregateFunction(max, Int64)
    ) ENGINE = AggregatingMergeTree
    ${byDay('max_start_ns')}
    ORDER BY trace_id
    ${ttl('max_start_ns')}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.span_traces_mv TO ${db}.span_traces AS
      SELECT trace_id, min(start_ns) AS min_start_ns, max(start_ns) AS max_start_ns
      FROM ${db}.spans GROUP BY trace_id`,
    `CREATE TABLE IF NOT EXISTS ${db}.logs (
      host_name LowCardinality(String),
      time_ns Int64 CODEC(Delta, ZSTD(1)),
      observed_time_ns Int64 CODEC(Delta, ZSTD(1)),
      trace_id Nullable(String) CODEC(ZSTD(1)),
      span_id Nullable(String) CODEC(ZSTD(1)),
      severity_number Int8,
      severity_text LowCardinality(String),
      body String CODEC(ZSTD(1)),
      attributes String CODEC(ZSTD(1)),
      resource String CODEC(ZSTD(1)),
      service LowCardinality(String),
      scope_name LowCardinality(String),
      source LowCardinality(String),
      container_id Nullable(String),
      INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
    ) ${mergeTree('time_ns', 'service, time_ns')}`,
    `CREATE TABLE IF NOT EXISTS ${db}.container_samples (
      host_name LowCardinality(String),
      container_id String,
      time_ns Int64 CODEC(Delta, ZSTD(1)),
      ${SAMPLE_MEASURES.map(([column]) => `${column} Nullable(Float64)`).join(',\n      ')}
    ) ${mergeTree('time_ns', 'host_name, container_id, time_ns')}`,
    `CREATE TABLE IF NOT EXISTS ${db}.containers (
      host_name LowCardinality(String),
      id String,
      name String,
      image String,
      hostname String,
      service Nullable(String),
      project Nullable(String),
      state LowCardinality(String),
      started_at_ns Nullable(Int64),
      finished_at_ns Nullable(Int64),
      restart_count Int32,
      cpu_limit Nullable(Float64),
      memory_limit_bytes Nullable(Float64),
      labels String,
      updated_at_ns Int64
    ) ENGINE = ReplacingMergeTree(updated_at_ns)
    ORDER BY (host_name, id)`,
    `CREATE TABLE IF NOT EXISTS ${db}.container_events (
      host_name LowCardinality(String),
      container_id String,
      time_ns Int64 CODEC(Delta, ZSTD(1)),
      action LowCardinality(String),
      attributes String
    ) ${mergeTree('time_ns', 'host_name, container_id, time_ns')}`,
    `CREATE TABLE IF NOT EXISTS ${db}.metric_points (
      host_name LowCardinality(String),
      time_ns Int64 CODEC(Delta, ZSTD(1)),
      start_time_ns Int64 CODEC(Delta, ZSTD(1)),
      service LowCardinality(String),
      name LowCardinality(String),
      description String,
      unit LowCardinality(String),
      metric_type LowCardinality(String),
      temporality LowCardinality(String),
      monotonic Bool,
      value Nullable(Float64),
      value_is_int Bool,
      count Nullable(Float64),
      sum Nullable(Float64),
      min Nullable(Float64),
      max Nullable(Float64),
      distribution Nullable(String),
      flags Int32,
      attributes String CODEC(ZSTD(1)),
      resource String CODEC(ZSTD(1)),
      scope_name LowCardinality(String),
      scope_version LowCardinality(String),
      container_id Nullable(String)
    ) ${mergeTree('time_ns', 'service, name, time_ns')}`,
  ];
}

/** `name` as a ClickHouse identifier; only plain names are accepted (settings are validated). */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) throw new Error(`ClickHouse database name must be letters, digits and _, got ${JSON.stringify(name)}`);
  return `\`${name}\``;
}
