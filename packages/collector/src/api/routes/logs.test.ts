import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import { SEED, seedLogs } from '../test-seed.js';
import { CONTAINER_ID, NS_PER_MS, startApi, TRACE_ID, type RunningApi } from '../test-support.js';

let store: DuckDbStore;
let api: RunningApi;
const range = `start=${SEED.t0Ms - 1000n}&end=${SEED.t0Ms + 60n * 60_000n}`;
const logList = z.object({ logs: z.array(z.looseObject({ body: z.string() })) });

beforeAll(async () => {
  store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  expect(await store.writeLogs(seedLogs())).toMatchObject({ ok: true });
  api = await startApi(store);
});

afterAll(async () => {
  await api.close();
  await store.shutdown();
});

async function bodies(query: string): Promise<string[]> {
  const res = await api.get(`/api/logs?${range}&${query}`);
  expect(res.status).toBe(200);
  return logList.parse(await res.json()).logs.map((l) => l.body).sort();
}

describe('GET /api/logs', () => {
  it('returns log records in the wire shape', async () => {
    const res = await api.get(`/api/logs?${range}&severity=error`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      logs: [
        {
          timeNs: ((SEED.t0Ms + 149n) * NS_PER_MS).toString(), observedTimeNs: (1_700_000_000_101n * NS_PER_MS).toString(),
          traceId: TRACE_ID, spanId: SEED.inventorySpanId, severityNumber: 17, severityText: 'ERROR',
          body: 'Out Of Stock for sku 42', attributes: {}, resource: { 'service.name': 'inventory' }, service: 'inventory',
          scope: { name: 'test' }, source: 'otlp', containerId: SEED.inventoryContainerId,
        },
      ],
    });
  });

  it('passes every filter to the store', async () => {
    expect(await bodies('')).toHaveLength(5);
    expect(await bodies('service=orders')).toEqual(['GET /orders 201']);
    expect(await bodies(`containerId=${CONTAINER_ID.toUpperCase()}`)).toEqual(['GET /orders 201']);
    expect(await bodies(`spanId=${SEED.inventorySpanId}`)).toEqual(['Out Of Stock for sku 42']);
    expect(await bodies(`traceId=${TRACE_ID}`)).toHaveLength(4);
    expect(await bodies('severity=warn')).toEqual(['Out Of Stock for sku 42']);
    expect(await bodies('severity=9')).toHaveLength(4);
    expect(await bodies('q=out%20of%20STOCK')).toEqual(['Out Of Stock for sku 42']);
    expect(await bodies('limit=2')).toHaveLength(2);
  });

  it('defaults to the last hour, so old records need a range', async () => {
    const res = await api.get('/api/logs');
    expect(logList.parse(await res.json()).logs).toEqual([]);
  });
});
