import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, startApp, waitForLogs, waitForTraceWhere, type AppProcess } from './apps/sdk-harness.js';
import { freePort, startCollectorProcess, type CollectorProcess } from './support/collector-process.js';

/**
 * @tracedock/sdk when the collector is not there. A service must serve every request at its
 * normal speed regardless; spans and logs of a short outage must arrive once the collector is up
 * (bounded queue + retry with backoff); during a long one, memory must stay bounded and the
 * drop counter (sdk.stats()) must account for every span lost.
 */

interface SignalStats {
  accepted: number;
  exported: number;
  dropped: number;
  droppedQueueFull: number;
  droppedExportFailed: number;
  queued: number;
  inFlight: number;
  retries: number;
}
interface Stats {
  spans: SignalStats;
  logs: SignalStats;
}
interface CheckoutAnswer {
  traceId: string;
  spanId: string;
}

const OUTAGE_MILLIS = 10_000;
const REQUEST_INTERVAL_MILLIS = 100;
/** A request the SDK blocked would take the OTLP timeout (10 s); a served one takes milliseconds. */
const SERVED_MAX_MILLIS = 2_000;
/** This machine may be busy; the collector's own default (20 s) is tight then. */
const COLLECTOR_START_TIMEOUT_MILLIS = 60_000;

