import { existsSync } from 'node:fs';
import type { TokenSetting } from './auth/tokens.js';
import { parseStoreSetting } from './store/store-setting.js';

/**
 * The collector's settings, in one place: explicit options beat environment variables,
 * which beat the defaults. Every value is validated while merging; a bad one throws at
 * start-up naming the option (or variable) and its value.
 */
export interface CollectorConfig {
  /** Bind address for every listener. */
  host: string;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  uiPort: number;
  /** Folder of the embedded store; ':memory:' keeps everything in memory. */
  dataDir: string;
  /** Largest accepted OTLP request body, compressed or after decompression. */
  maxBodyBytes: number;
  /** OTLP/HTTP requests whose bodies are read at once; beyond it the receiver answers 429. */
  maxConcurrentRequests: number;
  /** Spans plus log records waiting for the store; beyond it receivers answer 429. */
  queueMaxRows: number;
  /**
   * Approximate memory of those rows (their OTLP bytes plus a per-row cost); beyond it receivers
   * answer 429. The bound that keeps the collector's memory flat when the store falls behind.
   */
  queueMaxBytes: number;
  /** Store writes per table in flight at once (2: the next batch is appended while the last commits). */
  storeWritesInFlight: number;

  /** Rows per store write. */
  batchMaxRows: number;
  /** Longest a row waits before its batch is written. */
  batchMaxDelayMillis: number;
  /**
   * Spans remembered by (trace id, span id) so that a re-sent batch (an exporter's retry) is
   * stored once; 0 turns span deduplication off. Memory: about 35 bytes per span (13.6 MB at the default).
   */
  spanDedupeCapacity: number;
  /**
   * How long a container stdout/stderr line waits before it is stored, so that the same record
   * arriving over OTLP (a service logging to stdout and exporting its logs) replaces it; 0 stores
   * container lines at once and turns log deduplication off.
   */
  logDedupeHoldMillis: number;
  /** Seconds a client is told to wait when the queue is full. */
  retryAfterSeconds: number;
  retentionHours: number;
  retentionMaxBytes: number;
  retentionIntervalMillis: number;
  /** Bound on the time SIGTERM waits for the queue to drain. */
  shutdownTimeoutMillis: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Whether the Docker part runs (discovery, events, stats, container logs); off: TRACEDOCK_DOCKER=off. */
  dockerEnabled: boolean;
  /** The Docker Engine endpoint: unix:///path/to/docker.sock or tcp://host:port (plain HTTP). */
  dockerHost: string;
  /** First wait before reconnecting to a daemon that went away; doubled on each failure up to the max. */
  dockerReconnectMinMillis: number;
  dockerReconnectMaxMillis: number;
  /** Bound on each non-streaming Docker API call (ping, list, inspect). */
  dockerRequestTimeoutMillis: number;
  /** Containers kept in memory for the join; beyond it the longest-dead go first. */
  dockerMaxContainers: number;
  /** Whether stdout/stderr of running containers are stored as log records. */
  containerLogsEnabled: boolean;
  /** Longer container log lines are cut to this and counted. */
  containerLogMaxLineBytes: number;
  /** Per-container token bucket: sustained lines per second, and the burst (also its buffer bound). */
  containerLogLinesPerSecond: number;
  containerLogBurstLines: number;
  /** Containers whose logs are followed at once (each holds one connection to the daemon). */
  containerLogMaxStreams: number;
  /** Resource samples of every running container, one per interval. */
  statsIntervalMillis: number;
  /**
   * Where samples come from: the host's cgroup files (cheap), the Docker stats API (streams; costs
   * dockerd CPU), or 'auto': cgroup files for every container found there, the API for the rest.
   */
  statsSource: 'auto' | 'cgroup' | 'docker-api';
  /** The host's cgroup mount; inside a container, a read-only bind of the host's /sys/fs/cgroup. */
  cgroupRoot: string;
  /** The host's /proc (container network counters, /proc/stat); inside a container, a bind of the host's /proc. */
  procRoot: string;
  /** Resource suspects: a span is slow above this when its operation has too few spans for a p95. */
  suspectsSlowSpanMillis: number;
  /** Shorter spans are never checked as slow (failed ones are): 1 s samples say little about a 2 ms span. */
  suspectsMinSpanMillis: number;
  /** An operation's p95 is taken over its spans of this many hours before the trace. */
  suspectsBaselineHours: number;
  /** With fewer spans than this in the baseline, suspectsSlowSpanMillis decides instead of the p95. */
  suspectsBaselineMinSpans: number;
  /**
   * Bearer token of the UI, the query API and /metrics: `auto` (on, made and printed at start,
   * whenever the listeners bind beyond loopback), `off`, or the token (auth/tokens.ts).
   */
  apiToken: TokenSetting;
  /** Bearer token OTLP exporters must send (OTEL_EXPORTER_OTLP_HEADERS): `auto`, `off` or the token. */
  ingestToken: TokenSetting;
  /**
   * The Docker host this collector runs for (host-name.ts); '' takes the Docker engine's name,
   * or this machine's without one.
   */
  hostName: string;
  /**
   * Where telemetry is stored (store/store-setting.ts): `duckdb`, the embedded default, or
   * `clickhouse://[user[:password]@]host[:port][/database]`, one server for many collectors.
   */
  store: string;
}

