/**
 * The compose files as docker-compose v1.29 reads them (no engine needed): the user-facing
 * docker-compose.yml keeps what the README promises (published ports, read-only socket and
 * cgroup mounts, the named volume, the socket's group, the CPU-limited service), and the
 * host-network rendering the end-to-end harness uses has no published ports and no bridge
 * addresses.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE, composeCli, HOST_OVERRIDE_FILE, withoutPorts } from './support/compose.js';
import { available, fileExists, repoRoot } from './support/env.js';

const run = promisify(execFile);
const present = available('docker-compose v1.29', fileExists(composeCli), 'apt-get install docker-compose');

async function config(files: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const args = files.flatMap((f) => ['-f', f]);
  const { stdout } = await run(composeCli, ['-p', 'tracedock-config-check', ...args, 'config'], {
    cwd: repoRoot, timeout: 30_000, env: { ...process.env, DOCKER_GID: '', ...env },
  });
  return stdout;
}

/** The lines of one service's block in v1.29's normalized rendering. */
function serviceBlock(rendered: string, service: string): string {
  const lines = rendered.split('\n');
  const start = lines.indexOf(`  ${service}:`);
  if (start < 0) throw new Error(`service ${service} missing from:\n${rendered}`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe.skipIf(!present)('compose files (docker-compose v1.29 config)', () => {
  it('renders the user-facing file with the collector published, mounted read-only and in the socket group', async () => {
    const rendered = await config([COMPOSE_FILE], { DOCKER_GID: '4242' });
    const collector = serviceBlock(rendered, 'collector');
    // Published on the host's loopback only, which is why its access tokens default to off.
    for (const port of [4317, 4318, 4320]) expect(collector).toContain(`127.0.0.1:${port}:${port}/tcp`);
    expect(collector).toContain('TRACEDOCK_API_TOKEN: "off"');
    expect(collector).toContain('TRACEDOCK_INGEST_TOKEN: "off"');
    expect(collector).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
    expect(collector).toContain('/sys/fs/cgroup:/host/sys/fs/cgroup:ro');
    expect(collector).toContain('/proc:/host/proc:ro');
    expect(collector).toContain('tracedock-data:/data:rw');
    expect(collector).toMatch(/group_add:\n\s+- '?4242'?/);
    expect(collector).toContain('/api/health');
    expect(serviceBlock(rendered, 'orders')).toContain('cpus: 0.25');
    for (const service of ['gateway', 'orders', 'inventory', 'loadgen']) {
      const block = serviceBlock(rendered, service);
      expect(block).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4318');
      expect(block).toContain('OTEL_EXPORTER_OTLP_HEADERS: Authorization=Bearer%20off');
      expect(block).toContain('dockerfile: demo/Dockerfile');
    }
  });

  it('defaults the socket group to 999 when DOCKER_GID is unset', async () => {
    const { stdout } = await run(composeCli, ['-f', COMPOSE_FILE, 'config'], {
      cwd: repoRoot, timeout: 30_000, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DOCKER_GID')),
    });
    expect(serviceBlock(stdout, 'collector')).toMatch(/group_add:\n\s+- '?999'?/);
  });

  it('renders the host-network override without published ports or non-loopback upstreams', async () => {
    const rendered = withoutPorts(await config([COMPOSE_FILE, HOST_OVERRIDE_FILE]));
    expect(rendered).not.toMatch(/^\s+ports:/m);
    expect(rendered).not.toContain('published:');
    for (const service of ['collector', 'gateway', 'orders', 'inventory', 'loadgen']) {
      const block = serviceBlock(rendered, service);
      expect(block).toContain('network_mode: host');
      expect(block).toMatch(/build:\n(\s+\S.*\n)*?\s+network: host/);
    }
    expect(rendered).not.toMatch(/http:\/\/(collector|gateway|orders|inventory):/);
    expect(serviceBlock(rendered, 'gateway')).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: http://127.0.0.1:24318');
  });

  it('renders the multi-host file: the collector of every host stores in the ClickHouse it is given, and refuses to start without it', async () => {
    const file = join(repoRoot, 'deploy', 'multi-host.yml');
    const env = {
      TRACEDOCK_STORE: 'clickhouse://tracedock:pw@central:8123/tracedock', TRACEDOCK_HOST_NAME: 'web-1',
      TRACEDOCK_API_TOKEN: 'a'.repeat(24), TRACEDOCK_INGEST_TOKEN: 'b'.repeat(24), TRACEDOCK_CLICKHOUSE_PASSWORD: 'pw',
    };
    const collector = serviceBlock(await config([file], env), 'tracedock');
    expect(collector).toContain('TRACEDOCK_STORE: clickhouse://tracedock:pw@central:8123/tracedock');
    expect(collector).toContain('TRACEDOCK_HOST_NAME: web-1');
    expect(collector).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
    expect(collector).toContain('/sys/fs/cgroup:/host/sys/fs/cgroup:ro');
    const { TRACEDOCK_STORE: _store, ...withoutStore } = env;
    await expect(config([file], withoutStore)).rejects.toThrow(/set TRACEDOCK_STORE=clickhouse:\/\//);
  });

  it('withoutPorts drops only the ports blocks', () => {
    const yaml = ['services:', '  a:', '    image: x', '    ports:', '    - published: 1', '      target: 1', '    restart: "no"', ''].join('\n');
    expect(withoutPorts(yaml)).toBe(['services:', '  a:', '    image: x', '    restart: "no"', ''].join('\n'));
  });
});
