import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { DEFAULT_CONFIG, ENV_NAMES, parseOption, type CollectorConfig, type CollectorOptions } from './config.js';

/** What the command line asks for; `usage_error` exits with code 2. */
export type CliCommand =
  | { kind: 'run'; options: CollectorOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage_error'; message: string };

type FlagKey = Extract<
  keyof CollectorConfig,
  | 'host'
  | 'otlpHttpPort'
  | 'otlpGrpcPort'
  | 'uiPort'
  | 'dataDir'
  | 'maxBodyBytes'
  | 'queueMaxBytes'
  | 'storeWritesInFlight'
  | 'spanDedupeCapacity'
  | 'logDedupeHoldMillis'
  | 'retentionHours'
  | 'retentionMaxBytes'
  | 'logLevel'
  | 'dockerHost'
  | 'dockerReconnectMaxMillis'
  | 'containerLogMaxLineBytes'
  | 'containerLogLinesPerSecond'
  | 'apiToken'
  | 'ingestToken'
  | 'hostName'
  | 'store'
>;

interface Flag {
  name: string;
  key: FlagKey;
  help: string;
}

/** Each flag mirrors one TRACEDOCK_* variable (DESIGN.md, "Ports and configuration"). */
const FLAGS: readonly Flag[] = [
  { name: 'host', key: 'host', help: 'bind address of every listener' },
  { name: 'otlp-http-port', key: 'otlpHttpPort', help: 'OTLP/HTTP port (/v1/traces, /v1/logs, /v1/metrics); 0 = any' },
  { name: 'otlp-grpc-port', key: 'otlpGrpcPort', help: 'OTLP/gRPC port; 0 = any' },
  { name: 'ui-port', key: 'uiPort', help: 'UI, query API and /metrics port; 0 = any' },
  { name: 'data-dir', key: 'dataDir', help: "folder of the embedded store (':memory:' keeps nothing)" },
  { name: 'max-body-bytes', key: 'maxBodyBytes', help: 'largest OTLP request body, compressed or inflated' },
  { name: 'queue-max-bytes', key: 'queueMaxBytes', help: 'approximate memory of rows waiting for the store; beyond it OTLP gets 429' },
  { name: 'store-writes-in-flight', key: 'storeWritesInFlight', help: 'store writes per table at once (2: append the next batch while the last commits)' },
  { name: 'span-dedupe-capacity', key: 'spanDedupeCapacity', help: 'spans remembered by id so a re-sent batch is stored once; 0 = off' },
  { name: 'log-dedupe-hold-ms', key: 'logDedupeHoldMillis', help: 'container log lines wait this long for the same record over OTLP; 0 = off' },
  { name: 'retention-hours', key: 'retentionHours', help: 'telemetry older than this is removed' },
  { name: 'retention-max-bytes', key: 'retentionMaxBytes', help: 'above this store size the oldest data goes first' },
  { name: 'log-level', key: 'logLevel', help: 'fatal, error, warn, info, debug, trace or silent' },
  { name: 'docker-host', key: 'dockerHost', help: 'Docker Engine endpoint: unix:///path/to/docker.sock or tcp://host:port' },
  { name: 'docker-reconnect-max-ms', key: 'dockerReconnectMaxMillis', help: 'longest wait between reconnects to the Docker daemon' },
  { name: 'container-log-max-line-bytes', key: 'containerLogMaxLineBytes', help: 'longer container log lines are cut (and counted)' },
  {
    name: 'container-log-lines-per-second',
    key: 'containerLogLinesPerSecond',
    help: 'per-container log rate; lines above it are dropped (and counted)',
  },
  { name: 'api-token', key: 'apiToken', help: 'bearer token of the UI, query API and /metrics: auto (on beyond loopback), off, or the token' },
  { name: 'ingest-token', key: 'ingestToken', help: 'bearer token OTLP exporters send: auto (on beyond loopback), off, or the token' },
  { name: 'store', key: 'store', help: 'duckdb (embedded, in --data-dir) or clickhouse://[user[:password]@]host[:port][/database][?secure=true]' },
  { name: 'host-name', key: 'hostName', help: "the Docker host this collector runs for; empty: the Docker engine's name, else this machine's" },
];

type SwitchKey = Extract<keyof CollectorConfig, 'dockerEnabled' | 'containerLogsEnabled'>;

/** Flags without a value that turn a part off; each mirrors an on/off variable. */
const SWITCHES: readonly { name: string; key: SwitchKey; help: string }[] = [
  { name: 'no-docker', key: 'dockerEnabled', help: 'run without the Docker part (no containers, stats or container logs)' },
  { name: 'no-container-logs', key: 'containerLogsEnabled', help: 'do not store the stdout/stderr of containers' },
];

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  ...Object.fromEntries(FLAGS.map((flag) => [flag.name, { type: 'string' as const }])),
  ...Object.fromEntries(SWITCHES.map((flag) => [flag.name, { type: 'boolean' as const }])),
} satisfies ParseArgsOptionsConfig;

function defaultOf(key: FlagKey): string {
  if (key === 'host') return '127.0.0.1 (0.0.0.0 inside a container)';
  if (key === 'hostName') return "the Docker engine's name";
  return String(DEFAULT_CONFIG[key]);
}

function setOption<K extends FlagKey>(options: CollectorOptions, key: K, raw: string, source: string): void {
  options[key] = parseOption(key, raw, source);
}

/** The --help text: every flag with its environment variable and default. */
export function usage(): string {
  const rows = FLAGS.map((flag) => {
    const env = ENV_NAMES[flag.key] ?? '';
    return `  --${flag.name} <value>\n      ${flag.help}\n      env ${env}, default ${defaultOf(flag.key)}`;
  });
  const switches = SWITCHES.map((flag) => `  --${flag.name}\n      ${flag.help}\n      env ${ENV_NAMES[flag.key] ?? ''}=off`);
  return [
    'Usage: tracedock [flags]',
    '',
    'Runs the tracedock collector: OTLP receivers, embedded store, query API and UI.',
    'Flags beat environment variables, which beat the defaults.',
    '',
    'Flags:',
    ...rows,
    ...switches,
    '  -h, --help      print this help',
    '  -v, --version   print the version',
    '',
  ].join('\n');
}

/**
 * Parses argv (without node and the script) into a command; never throws.
 * @example parseCliArgs(['--ui-port', '0']) // { kind: 'run', options: { uiPort: 0 } }
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { kind: 'usage_error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const options: CollectorOptions = {};
  for (const flag of FLAGS) {
    const raw = values[flag.name];
    if (typeof raw !== 'string') continue;
    try {
      setOption(options, flag.key, raw, `--${flag.name}`);
    } catch (error) {
      return { kind: 'usage_error', message: error instanceof Error ? error.message : String(error) };
    }
  }
  for (const flag of SWITCHES) {
    if (values[flag.name] === true) options[flag.key] = false;
  }
  return { kind: 'run', options };
}
