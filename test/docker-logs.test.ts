import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSYBOX_IMAGE, ContainerSet, docker, dockerAvailable, NODE_IMAGE } from './support/docker.js';
import { collectorForDescribe, eventually, listOf, metricValue } from './support/docker-e2e.js';
import { repoRoot } from './support/env.js';

/**
 * Container stdout/stderr as log records, on the real engine: a service that logs pino JSON
 * with trace ids to stdout only (no OTLP logs) is found by /api/logs?traceId= with its
 * container; plain stderr lines and TTY containers are read too; a container flooding its
 * logs is rate-limited (and counted) without starving a quiet neighbour.
 */

const hasDocker = await dockerAvailable();
/** pino runs inside the container from the repository's own node_modules (read-only). */
const NODE_MODULES = join(repoRoot, 'node_modules');
const RATE_LINES_PER_SECOND = 200;
const BURST_LINES = 400;

function pinoScript(traceId: string, spanId: string): string {
  return `
    const pino = require('/opt/node_modules/pino');
    const logger = pino({ mixin: () => ({ trace_id: '${traceId}', span_id: '${spanId}', trace_flags: '01' }) });
    logger.info({ order: 7 }, 'order placed');
    logger.warn('stock low');
    pino().info('outside any span');
    process.stderr.write('plain diagnostic on stderr\\n');
    setTimeout(() => {}, 300_000);`;
}

describe.skipIf(!hasDocker)('container logs (real engine)', () => {
  const containers = new ContainerSet();
  const { api, collector } = collectorForDescribe('docker-logs', containers, {
    TRACEDOCK_CONTAINER_LOG_LINES_PER_SECOND: String(RATE_LINES_PER_SECOND),
    TRACEDOCK_CONTAINER_LOG_BURST_LINES: String(BURST_LINES),
  });

  it('joins pino JSON lines on stdout (no OTLP) to the trace and to their container', async () => {
    const traceId = randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    const id = await containers.run([
      '--label', 'com.docker.compose.service=checkout', '-v', `${NODE_MODULES}:/opt/node_modules:ro`,
      NODE_IMAGE, 'node', '-e', pinoScript(traceId, spanId),
    ]);
    let seen: unknown;
    const logs = await eventually('two pino lines in /api/logs?traceId=', async () => {
      seen = await api(`/api/logs?traceId=${traceId}`);
      const list = listOf(seen, 'logs');
      return list.length >= 2 ? list : undefined;
    }, 20_000, () => seen);
    expect(logs).toHaveLength(2);
    const byBody = Object.fromEntries(logs.map((l) => [String(l.body), l]));
    expect(byBody['order placed']).toMatchObject({
      traceId, spanId, containerId: id, severityNumber: 9, severityText: 'INFO', service: 'checkout', source: 'stdout',
      attributes: expect.objectContaining({ order: 7, 'log.iostream': 'stdout', trace_flags: '01' }),
      resource: expect.objectContaining({ 'container.id': id, 'service.name': 'checkout' }),
    });
    expect(byBody['stock low']).toMatchObject({ traceId, spanId, containerId: id, severityNumber: 13 });

    const all = await eventually('the four lines of the container', async () => {
      const list = listOf(await api(`/api/logs?containerId=${id}`), 'logs');
      return list.length >= 4 ? list : undefined;
    });
    expect(all.map((l) => l.body).sort()).toEqual(['order placed', 'outside any span', 'plain diagnostic on stderr', 'stock low']);
    expect(all.find((l) => l.body === 'plain diagnostic on stderr')).toMatchObject({ source: 'stderr', severityText: 'WARN', traceId: null });
    expect(all.find((l) => l.body === 'outside any span')).toMatchObject({ traceId: null, containerId: id });
  });

  it('reads a TTY container (raw stream, \\r\\n line ends)', async () => {
    const id = await containers.run(['-t', BUSYBOX_IMAGE, 'sh', '-c', 'echo tty one; echo tty two; sleep 300']);
    let seen: unknown;
    const logs = await eventually('two TTY lines', async () => {
      seen = await api(`/api/logs?containerId=${id}`);
      const list = listOf(seen, 'logs');
      return list.length >= 2 ? list : undefined;
    }, 20_000, () => seen);
    expect(logs.map((l) => l.body).sort()).toEqual(['tty one', 'tty two']);
  });

  it('rate-limits a flooding container (counted) while a quiet neighbour loses nothing', async () => {
    const flood = await containers.run([BUSYBOX_IMAGE, 'sh', '-c', 'while :; do echo flooding flooding flooding; done']);
    try {
      await floodCase(flood);
    } finally {
      // It burns a core: gone as soon as the case is decided.
      await docker(['rm', '-f', flood]).catch(() => undefined);
    }
  }, 60_000);

  async function floodCase(flood: string): Promise<void> {
    const quiet = await containers.run([BUSYBOX_IMAGE, 'sh', '-c', 'sleep 2; for i in 1 2 3 4 5 6 7 8 9 10; do echo "quiet $i"; sleep 0.2; done; sleep 300']);
    let seen: unknown;
    await eventually('all ten quiet lines', async () => {
      seen = await api(`/api/logs?containerId=${quiet}&limit=100`);
      return listOf(seen, 'logs').length >= 10 ? true : undefined;
    }, 30_000, () => seen);
    const quietLogs = listOf(await api(`/api/logs?containerId=${quiet}&limit=100`), 'logs');
    expect(quietLogs.map((l) => l.body).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `quiet ${i + 1}`).sort());
    const metrics = await (await fetch(`${collector().baseUrl}/metrics`)).text();
    const rateLimited = metricValue(metrics, 'tracedock_container_log_lines_dropped_total{reason="rate_limited"}');
    const read = metricValue(metrics, 'tracedock_container_log_lines_total{stream="stdout"}');
    expect(rateLimited, 'lines over the flooding container\'s budget are dropped and counted').toBeGreaterThan(0);
    expect(read).toBeGreaterThan(rateLimited);
    const floodStored = listOf(await api(`/api/logs?containerId=${flood}&limit=1000`), 'logs').length;
    expect(floodStored).toBeGreaterThan(0);
  }
});
