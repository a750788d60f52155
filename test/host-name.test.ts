import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { docker, dockerAvailable } from './support/docker.js';

/**
 * Which Docker host a collector runs for (issue 14: one collector per host, one store): the
 * real engine's own name by default, TRACEDOCK_HOST_NAME when set, this machine's name
 * without Docker. /api/health and the start line say it. (On these machines the engine runs on
 * the test machine, so its name is also os.hostname(); host-name.test.ts in the collector tells
 * the two apart with an engine stand-in.)
 */

const withDocker = await dockerAvailable();
let collector: CollectorProcess | undefined;
let dataDir = '';

async function start(env: Record<string, string>): Promise<{ host: unknown; startLine: string }> {
  dataDir = await mkdtemp(join(tmpdir(), 'tracedock-host-name-'));
  collector = await startCollectorProcess({ dataDir, env });
  const health = (await (await fetch(`${collector.baseUrl}/api/health`)).json()) as { host?: unknown };
  const startLine = collector.logs().split('\n').find((l) => l.includes('tracedock listening')) ?? '';
  return { host: health.host, startLine };
}

afterEach(async () => {
  await collector?.stop();
  collector = undefined;
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

describe('the collector host name', () => {
  it.skipIf(!withDocker)("is the Docker engine's name by default", async () => {
    const engine = (await docker(['info', '--format', '{{.Name}}'])).trim();
    expect(engine).not.toBe('');
    const { host, startLine } = await start({});
    expect(host).toBe(engine);
    expect(JSON.parse(startLine)).toMatchObject({ host: engine });
  });

  it('is the setting when given, and this machine\'s name without Docker', async () => {
    expect((await start({ TRACEDOCK_HOST_NAME: 'edge-7.example', TRACEDOCK_DOCKER: 'off' })).host).toBe('edge-7.example');
    await collector?.stop();
    await rm(dataDir, { recursive: true, force: true });
    expect((await start({ TRACEDOCK_DOCKER: 'off' })).host).toBe(hostname());
  });

  it('refuses a host name with spaces at start, naming the variable', async () => {
    await expect(start({ TRACEDOCK_HOST_NAME: 'two words', TRACEDOCK_DOCKER: 'off' })).rejects.toThrow(/TRACEDOCK_HOST_NAME must be a host name/);
  });
});