export type CollectorOptions = Partial<CollectorConfig>;

/** The dataDir that keeps everything in memory (nothing is written to disk). */
export const IN_MEMORY_DATA_DIR = ':memory:';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export const DEFAULT_CONFIG: Readonly<Omit<CollectorConfig, 'host'>> = {
  otlpHttpPort: 4318,
  otlpGrpcPort: 4317,
  uiPort: 4320,
  dataDir: './.tracedock',
  maxBodyBytes: 8 * MIB,
  maxConcurrentRequests: 64,
  queueMaxRows: 200_000,
  queueMaxBytes: 64 * MIB,
  storeWritesInFlight: 1,
  batchMaxRows: 10_000,
  batchMaxDelayMillis: 200,
  spanDedupeCapacity: 390_000,
  logDedupeHoldMillis: 5_000,
  retryAfterSeconds: 2,
  retentionHours: 24,
  retentionMaxBytes: 10 * GIB,
  retentionIntervalMillis: 60_000,
  shutdownTimeoutMillis: 10_000,
  logLevel: 'info',
  dockerEnabled: true,
  dockerHost: 'unix:///var/run/docker.sock',
  dockerReconnectMinMillis: 250,
  dockerReconnectMaxMillis: 2_000,
  dockerRequestTimeoutMillis: 5_000,
  dockerMaxContainers: 10_000,
  containerLogsEnabled: true,
  containerLogMaxLineBytes: 64 * 1024,
  containerLogLinesPerSecond: 1_000,
  containerLogBurstLines: 5_000,
  containerLogMaxStreams: 1_000,
  statsIntervalMillis: 1_000,
  statsSource: 'auto',
  cgroupRoot: '/sys/fs/cgroup',
  procRoot: '/proc',
  suspectsSlowSpanMillis: 500,
  suspectsMinSpanMillis: 20,
  suspectsBaselineHours: 6,
  suspectsBaselineMinSpans: 20,
  apiToken: 'auto',
  ingestToken: 'auto',
  hostName: '',
  store: 'duckdb',
};

