import { describe, expect, it } from 'vitest';
import { parseCliArgs, usage } from './cli-args.js';
import { ENV_NAMES } from './config.js';

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

  it('knows --help and --version', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-v'])).toEqual({ kind: 'version' });
  });
});

describe('usage', () => {
  it('lists every flag with its environment variable and default', () => {
    const text = usage();
    for (const flag of ['--host', '--otlp-http-port', '--otlp-grpc-port', '--ui-port', '--data-dir', '--max-body-bytes', '--retention-hours', '--retention-max-bytes', '--log-level', '--help', '--version']) {
      expect(text).toContain(flag);
    }
    for (const key of ['otlpHttpPort', 'uiPort', 'dataDir', 'logLevel'] as const) expect(text).toContain(ENV_NAMES[key]);
    expect(text).toContain('default 4318');
  });
});
