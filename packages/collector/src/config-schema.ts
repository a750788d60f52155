import { existsSync } from 'node:fs';
import { dockerEndpoint, duckdbMemory, hostName, integer, onOff, oneOf, positive, storeUrl, text, token, type ValueKind } from './config-values.js';
import { DEFAULT_DATABASE_SETTINGS } from './store/duckdb/database-settings.js';

/**
 * Every setting of the collector, once: its value's kind (a zod schema), default, environment
 * variable, one line of help and, if it has one, its CLI flag. config.ts derives CollectorConfig,
 * the defaults and loadConfig from it; cli-args.ts the flags and --help.
 */
export interface Setting<T> {
  kind: ValueKind<T>;
  /** A function where the default depends on where the collector runs. */
  default: NoInfer<T> | (() => NoInfer<T>);
  env: string;
  help: string;
  /** A flag that takes a value: `--<flag> <value>`. */
  flag?: string;
  /** A flag without a value that turns the setting off: `--<offSwitch>`. */
  offSwitch?: string;
  /** How --help shows the default where the value alone would not say it. */
  shownDefault?: string;
}

function setting<T>(entry: Setting<T>): Setting<T> {
  return entry;
}

/** The dataDir that keeps everything in memory (nothing is written to disk). */
export const IN_MEMORY_DATA_DIR = ':memory:';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const PORT = integer(0, 65_535);
const COUNT_MAX = 1_000_000_000;
/** More than a Docker host has cores: a typo (20000) fails at start rather than spawn them. */
const DUCKDB_THREADS_MAX = 256;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Inside a container the collector must listen on every interface to be reachable. */
function defaultHost(): string {
  return existsSync('/.dockerenv') ? '0.0.0.0' : '127.0.0.1';
}