/** Environment variable of each option that has one. */
export const ENV_NAMES: Readonly<Partial<Record<keyof CollectorConfig, string>>> = {
  host: 'TRACEDOCK_HOST',
  otlpHttpPort: 'TRACEDOCK_OTLP_HTTP_PORT',
  otlpGrpcPort: 'TRACEDOCK_OTLP_GRPC_PORT',
  uiPort: 'TRACEDOCK_UI_PORT',
  dataDir: 'TRACEDOCK_DATA_DIR',
  maxBodyBytes: 'TRACEDOCK_MAX_BODY_BYTES',
  maxConcurrentRequests: 'TRACEDOCK_MAX_CONCURRENT_REQUESTS',
  queueMaxRows: 'TRACEDOCK_QUEUE_MAX_ROWS',
  queueMaxBytes: 'TRACEDOCK_QUEUE_MAX_BYTES',
  storeWritesInFlight: 'TRACEDOCK_STORE_WRITES_IN_FLIGHT',
  batchMaxRows: 'TRACEDOCK_BATCH_MAX_ROWS',
  batchMaxDelayMillis: 'TRACEDOCK_BATCH_MAX_DELAY_MS',
  spanDedupeCapacity: 'TRACEDOCK_SPAN_DEDUPE_CAPACITY',
  logDedupeHoldMillis: 'TRACEDOCK_LOG_DEDUPE_HOLD_MS',
  retentionHours: 'TRACEDOCK_RETENTION_HOURS',
  retentionMaxBytes: 'TRACEDOCK_RETENTION_MAX_BYTES',
  retentionIntervalMillis: 'TRACEDOCK_RETENTION_INTERVAL_MS',
  shutdownTimeoutMillis: 'TRACEDOCK_SHUTDOWN_TIMEOUT_MS',
  logLevel: 'TRACEDOCK_LOG_LEVEL',
  dockerEnabled: 'TRACEDOCK_DOCKER',
  dockerHost: 'DOCKER_HOST',
  dockerReconnectMinMillis: 'TRACEDOCK_DOCKER_RECONNECT_MIN_MS',
  dockerReconnectMaxMillis: 'TRACEDOCK_DOCKER_RECONNECT_MAX_MS',
  dockerRequestTimeoutMillis: 'TRACEDOCK_DOCKER_TIMEOUT_MS',
  dockerMaxContainers: 'TRACEDOCK_DOCKER_MAX_CONTAINERS',
  containerLogsEnabled: 'TRACEDOCK_CONTAINER_LOGS',
  containerLogMaxLineBytes: 'TRACEDOCK_CONTAINER_LOG_MAX_LINE_BYTES',
  containerLogLinesPerSecond: 'TRACEDOCK_CONTAINER_LOG_LINES_PER_SECOND',
  containerLogBurstLines: 'TRACEDOCK_CONTAINER_LOG_BURST_LINES',
  containerLogMaxStreams: 'TRACEDOCK_CONTAINER_LOG_MAX_STREAMS',
  statsIntervalMillis: 'TRACEDOCK_STATS_INTERVAL_MS',
  statsSource: 'TRACEDOCK_STATS_SOURCE',
  cgroupRoot: 'TRACEDOCK_CGROUP_ROOT',
  procRoot: 'TRACEDOCK_PROC_ROOT',
  suspectsSlowSpanMillis: 'TRACEDOCK_SUSPECTS_SLOW_SPAN_MS',
  suspectsMinSpanMillis: 'TRACEDOCK_SUSPECTS_MIN_SPAN_MS',
  suspectsBaselineHours: 'TRACEDOCK_SUSPECTS_BASELINE_HOURS',
  suspectsBaselineMinSpans: 'TRACEDOCK_SUSPECTS_BASELINE_MIN_SPANS',
  apiToken: 'TRACEDOCK_API_TOKEN',
  ingestToken: 'TRACEDOCK_INGEST_TOKEN',
  hostName: 'TRACEDOCK_HOST_NAME',
  store: 'TRACEDOCK_STORE',
};

const LOG_LEVELS: readonly CollectorConfig['logLevel'][] = [
  'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent',
];

/** Inside a container the collector must listen on every interface to be reachable. */
function defaultHost(): string {
  return existsSync('/.dockerenv') ? '0.0.0.0' : '127.0.0.1';
}

function fail(source: string, value: unknown, expected: string): never {
  throw new Error(`${source} must be ${expected}, got ${JSON.stringify(value)}`);
}

function integer(source: string, raw: unknown, min: number, max: number): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(source, raw, `an integer from ${min} to ${max}`);
  }
  return value;
}

function positive(source: string, raw: unknown): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(source, raw, 'a positive number');
  }
  return value;
}

function text(source: string, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') fail(source, raw, 'a non-empty string');
  return raw;
}

