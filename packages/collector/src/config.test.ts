import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, SETTINGS, defaultOf } from './config-schema.js';
import { DEFAULT_CONFIG, loadConfig, parseOption } from './config.js';

const MIB = 1024 * 1024;

describe('loadConfig: queue bounds and store writes', () => {
  it('has a bounded default for the queue bytes', () => {
    const config = loadConfig({}, {});
    expect(config.queueMaxBytes).toBe(DEFAULT_CONFIG.queueMaxBytes);
    expect(config.queueMaxBytes).toBeLessThanOrEqual(128 * MIB);
    expect(config.storeWritesInFlight).toBe(DEFAULT_CONFIG.storeWritesInFlight);
  });

  it('takes options over env over defaults', () => {
    const env = {
      TRACEDOCK_QUEUE_MAX_BYTES: String(32 * MIB),
      TRACEDOCK_STORE_WRITES_IN_FLIGHT: '2',
    };
    expect(loadConfig({}, env)).toMatchObject({
      queueMaxBytes: 32 * MIB,
      storeWritesInFlight: 2,
    });
    expect(loadConfig({ queueMaxBytes: 48 * MIB, storeWritesInFlight: 1 }, env)).toMatchObject({
      queueMaxBytes: 48 * MIB,
      storeWritesInFlight: 1,
    });
  });

  it('names the option and value it refuses', () => {
    expect(() => loadConfig({}, { TRACEDOCK_STORE_WRITES_IN_FLIGHT: '9' })).toThrow(/TRACEDOCK_STORE_WRITES_IN_FLIGHT must be an integer from 1 to 4, got "9"/);
    expect(() => loadConfig({ queueMaxBytes: 1000 }, {})).toThrow(/option queueMaxBytes must be an integer from 1048576/);
  });

  it('refuses a queue byte bound too small for the largest request', () => {
    expect(() => loadConfig({ queueMaxBytes: 8 * MIB, maxBodyBytes: 8 * MIB }, {})).toThrow(
      /option queueMaxBytes must be at least twice maxBodyBytes \(16777216\), got 8388608/,
    );
    expect(loadConfig({ queueMaxBytes: 8 * MIB, maxBodyBytes: 4 * MIB }, {}).queueMaxBytes).toBe(8 * MIB);
  });
});

describe('the settings schema', () => {
  it('gives every setting a default that passes its own validator, and its own env name and flag', () => {
    for (const key of SETTING_KEYS) expect(parseOption(key, defaultOf(key), `default ${key}`), key).toEqual(defaultOf(key));
    const envNames = SETTING_KEYS.map((key) => SETTINGS[key].env);
    expect(new Set(envNames).size).toBe(envNames.length);
    const flags = SETTING_KEYS.flatMap((key) => [SETTINGS[key].flag, SETTINGS[key].offSwitch]).filter((f) => f !== undefined);
    expect(new Set(flags).size).toBe(flags.length);
  });

  it('keeps the defaults and variable names that the README and deployments use', () => {
    expect(loadConfig({}, {})).toMatchObject({ otlpHttpPort: 4318, otlpGrpcPort: 4317, uiPort: 4320, store: 'duckdb', hostName: '', apiToken: 'auto' });
    expect(loadConfig({}, { TRACEDOCK_UI_PORT: '4420', DOCKER_HOST: 'tcp://h:2375', TRACEDOCK_STORE: 'clickhouse://h' })).toMatchObject({
      uiPort: 4420,
      dockerHost: 'tcp://h:2375',
      store: 'clickhouse://h',
    });
  });

  // One bad value of each kind: the error is one line naming the variable and, unless secret, the value.
  it.each([
    ['TRACEDOCK_UI_PORT', 'abc', 'TRACEDOCK_UI_PORT must be an integer from 0 to 65535, got "abc"'],
    ['TRACEDOCK_RETENTION_HOURS', '-1', 'TRACEDOCK_RETENTION_HOURS must be a positive number, got "-1"'],
    ['TRACEDOCK_DATA_DIR', '  ', 'TRACEDOCK_DATA_DIR must be a non-empty string, got "  "'],
    ['TRACEDOCK_LOG_LEVEL', 'loud', 'TRACEDOCK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    ['TRACEDOCK_DOCKER', 'maybe', 'TRACEDOCK_DOCKER must be on or off, got "maybe"'],
    ['DOCKER_HOST', 'ssh://me@host', 'DOCKER_HOST must be unix:///path/to/docker.sock or tcp://host:port, got "ssh://me@host"'],
    ['TRACEDOCK_HOST_NAME', 'two words', "TRACEDOCK_HOST_NAME must be a host name (letters, digits, '.', '-', '_'; at most 253) or empty for the Docker engine's name, got \"two words\""],
    ['TRACEDOCK_API_TOKEN', 'sh0rt', 'TRACEDOCK_API_TOKEN must be auto, off or a token of 16 to 512 printable characters without spaces'],
    ['TRACEDOCK_STORE', 'clickhouse://u:hunter2hunter2@h/bad-name', 'TRACEDOCK_STORE: the database must be letters, digits and _'],
    ['TRACEDOCK_DUCKDB_MEMORY_LIMIT', '512', 'TRACEDOCK_DUCKDB_MEMORY_LIMIT must be a size of at least 32MiB'],
    ['TRACEDOCK_DUCKDB_THREADS', 'two', 'TRACEDOCK_DUCKDB_THREADS must be an integer from 1 to 256, got "two"'],
  ])('refuses %s=%s in one line', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({}, { [name]: value });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text.startsWith(message), text).toBe(true);
    expect(text).not.toContain('\n');
    expect(text).not.toMatch(/sh0rt|hunter2/);
  });
});

describe('loadConfig: DuckDB memory limit and threads', () => {
  it('defaults to what the DuckDB store used before they were settings', () => {
    expect(loadConfig({}, {})).toMatchObject({ duckdbMemoryLimit: '160MiB', duckdbThreads: 2 });
  });

  it('takes DuckDB memory_limit syntax and a thread count, options over env', () => {
    const env = { TRACEDOCK_DUCKDB_MEMORY_LIMIT: ' 1.5 GB ', TRACEDOCK_DUCKDB_THREADS: '4' };
    expect(loadConfig({}, env)).toMatchObject({ duckdbMemoryLimit: '1.5 GB', duckdbThreads: 4 });
    expect(loadConfig({ duckdbMemoryLimit: '512MiB', duckdbThreads: 1 }, env)).toMatchObject({ duckdbMemoryLimit: '512MiB', duckdbThreads: 1 });
    for (const limit of ['512MB', '2GiB', '64mib', '1TB']) expect(loadConfig({ duckdbMemoryLimit: limit }, {}).duckdbMemoryLimit).toBe(limit);
  });

  it('refuses a limit DuckDB would refuse or could not commit a batch under, and a thread count out of range', () => {
    for (const limit of ['512', '80%', 'lots', '16MB', '1.5 XB']) {
      expect(() => loadConfig({ duckdbMemoryLimit: limit }, {}), limit).toThrow(
        `option duckdbMemoryLimit must be a size of at least 32MiB with its unit, as DuckDB's memory_limit takes it (512MB, 2GiB), got ${JSON.stringify(limit)}`,
      );
    }
    for (const threads of ['0', '1.5', '257']) {
      expect(() => loadConfig({}, { TRACEDOCK_DUCKDB_THREADS: threads }), threads).toThrow(
        `TRACEDOCK_DUCKDB_THREADS must be an integer from 1 to 256, got ${JSON.stringify(threads)}`,
      );
    }
  });
});
