/**
 * The query API's contract, in one process and without a browser: the real API app over an
 * in-memory DuckDB store seeded with a realistic scene, asked by the UI's own client
 * (packages/ui/src/api/endpoints.ts), whose decoders must take every answer. The only shim
 * is the page's origin: the UI fetches `/api/...`, which is sent to the app's address.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSuspectsFinder } from '../packages/collector/src/analysis/suspects.js';
import { startApi, type RunningApi } from '../packages/collector/src/api/test-support.js';
import type { DuckDbStore } from '../packages/collector/src/store/duckdb/DuckDbStore.js';
import { startedMemoryStore } from '../packages/collector/src/store/duckdb/testing/fixtures.js';
import { api, METRICS_LIST_LIMIT, type TimeWindow } from '../packages/ui/src/api/endpoints.js';
import type { ApiFailure, ApiResult } from '../packages/ui/src/api/result.js';
import { CONTRACT_SCENE as SCENE, SUSPECTS_CONFIG, T0_MS, writeContractScene } from './fixtures/api-contract-scene.js';

let store: DuckDbStore;
let app: RunningApi;
const range: TimeWindow = { startMs: T0_MS - 60_000, endMs: T0_MS + 60_000 };
const orders = { id: SCENE.ordersContainerId, host: SCENE.host };

/** The decoded value; a failure (HTTP error or a body the decoder refused) fails with its words. */
async function valueOf<T>(call: Promise<ApiResult<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new Error(`${result.failure.request}: ${result.failure.kind} ${result.failure.status ?? ''} ${result.failure.message}`);
  return result.value;
}

async function failureOf(call: Promise<ApiResult<unknown>>): Promise<ApiFailure> {
  const result = await call;
  if (result.ok) throw new Error('expected the API to refuse the request');
  return result.failure;
}

beforeAll(async () => {
  store = await startedMemoryStore();
  await writeContractScene(store);
  const suspects = createSuspectsFinder({ store, config: SUSPECTS_CONFIG, hostCpuCores: 2 });
  app = await startApi(store, { suspects, hostName: SCENE.host, version: '9.9.9', health: () => ({ docker: { connected: true } }) });
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) =>
    realFetch(typeof input === 'string' && input.startsWith('/') ? `${app.baseUrl}${input}` : input, init));
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await app?.close();
  await store?.shutdown();
});

