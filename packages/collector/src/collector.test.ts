import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeTraceRequestProto, makeTraceSpans, randomTraceId } from '../../../test/support/otlp-requests.js';
import { eventually, startTestCollector } from '../test/support/collector.js';
import { silentLogger } from '../test/support/logger.js';
import { Collector } from './collector.js';
import { loadConfig, type CollectorOptions } from './config.js';
import type { RetentionResult } from './store/Store.js';
import { DuckDbStore } from './store/duckdb/DuckDbStore.js';

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tracedock-collector-'));
  tempDirs.push(dir);
  return dir;
}

function config(options: CollectorOptions) {
  return loadConfig({ host: '127.0.0.1', otlpHttpPort: 0, otlpGrpcPort: 0, uiPort: 0, logLevel: 'silent', ...options }, {});
}

async function postTrace(otlpHttpUrl: string, traceId: string, spanCount: number): Promise<number> {
  const body = encodeTraceRequestProto(makeTraceSpans({ traceId, spanCount }));
  const response = await fetch(`${otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body });
  await response.arrayBuffer();
  return response.status;
}

describe('Collector', () => {
  it('reports its bound ports and serves the API, /metrics and OTLP on them', async () => {
    const { collector, uiUrl, otlpHttpUrl } = await startTestCollector();
    const addresses = collector.addresses();
    for (const port of [addresses.otlpHttpPort, addresses.otlpGrpcPort, addresses.uiPort]) expect(port).toBeGreaterThan(0);
    expect(otlpHttpUrl).toBe(`http://127.0.0.1:${addresses.otlpHttpPort}`);
    expect((await fetch(`${uiUrl}/api/health`)).status).toBe(200);
    expect(await postTrace(otlpHttpUrl, randomTraceId(), 1)).toBe(200);
    const metrics = await (await fetch(`${uiUrl}/metrics`)).text();
    expect(metrics).toContain('tracedock_spans_received_total{protocol="http"} 1');
    expect(metrics).toContain('tracedock_queue_capacity_rows');
  });

  it('creates its data dir, drains accepted rows on shutdown (safe twice), and closes its ports', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');
    const collector = new Collector(config({ dataDir, batchMaxDelayMillis: 60_000 }), { logger: silentLogger });
    await collector.start();
    const { otlpHttpUrl } = collector.addresses();
    const traceId = randomTraceId();
    expect(await postTrace(otlpHttpUrl, traceId, 3)).toBe(200);
    const first = collector.shutdown();
    expect(collector.shutdown()).toBe(first);
    await first;
    await expect(fetch(`${otlpHttpUrl}/v1/traces`, { method: 'POST' })).rejects.toThrow();
    const reopened = new DuckDbStore({ path: join(dataDir, 'tracedock.duckdb') });
    await reopened.start();
    try {
      expect(await reopened.getTraceSpans(traceId)).toHaveLength(3);
    } finally {
      await reopened.shutdown();
    }
  });

  it('fails to start on a port in use, naming it, and releases what it had opened', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const store = new DuckDbStore({ path: ':memory:' });
    const collector = new Collector(config({ dataDir: ':memory:', uiPort: port }), { store, logger: silentLogger });
    try {
      await expect(collector.start()).rejects.toThrow(/EADDRINUSE/);
      await collector.shutdown();
      await expect(store.getTraceSpans(randomTraceId())).rejects.toThrow(); // the store was closed
    } finally {
      blocker.close();
    }
  });

  it('runs retention on its interval, counting results and surviving a failing run', async () => {
    let calls = 0;
    class FlakyRetentionStore extends DuckDbStore {
      override async applyRetention(policy: Parameters<DuckDbStore['applyRetention']>[0]): Promise<RetentionResult> {
        calls += 1;
        if (calls === 1) throw new Error('disk full');
        expect(policy.maxAgeNs).toBe(2n * 3_600_000_000_000n);
        return super.applyRetention(policy);
      }
    }
    const store = new FlakyRetentionStore({ path: ':memory:' });
    const collector = new Collector(config({ dataDir: ':memory:', retentionIntervalMillis: 100, retentionHours: 2 }), { store, logger: silentLogger });
    await collector.start();
    try {
      await eventually(async () => (collector.metrics.value('tracedock_retention_runs_total', { result: 'ok' }) >= 1 ? true : undefined), 'a retention run');
      expect(collector.metrics.value('tracedock_retention_runs_total', { result: 'error' })).toBe(1);
      expect(await postTrace(collector.addresses().otlpHttpUrl, randomTraceId(), 1)).toBe(200);
    } finally {
      await collector.shutdown();
    }
  });

  it('refuses addresses() before start', () => {
    const collector = new Collector(config({ dataDir: ':memory:' }), { logger: silentLogger });
    expect(() => collector.addresses()).toThrow(/started/);
    expect(existsSync(':memory:')).toBe(false);
  });
});