function logLevel(source: string, raw: unknown): CollectorConfig['logLevel'] {
  const level = LOG_LEVELS.find((l) => l === raw);
  if (level === undefined) fail(source, raw, `one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

const SWITCH_VALUES: Readonly<Record<string, boolean>> = {
  on: true, off: false, true: true, false: false, '1': true, '0': false, yes: true, no: false,
};

function onOff(source: string, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  const value = typeof raw === 'string' ? SWITCH_VALUES[raw.trim().toLowerCase()] : undefined;
  if (value === undefined) fail(source, raw, 'on or off');
  return value;
}

/** unix:///abs/path or tcp://host:port, as DOCKER_HOST spells them; TLS and ssh are not supported. */
function dockerHost(source: string, raw: unknown): string {
  const value = text(source, raw).trim();
  if (/^unix:\/\/\/./.test(value)) return value;
  if (/^tcp:\/\/[^/:\s]+:\d{1,5}\/?$/.test(value)) return value;
  return fail(source, raw, 'unix:///path/to/docker.sock or tcp://host:port');
}

const STATS_SOURCES: readonly CollectorConfig['statsSource'][] = ['auto', 'cgroup', 'docker-api'];

function statsSource(source: string, raw: unknown): CollectorConfig['statsSource'] {
  const value = STATS_SOURCES.find((s) => s === raw);
  if (value === undefined) fail(source, raw, `one of ${STATS_SOURCES.join(', ')}`);
  return value;
}

/** A token is 16 to 512 printable ASCII characters without spaces, so it fits a header as is. */
const TOKEN_PATTERN = /^[\x21-\x7e]{16,512}$/;

function tokenSetting(source: string, raw: unknown): TokenSetting {
  if (raw === 'auto' || raw === 'off') return raw;
  if (typeof raw !== 'string' || !TOKEN_PATTERN.test(raw)) {
    // The value is a secret: never echo it.
    throw new Error(`${source} must be auto, off or a token of 16 to 512 printable characters without spaces`);
  }
  return raw;
}

/** A host name as DNS spells one (letters, digits, dots, dashes, underscores), at most 253 characters; '' for auto. */
function hostNameSetting(source: string, raw: unknown): string {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9._-]{0,253}$/.test(raw.trim())) {
    fail(source, raw, "a host name (letters, digits, '.', '-', '_'; at most 253) or empty for the Docker engine's name");
  }
  return raw.trim();
}

function storeSetting(source: string, raw: unknown): string {
  if (typeof raw !== 'string') fail(source, typeof raw, 'duckdb or a clickhouse:// URL');
  try {
    parseStoreSetting(raw);
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`);
  }
  return raw.trim();
}

const PORT_MAX = 65_535;
const COUNT_MAX = 1_000_000_000;