export const SETTINGS = {
  /** Bind address for every listener. */
  host: setting({ kind: text, default: defaultHost, env: 'TRACEDOCK_HOST', flag: 'host', help: 'bind address of every listener',
    shownDefault: '127.0.0.1 (0.0.0.0 inside a container)' }),
  otlpHttpPort: setting({ kind: PORT, default: 4318, env: 'TRACEDOCK_OTLP_HTTP_PORT', flag: 'otlp-http-port',
    help: 'OTLP/HTTP port (/v1/traces, /v1/logs, /v1/metrics); 0 = any' }),
  otlpGrpcPort: setting({ kind: PORT, default: 4317, env: 'TRACEDOCK_OTLP_GRPC_PORT', flag: 'otlp-grpc-port', help: 'OTLP/gRPC port; 0 = any' }),
  uiPort: setting({ kind: PORT, default: 4320, env: 'TRACEDOCK_UI_PORT', flag: 'ui-port', help: 'UI, query API and /metrics port; 0 = any' }),
  /** Folder of the embedded store; ':memory:' keeps everything in memory. */
  dataDir: setting({ kind: text, default: './.tracedock', env: 'TRACEDOCK_DATA_DIR', flag: 'data-dir',
    help: "folder of the embedded store (':memory:' keeps nothing)" }),
  /** DuckDB's memory_limit ('512MB', '2GiB'); a file-backed store only, as ':memory:' has nowhere to evict to. */
  duckdbMemoryLimit: setting({ kind: duckdbMemory, default: DEFAULT_DATABASE_SETTINGS.memoryLimit, env: 'TRACEDOCK_DUCKDB_MEMORY_LIMIT',
    flag: 'duckdb-memory-limit', help: "DuckDB's memory limit in its syntax (512MB, 2GiB); ':memory:' keeps DuckDB's own (80% of RAM)" }),
  duckdbThreads: setting({ kind: integer(1, DUCKDB_THREADS_MAX), default: DEFAULT_DATABASE_SETTINGS.threads, env: 'TRACEDOCK_DUCKDB_THREADS',
    flag: 'duckdb-threads', help: "DuckDB's worker threads (queries, checkpoints)" }),
  /** Largest accepted OTLP request body, compressed or after decompression. */
  maxBodyBytes: setting({ kind: integer(1024, GIB), default: 8 * MIB, env: 'TRACEDOCK_MAX_BODY_BYTES', flag: 'max-body-bytes',
    help: 'largest OTLP request body, compressed or inflated' }),
  maxConcurrentRequests: setting({ kind: integer(1, 10_000), default: 64, env: 'TRACEDOCK_MAX_CONCURRENT_REQUESTS',
    help: 'OTLP/HTTP requests whose bodies are read at once; beyond it the receiver answers 429' }),
  queueMaxRows: setting({ kind: integer(1, COUNT_MAX), default: 200_000, env: 'TRACEDOCK_QUEUE_MAX_ROWS',
    help: 'spans plus log records waiting for the store; beyond it receivers answer 429' }),
  /**
   * Approximate memory of those rows (their OTLP bytes plus a per-row cost); beyond it receivers
   * answer 429. The bound that keeps the collector's memory flat when the store falls behind.
   */
  queueMaxBytes: setting({ kind: integer(MIB, 64 * GIB), default: 64 * MIB, env: 'TRACEDOCK_QUEUE_MAX_BYTES', flag: 'queue-max-bytes',
    help: 'approximate memory of rows waiting for the store; beyond it OTLP gets 429' }),
  storeWritesInFlight: setting({ kind: integer(1, 4), default: 1, env: 'TRACEDOCK_STORE_WRITES_IN_FLIGHT', flag: 'store-writes-in-flight',
    help: 'store writes per table at once (2: append the next batch while the last commits)' }),
  batchMaxRows: setting({ kind: integer(1, COUNT_MAX), default: 10_000, env: 'TRACEDOCK_BATCH_MAX_ROWS', help: 'rows per store write' }),
  batchMaxDelayMillis: setting({ kind: integer(1, 60_000), default: 200, env: 'TRACEDOCK_BATCH_MAX_DELAY_MS',
    help: 'longest a row waits before its batch is written' }),
  /** Memory: about 35 bytes per span (13.6 MB at the default). */
  spanDedupeCapacity: setting({ kind: integer(0, 50_000_000), default: 390_000, env: 'TRACEDOCK_SPAN_DEDUPE_CAPACITY', flag: 'span-dedupe-capacity',
    help: 'spans remembered by id so a re-sent batch is stored once; 0 = off' }),
  /**
   * How long a container stdout/stderr line waits before it is stored, so that the same record
   * arriving over OTLP (a service logging to stdout and exporting its logs) replaces it.
   */
  logDedupeHoldMillis: setting({ kind: integer(0, 300_000), default: 5_000, env: 'TRACEDOCK_LOG_DEDUPE_HOLD_MS', flag: 'log-dedupe-hold-ms',
    help: 'container log lines wait this long for the same record over OTLP; 0 = off' }),
  retryAfterSeconds: setting({ kind: integer(1, 3600), default: 2, env: 'TRACEDOCK_RETRY_AFTER_SECONDS',
    help: 'Retry-After of a 429: seconds a client is told to wait when the queue is full' }),
  retentionHours: setting({ kind: positive, default: 24, env: 'TRACEDOCK_RETENTION_HOURS', flag: 'retention-hours',
    help: 'telemetry older than this is removed' }),
  retentionMaxBytes: setting({ kind: integer(MIB, Number.MAX_SAFE_INTEGER), default: 10 * GIB, env: 'TRACEDOCK_RETENTION_MAX_BYTES',
    flag: 'retention-max-bytes', help: 'above this store size the oldest data goes first' }),
  retentionIntervalMillis: setting({ kind: integer(100, 24 * 3_600_000), default: 60_000, env: 'TRACEDOCK_RETENTION_INTERVAL_MS',
    help: 'how often retention runs' }),
  shutdownTimeoutMillis: setting({ kind: integer(1, 600_000), default: 10_000, env: 'TRACEDOCK_SHUTDOWN_TIMEOUT_MS',
    help: 'bound on the time SIGTERM waits for the queue to drain' }),
  logLevel: setting({ kind: oneOf(LOG_LEVELS), default: 'info', env: 'TRACEDOCK_LOG_LEVEL', flag: 'log-level',
    help: 'fatal, error, warn, info, debug, trace or silent' }),
  dockerEnabled: setting({ kind: onOff, default: true, env: 'TRACEDOCK_DOCKER', offSwitch: 'no-docker',
    help: 'run without the Docker part (no containers, stats or container logs)' }),
  dockerHost: setting({ kind: dockerEndpoint, default: 'unix:///var/run/docker.sock', env: 'DOCKER_HOST', flag: 'docker-host',
    help: 'Docker Engine endpoint: unix:///path/to/docker.sock or tcp://host:port' }),
  /** Ceiling of the first wait before reconnecting to a daemon that went away (full jitter: a random wait up to it); doubled on each failure up to the max. */
  dockerReconnectMinMillis: setting({ kind: integer(10, 60_000), default: 250, env: 'TRACEDOCK_DOCKER_RECONNECT_MIN_MS',
    help: 'ceiling of the first (random) wait before reconnecting to the Docker daemon; doubled on each failure' }),
  dockerReconnectMaxMillis: setting({ kind: integer(10, 300_000), default: 2_000, env: 'TRACEDOCK_DOCKER_RECONNECT_MAX_MS',
    flag: 'docker-reconnect-max-ms', help: 'ceiling of the waits between reconnects to the Docker daemon' }),
  dockerRequestTimeoutMillis: setting({ kind: integer(100, 300_000), default: 5_000, env: 'TRACEDOCK_DOCKER_TIMEOUT_MS',
    help: 'bound on each non-streaming Docker API call (ping, list, inspect)' }),
  dockerMaxContainers: setting({ kind: integer(10, 1_000_000), default: 10_000, env: 'TRACEDOCK_DOCKER_MAX_CONTAINERS',
    help: 'containers kept in memory for the join; beyond it the longest-dead go first' }),
  containerLogsEnabled: setting({ kind: onOff, default: true, env: 'TRACEDOCK_CONTAINER_LOGS', offSwitch: 'no-container-logs',
    help: 'do not store the stdout/stderr of containers' }),
  containerLogMaxLineBytes: setting({ kind: integer(256, 16 * MIB), default: 64 * 1024, env: 'TRACEDOCK_CONTAINER_LOG_MAX_LINE_BYTES',
    flag: 'container-log-max-line-bytes', help: 'longer container log lines are cut (and counted)' }),
  /** Per-container token bucket: sustained lines per second, and the burst (also its buffer bound). */
  containerLogLinesPerSecond: setting({ kind: integer(1, 1_000_000), default: 1_000, env: 'TRACEDOCK_CONTAINER_LOG_LINES_PER_SECOND',
    flag: 'container-log-lines-per-second', help: 'per-container log rate; lines above it are dropped (and counted)' }),
  containerLogBurstLines: setting({ kind: integer(1, 1_000_000), default: 5_000, env: 'TRACEDOCK_CONTAINER_LOG_BURST_LINES',
    help: 'per-container log burst above the rate, and its buffer bound' }),
  containerLogMaxStreams: setting({ kind: integer(0, 100_000), default: 1_000, env: 'TRACEDOCK_CONTAINER_LOG_MAX_STREAMS',
    help: 'containers whose logs are followed at once (each holds a connection to the daemon)' }),
  statsIntervalMillis: setting({ kind: integer(100, 3_600_000), default: 1_000, env: 'TRACEDOCK_STATS_INTERVAL_MS',
    help: 'one resource sample of every running container per interval' }),
  /**
   * Where samples come from: the host's cgroup files (cheap), the Docker stats API (streams; costs
   * dockerd CPU), or 'auto': cgroup files for every container found there, the API for the rest.
   */
  statsSource: setting({ kind: oneOf(['auto', 'cgroup', 'docker-api']), default: 'auto', env: 'TRACEDOCK_STATS_SOURCE',
    help: "auto, cgroup (the host's cgroup files) or docker-api (the stats API; costs dockerd CPU)" }),
  cgroupRoot: setting({ kind: text, default: '/sys/fs/cgroup', env: 'TRACEDOCK_CGROUP_ROOT',
    help: "the host's cgroup mount (inside a container, a read-only bind of it)" }),
  procRoot: setting({ kind: text, default: '/proc', env: 'TRACEDOCK_PROC_ROOT', help: "the host's /proc (inside a container, a bind of it)" }),
  suspectsSlowSpanMillis: setting({ kind: integer(0, 3_600_000), default: 500, env: 'TRACEDOCK_SUSPECTS_SLOW_SPAN_MS',
    help: 'resource suspects: a span is slow above this when its operation has too few spans for a p95' }),
  /** Failed spans are checked whatever their length: 1 s samples say little about a 2 ms span. */
  suspectsMinSpanMillis: setting({ kind: integer(0, 3_600_000), default: 20, env: 'TRACEDOCK_SUSPECTS_MIN_SPAN_MS',
    help: 'shorter spans are never checked as slow' }),
  suspectsBaselineHours: setting({ kind: positive, default: 6, env: 'TRACEDOCK_SUSPECTS_BASELINE_HOURS',
    help: "an operation's p95 is taken over its spans of this many hours before the trace" }),
  suspectsBaselineMinSpans: setting({ kind: integer(1, COUNT_MAX), default: 20, env: 'TRACEDOCK_SUSPECTS_BASELINE_MIN_SPANS',
    help: 'with fewer spans in the baseline, the slow-span bound decides instead of the p95' }),
  /** `auto` (on, made and printed at start, whenever the listeners bind beyond loopback), `off`, or the token (auth/tokens.ts). */
  apiToken: setting({ kind: token, default: 'auto', env: 'TRACEDOCK_API_TOKEN', flag: 'api-token',
    help: 'bearer token of the UI, query API and /metrics: auto (on beyond loopback), off, or the token' }),
  ingestToken: setting({ kind: token, default: 'auto', env: 'TRACEDOCK_INGEST_TOKEN', flag: 'ingest-token',
    help: 'bearer token OTLP exporters send: auto (on beyond loopback), off, or the token' }),
  /** The Docker host this collector runs for (host-name.ts). */
  hostName: setting({ kind: hostName, default: '', env: 'TRACEDOCK_HOST_NAME', flag: 'host-name', shownDefault: "the Docker engine's name",
    help: "the Docker host this collector runs for; empty: the Docker engine's name, else this machine's" }),
  /** Where telemetry is stored (store/store-setting.ts): one ClickHouse server may serve many collectors. */
  store: setting({ kind: storeUrl, default: 'duckdb', env: 'TRACEDOCK_STORE', flag: 'store',
    help: 'duckdb (embedded, in --data-dir) or clickhouse://[user[:password]@]host[:port][/database][?secure=true]' }),
};

export type SettingKey = keyof typeof SETTINGS;

/** The value type of each setting, derived from its kind: CollectorConfig. */
export type SettingValues = { -readonly [K in SettingKey]: (typeof SETTINGS)[K] extends Setting<infer T> ? T : never };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** A setting's default, computed where it depends on the machine. */
export function defaultOf<K extends SettingKey>(key: K): SettingValues[K] {
  const value: unknown = SETTINGS[key].default;
  return (typeof value === 'function' ? value() : value) as SettingValues[K];
}
