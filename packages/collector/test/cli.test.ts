/** The built CLI as users run it: flags, exit codes, the listening line, signals. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess } from '../../../test/support/collector-process.js';

const CLI_PATH = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8', timeout: 10_000, env: { PATH: process.env.PATH ?? '', ...env } });
}

describe('tracedock CLI', () => {
  it('prints usage with every flag, its env var and default, and exits 0', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--otlp-http-port');
    expect(result.stdout).toContain('env TRACEDOCK_OTLP_HTTP_PORT, default 4318');
  });

  it('prints its version', () => {
    const result = runCli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 naming an unknown flag, a bad value, or a bad variable', () => {
    const unknown = runCli(['--otlp-port', '1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--otlp-port');
    const bad = runCli(['--retention-hours=-1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--retention-hours must be a positive number, got "-1"');
    const env = runCli([], { TRACEDOCK_LOG_LEVEL: 'loud' });
    expect(env.status).toBe(2);
    expect(env.stderr).toContain('TRACEDOCK_LOG_LEVEL');
  });

  it('logs one JSON line with its addresses, and exits 0 on SIGINT', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-cli-'));
    tempDirs.push(dataDir);
    const collector = await startCollectorProcess({ dataDir });
    const line = collector.logs().split('\n').find((l) => l.includes('tracedock listening'));
    expect(line, collector.logs()).toBeDefined();
    const parsed: unknown = JSON.parse(line ?? '{}');
    expect(parsed).toMatchObject({
      msg: 'tracedock listening',
      otlpHttp: collector.otlpHttpUrl,
      otlpGrpc: collector.otlpGrpcAddress,
      ui: collector.baseUrl,
    });
    expect(await collector.stop('SIGINT')).toBe(0);
  });
});