const VALIDATORS: { [K in keyof CollectorConfig]: (source: string, raw: unknown) => CollectorConfig[K] } = {
  host: text,
  otlpHttpPort: (s, r) => integer(s, r, 0, PORT_MAX),
  otlpGrpcPort: (s, r) => integer(s, r, 0, PORT_MAX),
  uiPort: (s, r) => integer(s, r, 0, PORT_MAX),
  dataDir: text,
  maxBodyBytes: (s, r) => integer(s, r, 1024, GIB),
  maxConcurrentRequests: (s, r) => integer(s, r, 1, 10_000),
  queueMaxRows: (s, r) => integer(s, r, 1, COUNT_MAX),
  queueMaxBytes: (s, r) => integer(s, r, MIB, 64 * GIB),
  storeWritesInFlight: (s, r) => integer(s, r, 1, 4),
  batchMaxRows: (s, r) => integer(s, r, 1, COUNT_MAX),
  batchMaxDelayMillis: (s, r) => integer(s, r, 1, 60_000),
  spanDedupeCapacity: (s, r) => integer(s, r, 0, 50_000_000),
  logDedupeHoldMillis: (s, r) => integer(s, r, 0, 300_000),
  retryAfterSeconds: (s, r) => integer(s, r, 1, 3600),
  retentionHours: positive,
  retentionMaxBytes: (s, r) => integer(s, r, MIB, Number.MAX_SAFE_INTEGER),
  retentionIntervalMillis: (s, r) => integer(s, r, 100, 24 * 3_600_000),
  shutdownTimeoutMillis: (s, r) => integer(s, r, 1, 600_000),
  logLevel,
  dockerEnabled: onOff,
  dockerHost,
  dockerReconnectMinMillis: (s, r) => integer(s, r, 10, 60_000),
  dockerReconnectMaxMillis: (s, r) => integer(s, r, 10, 300_000),
  dockerRequestTimeoutMillis: (s, r) => integer(s, r, 100, 300_000),
  dockerMaxContainers: (s, r) => integer(s, r, 10, 1_000_000),
  containerLogsEnabled: onOff,
  containerLogMaxLineBytes: (s, r) => integer(s, r, 256, 16 * MIB),
  containerLogLinesPerSecond: (s, r) => integer(s, r, 1, 1_000_000),
  containerLogBurstLines: (s, r) => integer(s, r, 1, 1_000_000),
  containerLogMaxStreams: (s, r) => integer(s, r, 0, 100_000),
  statsIntervalMillis: (s, r) => integer(s, r, 100, 3_600_000),
  statsSource,
  cgroupRoot: text,
  procRoot: text,
  suspectsSlowSpanMillis: (s, r) => integer(s, r, 0, 3_600_000),
  suspectsMinSpanMillis: (s, r) => integer(s, r, 0, 3_600_000),
  suspectsBaselineHours: positive,
  suspectsBaselineMinSpans: (s, r) => integer(s, r, 1, COUNT_MAX),
  apiToken: tokenSetting,
  ingestToken: tokenSetting,
  hostName: hostNameSetting,
  store: storeSetting,
};

/**
 * Validates one value the way loadConfig does, naming `source` (e.g. a CLI flag) on failure.
 * @example parseOption('uiPort', '4320', '--ui-port') // 4320
 */
export function parseOption<K extends keyof CollectorConfig>(
  key: K,
  raw: unknown,
  source: string,
): CollectorConfig[K] {
  return VALIDATORS[key](source, raw);
}

/**
 * Merges options > env > defaults and validates each value.
 * @example loadConfig({ uiPort: 0 }, process.env) // an ephemeral UI port, the rest from env
 */
export function loadConfig(
  options: CollectorOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): CollectorConfig {
  const merged: Record<string, unknown> = {};
  const keys = Object.keys(VALIDATORS) as (keyof CollectorConfig)[];
  for (const key of keys) {
    const envName = ENV_NAMES[key];
    const fromEnv = envName === undefined ? undefined : env[envName];
    const explicit = options[key];
    const validate = VALIDATORS[key] as (source: string, raw: unknown) => unknown;
    if (explicit !== undefined) merged[key] = validate(`option ${key}`, explicit);
    else if (fromEnv !== undefined && fromEnv !== '') merged[key] = validate(`${envName}`, fromEnv);
    else merged[key] = key === 'host' ? defaultHost() : DEFAULT_CONFIG[key];
  }
  const config = merged as unknown as CollectorConfig;
  if (config.batchMaxRows > config.queueMaxRows) {
    fail('option batchMaxRows', config.batchMaxRows, `at most queueMaxRows (${config.queueMaxRows})`);
  }
  if (config.queueMaxBytes < 2 * config.maxBodyBytes) {
    // Else a request of maxBodyBytes would be accepted by the receiver and always refused by the queue.
    fail('option queueMaxBytes', config.queueMaxBytes, `at least twice maxBodyBytes (${2 * config.maxBodyBytes})`);
  }
  if (config.dockerReconnectMaxMillis < config.dockerReconnectMinMillis) {
    fail(
      'option dockerReconnectMaxMillis',
      config.dockerReconnectMaxMillis,
      `at least dockerReconnectMinMillis (${config.dockerReconnectMinMillis})`,
    );
  }
  return config;
}
