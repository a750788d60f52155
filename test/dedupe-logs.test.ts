import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, runSdkServiceContainer } from './apps/sdk-harness.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { ContainerSet, docker, dockerAvailable, ensureTestImages } from './support/docker.js';
import { waitFor } from './support/wait.js';

/**
 * A service instrumented with @tracedock/sdk in a real container writes each pino record to
 * stdout (which the collector reads through the Docker engine) and exports it over OTLP: the
 * two copies must be stored as one row, the OTLP record, joined to the container. A line that
 * only reached stdout stays.
 */

const hasDocker = await dockerAvailable();
const ARRIVAL_TIMEOUT_MILLIS = 30_000;
const POLL_INTERVAL_MILLIS = 250;

interface WireLog {
  body: string;
  source: string;
  containerId: string | null;
  traceId: string | null;
  attributes: Record<string, unknown>;
}

async function logsOf(baseUrl: string, query: string): Promise<WireLog[]> {
  const range = `start=${Date.now() - 600_000}&end=${Date.now() + 60_000}`;
  return (await getJson<{ logs: WireLog[] }>(`${baseUrl}/api/logs?${query}&${range}&limit=1000`)).logs;
}

/** Polls the logs of `query` until `done` holds for the answer (and what else it checks), which it resolves with. */
async function logsWhen(baseUrl: string, query: string, done: (logs: WireLog[]) => boolean | Promise<boolean>): Promise<WireLog[]> {
  let logs: WireLog[] = [];
  return waitFor(`logs of ${query}`, async () => {
    logs = await logsOf(baseUrl, query);
    return (await done(logs)) ? logs : undefined;
  }, { timeoutMillis: ARRIVAL_TIMEOUT_MILLIS, intervalMillis: POLL_INTERVAL_MILLIS, lastSeen: () => logs });
}

async function deduplicatedLogs(baseUrl: string): Promise<number> {
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/tracedock_rows_deduplicated_total\{signal="logs"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

describe.skipIf(!hasDocker)('a log record seen on stdout and over OTLP (real engine)', () => {
  const containers = new ContainerSet();
  let collector: CollectorProcess | undefined;
  let dataDir = '';
  const holdMillis = 3_000;

  beforeAll(async () => {
    await ensureTestImages();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-dedupe-logs-'));
    collector = await startCollectorProcess({ dataDir, startTimeoutMillis: 60_000, env: { TRACEDOCK_LOG_DEDUPE_HOLD_MS: String(holdMillis) } });
  });

  afterAll(async () => {
    await containers.removeAll();
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('is stored once, as the OTLP record with the container it came from', { timeout: 180_000 }, async () => {
    if (collector === undefined) throw new Error('the collector did not start');
    const { id, containerId, url } = await runSdkServiceContainer(containers, {
      service: 'dedupe-logs',
      otlpHttpUrl: collector.otlpHttpUrl,
      env: { OTEL_BLRP_SCHEDULE_DELAY: '500' },
    });
    // The record really was written to stdout too, or this test would prove nothing.
    const answer = await getJson<{ traceId: string }>(`${url}/checkout`);
    const deadline = Date.now() + ARRIVAL_TIMEOUT_MILLIS;
    while (!(await docker(['logs', id])).includes('checkout: done')) {
      if (Date.now() > deadline) throw new Error('the app did not write "checkout: done" to stdout');
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
    }

    const bodies = ['checkout: request headers', 'checkout: done'];
    const baseUrl = collector.baseUrl;
    // Both OTLP records stored, and each stdout copy decided: dropped as a duplicate (counted;
    // this app's pino records are the only OTLP logs this collector gets) or stored beside it.
    const logs = await logsWhen(baseUrl, `traceId=${answer.traceId}`, async (found) => {
      const otlpStored = bodies.every((body) => found.some((l) => l.body === body && l.source === 'otlp'));
      const stdoutStored = found.some((l) => bodies.includes(l.body) && l.source !== 'otlp');
      return otlpStored && (stdoutStored || (await deduplicatedLogs(baseUrl)) >= bodies.length);
    });
    for (const body of bodies) {
      const copies = logs.filter((l) => l.body === body);
      expect(copies.map((l) => ({ source: l.source, containerId: l.containerId })), body).toEqual([{ source: 'otlp', containerId }]);
    }

    // A line that only went to stdout (the app's start-up line, printed without pino) stays.
    const container = await logsWhen(baseUrl, `containerId=${containerId}`, (found) => found.some((l) => l.body.includes('listening')));
    expect(container.filter((l) => l.body.includes('listening')).map((l) => l.source)).toEqual(['stdout']);
    expect(await deduplicatedLogs(baseUrl)).toBeGreaterThanOrEqual(bodies.length);
  });
});
