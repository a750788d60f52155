import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import { startApi, type RunningApi } from '../test-support.js';

let store: DuckDbStore;
let api: RunningApi;
let dockerConnected = false;

beforeAll(async () => {
  store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  api = await startApi(store, { version: '1.2.3', health: () => ({ docker: { connected: dockerConnected } }) });
});

afterAll(async () => {
  await api.close();
  await store.shutdown();
});

describe('GET /api/health', () => {
  it('reports version, store kind and the Docker connection as it is now', async () => {
    const first = await api.get('/api/health');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ status: 'ok', version: '1.2.3', store: store.kind, docker: { connected: false } });
    dockerConnected = true;
    expect(await (await api.get('/api/health')).json()).toMatchObject({ docker: { connected: true } });
  });

  it('names the Docker host the collector runs for when it is known', async () => {
    const named = await startApi(store, { hostName: 'edge-7', health: () => ({ docker: { connected: true } }) });
    try {
      expect(await (await named.get('/api/health')).json()).toMatchObject({ status: 'ok', host: 'edge-7' });
    } finally {
      await named.close();
    }
  });
});
