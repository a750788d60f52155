import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import { SEED, seedSpans } from '../test-seed.js';
import { startApi, type RunningApi } from '../test-support.js';

let store: DuckDbStore;
let api: RunningApi;
const range = `start=${SEED.t0Ms - 1000n}&end=${SEED.t0Ms + 10_000n}`;

beforeAll(async () => {
  store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  expect(await store.writeSpans(seedSpans())).toMatchObject({ ok: true });
  api = await startApi(store);
});

afterAll(async () => {
  await api.close();
  await store.shutdown();
});

const summary = (name: string, spanCount: number, errorCount: number) => ({
  name, spanCount, errorCount, p50Ms: expect.any(Number), p95Ms: expect.any(Number), p99Ms: expect.any(Number),
});

describe('GET /api/services', () => {
  it('summarizes each service in the range', async () => {
    const res = await api.get(`/api/services?${range}`);
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    expect(body).toEqual({ services: expect.arrayContaining([summary('gateway', 2, 0), summary('orders', 1, 0), summary('inventory', 1, 1)]) });
    expect(body).toMatchObject({ services: { length: 3 } });
  });

  it('is empty outside the data', async () => {
    const res = await api.get(`/api/services?start=${SEED.t0Ms + 60_000n}&end=${SEED.t0Ms + 120_000n}`);
    expect(await res.json()).toEqual({ services: [] });
  });
});

describe('GET /api/service-map', () => {
  it('returns nodes and the caller → callee edges', async () => {
    const res = await api.get(`/api/service-map?${range}`);
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    expect(body).toEqual({
      nodes: expect.arrayContaining([summary('gateway', 2, 0), summary('orders', 1, 0), summary('inventory', 1, 1)]),
      edges: expect.arrayContaining([
        { from: 'gateway', to: 'orders', calls: 1, errors: 0, p95Ms: expect.any(Number) },
        { from: 'orders', to: 'inventory', calls: 1, errors: 1, p95Ms: expect.any(Number) },
      ]),
    });
    expect(body).toMatchObject({ edges: { length: 2 } });
  });
});
