import { existsSync } from 'node:fs';

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
  /** Rows per store write. */
  batchMaxRows: number;
  /** Longest a row waits before its batch is written. */
  batchMaxDelayMillis: number;
  /** Seconds a client is told to wait when the queue is full. */
  retryAfterSeconds: number;
  retentionHours: number;
  retentionMaxBytes: number;
  retentionIntervalMillis: number;
  /** Bound on the time SIGTERM waits for the queue to drain. */
  shutdownTimeoutMillis: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export type CollectorOptions = Partial<CollectorConfig>;

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
  batchMaxRows: 10_000,
  batchMaxDelayMillis: 200,
  retryAfterSeconds: 2,
  retentionHours: 24,
  retentionMaxBytes: 10 * GIB,
  retentionIntervalMillis: 60_000,
  shutdownTimeoutMillis: 10_000,
  logLevel: 'info',
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
  batchMaxRows: 'TRACEDOCK_BATCH_MAX_ROWS',
  batchMaxDelayMillis: 'TRACEDOCK_BATCH_MAX_DELAY_MS',
  retentionHours: 'TRACEDOCK_RETENTION_HOURS',
  retentionMaxBytes: 'TRACEDOCK_RETENTION_MAX_BYTES',
  retentionIntervalMillis: 'TRACEDOCK_RETENTION_INTERVAL_MS',
  shutdownTimeoutMillis: 'TRACEDOCK_SHUTDOWN_TIMEOUT_MS',
  logLevel: 'TRACEDOCK_LOG_LEVEL',
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
  batchMaxRows: (s, r) => integer(s, r, 1, COUNT_MAX),
  batchMaxDelayMillis: (s, r) => integer(s, r, 1, 60_000),
  retryAfterSeconds: (s, r) => integer(s, r, 1, 3600),
  retentionHours: positive,
  retentionMaxBytes: (s, r) => integer(s, r, MIB, Number.MAX_SAFE_INTEGER),
  retentionIntervalMillis: (s, r) => integer(s, r, 100, 24 * 3_600_000),
  shutdownTimeoutMillis: (s, r) => integer(s, r, 1, 600_000),
  logLevel,
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
  return config;
}
