import { defaultOf, SETTING_KEYS, SETTINGS, type SettingKey, type SettingValues } from './config-schema.js';
import { parseValue, type ValueKind } from './config-values.js';

export { IN_MEMORY_DATA_DIR } from './config-schema.js';

/**
 * The collector's settings, in one place (config-schema.ts): explicit options beat environment
 * variables, which beat the defaults. Every value is validated while merging; a bad one throws
 * at start-up naming the option (or variable) and its value.
 */
export type CollectorConfig = SettingValues;

export type CollectorOptions = Partial<CollectorConfig>;

/** Every default but host's, which depends on whether the collector runs in a container. */
export const DEFAULT_CONFIG: Readonly<Omit<CollectorConfig, 'host'>> = Object.fromEntries(
  SETTING_KEYS.filter((key) => key !== 'host').map((key) => [key, defaultOf(key)]),
) as Omit<CollectorConfig, 'host'>;

/** The environment variable of each setting. */
export const ENV_NAMES: Readonly<Record<SettingKey, string>> = Object.fromEntries(
  SETTING_KEYS.map((key) => [key, SETTINGS[key].env]),
) as Record<SettingKey, string>;

function fail(source: string, value: unknown, expected: string): never {
  throw new Error(`${source} must be ${expected}, got ${JSON.stringify(value)}`);
}

/**
 * Validates one value the way loadConfig does, naming `source` (e.g. a CLI flag) on failure.
 * @example parseOption('uiPort', '4320', '--ui-port') // 4320
 */
export function parseOption<K extends keyof CollectorConfig>(key: K, raw: unknown, source: string): CollectorConfig[K] {
  // The cast is the one place TypeScript cannot follow K from the table to its kind.
  return parseValue(SETTINGS[key].kind as ValueKind<CollectorConfig[K]>, raw, source);
}

/** Bounds between settings, checked once every one is known. */
function checkAcross(config: CollectorConfig): void {
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
  for (const key of SETTING_KEYS) {
    const envName = SETTINGS[key].env;
    const fromEnv = env[envName];
    const explicit = options[key];
    if (explicit !== undefined) merged[key] = parseOption(key, explicit, `option ${key}`);
    else if (fromEnv !== undefined && fromEnv !== '') merged[key] = parseOption(key, fromEnv, envName);
    else merged[key] = defaultOf(key);
  }
  const config = merged as CollectorConfig;
  checkAcross(config);
  return config;
}