describe('the UI decodes every answer of the real API', () => {
  it('health', async () => {
    expect(await valueOf(api.health())).toEqual({ status: 'ok', version: '9.9.9', store: 'duckdb', host: SCENE.host, docker: { connected: true } });
  });

  it('services and the service map', async () => {
    const services = await valueOf(api.services(range));
    expect(services.map((s) => s.name).sort()).toEqual(['gateway', 'inventory', 'orders']);
    expect(services.find((s) => s.name === 'inventory')).toMatchObject({ spanCount: 1, errorCount: 1 });
    const map = await valueOf(api.serviceMap(range));
    expect(map.nodes).toHaveLength(3);
    expect(map.edges).toContainEqual(expect.objectContaining({ from: 'orders', to: 'inventory', calls: 1, errors: 1 }));
  });

  it('trace search, with the filters the search page sends', async () => {
    const all = await valueOf(api.traces({ ...range, limit: 20 }));
    expect(all.map((t) => t.traceId).sort()).toEqual([SCENE.traceId, SCENE.quietTraceId].sort());
    const search = { service: 'inventory', operation: 'reserve', status: 'error', minDurationMs: 100, attributes: { 'server.address': 'stock' } } as const;
    const found = await valueOf(api.traces({ ...range, ...search }));
    expect(found).toEqual([expect.objectContaining({ traceId: SCENE.traceId, rootService: 'gateway', spanCount: 5, errorCount: 1 })]);
  });

  it('refuses a containerId search with a 400 that names it, which ContainerTraces falls back on', async () => {
    const failure = await failureOf(api.traces({ ...range, containerId: SCENE.ordersContainerId }));
    expect(failure).toMatchObject({ kind: 'http', status: 400, code: 'bad_request', message: expect.stringContaining('containerId') });
  });

  it('a trace with its spans, containers and logs', async () => {
    const detail = await valueOf(api.trace(SCENE.traceId));
    expect(detail.spans).toHaveLength(5);
    const failed = detail.spans.find((s) => s.spanId === SCENE.inventorySpanId);
    expect(failed).toMatchObject({ kind: 'CLIENT', status: { code: 'ERROR', message: 'out of stock' }, containerId: SCENE.inventoryContainerId });
    expect(failed?.events).toEqual([expect.objectContaining({ name: 'exception', attributes: { 'exception.message': 'out of stock' } })]);
    expect(detail.containers.map((c) => c.id).sort()).toEqual([SCENE.ordersContainerId, SCENE.inventoryContainerId].sort());
    expect(detail.logs.map((l) => l.body).sort()).toEqual(['Out Of Stock for sku 42', 'order placed']);
  });

  it('an unknown trace as a 404 error body', async () => {
    expect(await failureOf(api.trace('f'.repeat(32)))).toMatchObject({ kind: 'http', status: 404, code: 'not_found' });
  });

  it('the resource suspects of the analysis', async () => {
    const suspects = await valueOf(api.suspects(SCENE.traceId));
    expect(suspects).toContainEqual(expect.objectContaining({ spanId: SCENE.ordersSpanId, containerId: SCENE.ordersContainerId, kind: 'cpu_throttled' }));
    expect(suspects.find((s) => s.kind === 'cpu_throttled')?.evidence).toMatchObject({ throttledMs: 420 });
  });

  it('containers, their samples and their events', async () => {
    const containers = await valueOf(api.containers(range));
    expect(containers.find((c) => c.id === SCENE.ordersContainerId)).toMatchObject({ name: 'demo-orders-1', host: SCENE.host, cpuLimit: 0.2, service: 'orders' });
    const samples = await valueOf(api.samples(orders, range));
    expect(samples).toHaveLength(10);
    expect(samples[3]).toMatchObject({ t: T0_MS + 3_000, cpuPercent: 19.5, cpuThrottledMs: 1_420, cpuLimitCores: 0.2 });
    expect(await valueOf(api.containerEvents(orders, range))).toEqual([{ t: T0_MS, action: 'start', attributes: { image: 'demo/orders:latest' } }]);
  });

  it('logs, by trace and severity and by container', async () => {
    const errors = await valueOf(api.logs({ ...range, traceId: SCENE.traceId, severity: 'warn', q: 'stock', limit: 10 }));
    expect(errors).toEqual([expect.objectContaining({ body: 'Out Of Stock for sku 42', severityNumber: 17, source: 'otlp', spanId: SCENE.inventorySpanId })]);
    const stdout = await valueOf(api.logs({ ...range, containerId: SCENE.ordersContainerId, limit: 10 }));
    expect(stdout).toEqual([expect.objectContaining({ body: 'GET /work 200', source: 'stdout', traceId: null })]);
  });

  it('the metric list and a series of every kind of point', async () => {
    const metrics = await valueOf(api.metrics({ ...range, service: 'orders', limit: METRICS_LIST_LIMIT }));
    expect(metrics.map((m) => `${m.name}:${m.type}`).sort()).toEqual(SCENE.metrics.map((m) => `${m.name}:${m.type}`).sort());
    for (const { name, distribution } of SCENE.metrics) {
      const response = await valueOf(api.metricSeries({ ...range, name, service: 'orders' }));
      expect(response.metric, name).not.toBeNull();
      const points = response.series.flatMap((s) => s.points);
      expect(points.length, name).toBeGreaterThan(0);
      expect(points.map((p) => p.distribution?.kind ?? null), name).toContain(distribution);
    }
    const filter = { containerId: SCENE.ordersContainerId, attributes: { 'http.route': '/work' } };
    const filtered = await valueOf(api.metricSeries({ ...range, name: 'http.server.requests', ...filter }));
    expect(filtered.series).toEqual([expect.objectContaining({ containerId: SCENE.ordersContainerId, attributes: { 'http.route': '/work' } })]);
  });
});
