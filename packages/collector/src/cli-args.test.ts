import { describe, expect, it } from 'vitest';
import { parseCliArgs, usage } from './cli-args.js';
import { SETTING_KEYS, SETTINGS } from './config-schema.js';

describe('parseCliArgs', () => {
  it('turns flags into validated options', () => {
    const command = parseCliArgs([
      '--host', '0.0.0.0', '--otlp-http-port', '0', '--otlp-grpc-port=4417', '--ui-port', '4420',
      '--data-dir', '/tmp/td', '--max-body-bytes', '2048', '--retention-hours', '0.5',
      '--retention-max-bytes', '1048576', '--log-level', 'warn',
    ]);
    expect(command).toEqual({
      kind: 'run',
      options: {
        host: '0.0.0.0', otlpHttpPort: 0, otlpGrpcPort: 4417, uiPort: 4420, dataDir: '/tmp/td',
        maxBodyBytes: 2048, retentionHours: 0.5, retentionMaxBytes: 1048576, logLevel: 'warn',
      },
    });
  });

  it('leaves out flags that were not given, so env and defaults apply', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: {} });
  });

  it('names an unknown flag', () => {
    const command = parseCliArgs(['--otlp-port', '4318']);
    expect(command.kind).toBe('usage_error');
    expect(command.kind === 'usage_error' && command.message).toContain('--otlp-port');
  });

  it('names the flag and the value of a bad value', () => {
    expect(parseCliArgs(['--ui-port', 'abc'])).toEqual({
      kind: 'usage_error',
      message: '--ui-port must be an integer from 0 to 65535, got "abc"',
    });
    expect(parseCliArgs(['--log-level', 'loud'])).toMatchObject({ kind: 'usage_error', message: expect.stringContaining('--log-level') });
    expect(parseCliArgs(['--ui-port'])).toMatchObject({ kind: 'usage_error', message: expect.stringContaining('--ui-port') });
  });

  it('turns --no-docker and --no-container-logs into switches off, and takes the Docker flags', () => {
    expect(parseCliArgs(['--no-docker', '--no-container-logs', '--docker-host', 'tcp://127.0.0.1:2375'])).toEqual({
      kind: 'run',
      options: { dockerEnabled: false, containerLogsEnabled: false, dockerHost: 'tcp://127.0.0.1:2375' },
    });
    expect(parseCliArgs(['--docker-host', 'ssh://me@host'])).toMatchObject({ kind: 'usage_error', message: expect.stringContaining('--docker-host') });
  });

  it('refuses positional arguments', () => {
    expect(parseCliArgs(['serve']).kind).toBe('usage_error');
  });

  it('takes the DuckDB memory limit and threads, and names the flag of a bad one', () => {
    expect(parseCliArgs(['--duckdb-memory-limit', '1GiB', '--duckdb-threads', '4'])).toEqual({
      kind: 'run',
      options: { duckdbMemoryLimit: '1GiB', duckdbThreads: 4 },
    });
    expect(parseCliArgs(['--duckdb-memory-limit', '1024'])).toEqual({
      kind: 'usage_error',
      message: `--duckdb-memory-limit must be a size of at least 32MiB with its unit, as DuckDB's memory_limit takes it (512MB, 2GiB), got "1024"`,
    });
    expect(parseCliArgs(['--duckdb-threads', '0'])).toEqual({
      kind: 'usage_error',
      message: '--duckdb-threads must be an integer from 1 to 256, got "0"',
    });
  });

  it('never echoes a secret it refuses', () => {
    const token = parseCliArgs(['--api-token', 'has spaces in it, long enough']);
    expect(token).toEqual({
      kind: 'usage_error',
      message: '--api-token must be auto, off or a token of 16 to 512 printable characters without spaces',
    });
    const store = parseCliArgs(['--store', 'clickhouse://u:hunter2hunter2@h/bad-name']);
    expect(store).toMatchObject({ kind: 'usage_error', message: expect.stringMatching(/^--store: the database must be/) });
    expect(JSON.stringify(store)).not.toContain('hunter2');
  });

  it('knows --help and --version', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-v'])).toEqual({ kind: 'version' });
  });
});

describe('usage', () => {
  it('lists every setting, flag or not, with its environment variable and default', () => {
    const text = usage();
    for (const key of SETTING_KEYS) {
      const { env, flag, offSwitch } = SETTINGS[key];
      // Each variable is followed by its default (or, for an off switch, the value that turns it off).
      expect(text, key).toMatch(new RegExp(`${env}(, default \\S|\\n {6}.+\\n {6}default \\S|=off\\n)`));
      if (flag !== undefined) expect(text, key).toContain(`--${flag} <value>`);
      if (offSwitch !== undefined) expect(text, key).toContain(`--${offSwitch}\n`);
    }
    const lines = [
      '  -h, --help',
      '  -v, --version',
      '--otlp-http-port <value>\n      OTLP/HTTP port (/v1/traces, /v1/logs, /v1/metrics); 0 = any\n      env TRACEDOCK_OTLP_HTTP_PORT, default 4318',
      'env TRACEDOCK_DUCKDB_MEMORY_LIMIT, default 160MiB',
      'env TRACEDOCK_DUCKDB_THREADS, default 2',
      'TRACEDOCK_MAX_CONCURRENT_REQUESTS\n      OTLP/HTTP requests whose bodies are read at once; beyond it the receiver answers 429\n      default 64',
      "env TRACEDOCK_HOST_NAME, default the Docker engine's name",
      '--no-docker\n      run without the Docker part (no containers, stats or container logs)\n      env TRACEDOCK_DOCKER=off',
    ];
    for (const line of lines) expect(text).toContain(line);
  });
});