const apps: AppProcess[] = [];
const collectors: CollectorProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop('SIGKILL').catch(() => undefined)));
  await Promise.all(collectors.splice(0).map((c) => c.stop().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; millis: number }> {
  const startedAt = performance.now();
  const value = await run();
  return { value, millis: performance.now() - startedAt };
}

/** `total` GETs of `url`, `concurrency` at a time; returns how many answered 200. */
async function load(url: string, total: number, concurrency: number): Promise<number> {
  let next = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ok;
}

describe('collector down at start, up 10 s later', () => {
  it('serves every request meanwhile, and the spans and logs of that period arrive', { timeout: 180_000 }, async () => {
    const otlpPort = await freePort();
    const service = await startApp({
      script: 'sdk-service.mjs',
      args: ['outage'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`, OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BLRP_SCHEDULE_DELAY: '200' },
    });
    apps.push(service);

    const answers: CheckoutAnswer[] = [];
    const latencies: number[] = [];
    const outageEnd = Date.now() + OUTAGE_MILLIS;
    while (Date.now() < outageEnd) {
      const { value, millis } = await timed(() => getJson<CheckoutAnswer>(`${service.url}/checkout`));
      answers.push(value);
      latencies.push(millis);
      await new Promise((resolve) => setTimeout(resolve, REQUEST_INTERVAL_MILLIS));
    }
    expect(answers.length).toBeGreaterThan(40);
    expect(Math.max(...latencies), `latencies while the collector was down: ${latencies.map((l) => l.toFixed(0)).join(' ')}`).toBeLessThan(SERVED_MAX_MILLIS);
    const during = await getJson<Stats>(`${service.url}/stats`);
    expect(during.spans.exported, 'nothing can have been exported yet').toBe(0);
    expect(during.spans.retries).toBeGreaterThan(0);

    const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-sdk-outage-'));
    dirs.push(dataDir);
    const collector = await startCollectorProcess({ dataDir, env: { TRACEDOCK_OTLP_HTTP_PORT: String(otlpPort) }, startTimeoutMillis: COLLECTOR_START_TIMEOUT_MILLIS });
    collectors.push(collector);

    for (const answer of answers) {
      await waitForTraceWhere(collector.baseUrl, answer.traceId, (t) => t.spans.some((s) => s.spanId === answer.spanId), `span ${answer.spanId} from the outage`, 60_000);
    }
    for (const answer of answers) {
      const logs = await waitForLogs(collector.baseUrl, { traceId: answer.traceId, spanId: answer.spanId }, 2, 30_000);
      expect(logs.map((l) => l.body).sort()).toEqual(['checkout: done', 'checkout: request headers']);
    }
    const after = await getJson<Stats>(`${service.url}/stats`);
    expect(after.spans.dropped).toBe(0);
    expect(after.logs.dropped).toBe(0);
    expect(after.spans.exported).toBeGreaterThanOrEqual(answers.length);
    expect(service.output()).toContain('export works again');
  });
});

describe('collector down for good', () => {
  it('keeps memory bounded and counts every span it could not deliver', { timeout: 180_000 }, async () => {
    const maxQueueSize = 200;
    const maxExportBatchSize = 50;
    const deadPort = await freePort();
    const service = await startApp({
      script: 'sdk-service.mjs',
      args: ['black-hole'],
      nodeArgs: ['--expose-gc'],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}`,
        OTEL_BSP_MAX_QUEUE_SIZE: String(maxQueueSize),
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: String(maxExportBatchSize),
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_BSP_EXPORT_TIMEOUT: '3000',
        OTEL_BLRP_MAX_QUEUE_SIZE: String(maxQueueSize),
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: String(maxExportBatchSize),
        OTEL_BLRP_SCHEDULE_DELAY: '100',
        OTEL_BLRP_EXPORT_TIMEOUT: '3000',
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      },
    });
    apps.push(service);
    const url = `${service.url}/checkout`;
    // Past the queue bound first, so that the baseline already holds a full queue.
    expect(await load(url, 1_000, 10)).toBe(1_000);
    const heapBefore = (await getJson<{ heapUsed: number }>(`${service.url}/memory`)).heapUsed;
    const { value: served, millis } = await timed(() => load(url, 6_000, 20));
    expect(served).toBe(6_000);
    const heapAfter = (await getJson<{ heapUsed: number }>(`${service.url}/memory`)).heapUsed;
    const stats = await getJson<Stats>(`${service.url}/stats`);

    // Unbounded, 6000 more spans and 12000 more log records would hold well over 20 MB.
    const growthBytes = heapAfter - heapBefore;
    expect(growthBytes, `heap grew ${(growthBytes / 1e6).toFixed(1)} MB over 6000 requests (${(6_000 / (millis / 1_000)).toFixed(0)} req/s)`).toBeLessThan(6e6);

    for (const [signal, s] of Object.entries(stats)) {
      expect(s.exported, signal).toBe(0);
      expect(s.queued, signal).toBeLessThanOrEqual(maxQueueSize);
      expect(s.inFlight, signal).toBeLessThanOrEqual(maxExportBatchSize);
      expect(s.dropped, signal).toBe(s.droppedQueueFull + s.droppedExportFailed);
      // Every record is accounted for: nothing exported, so all but the queued and in-flight ones are counted lost.
      expect(s.accepted, signal).toBe(s.exported + s.droppedExportFailed + s.queued + s.inFlight);
    }
    // 7000 checkouts + 2 memory probes ended before the stats request: one server span each, two log lines per checkout.
    const spansEnded = stats.spans.accepted + stats.spans.droppedQueueFull;
    expect(spansEnded).toBe(7_002);
    expect(stats.spans.dropped).toBe(spansEnded - stats.spans.queued - stats.spans.inFlight);
    expect(stats.logs.accepted + stats.logs.droppedQueueFull).toBe(14_000);
    expect(stats.spans.droppedQueueFull).toBeGreaterThan(0);
    // A batch counts as lost only when its export gives up (bounded by OTEL_BSP_EXPORT_TIMEOUT):
    // on a quick machine the load can end before the first one has.
    await expect
      .poll(async () => (await getJson<Stats>(`${service.url}/stats`)).spans.droppedExportFailed, { timeout: 15_000, interval: 250 })
      .toBeGreaterThan(0);
    // Said once per episode, not once per drop.
    expect(service.output().match(/spans: queue full/g)).toHaveLength(1);
  });
});
