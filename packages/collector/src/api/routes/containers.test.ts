import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import { SEED } from '../test-seed.js';
import {
  CONTAINER_ID, containerRow, eventRow, NS_PER_MS, SAMPLE_V2_FIELDS, sampleRow, startApi, type RunningApi,
} from '../test-support.js';

let store: DuckDbStore;
let api: RunningApi;
const range = `start=${SEED.t0Ms - 60_000n}&end=${SEED.t0Ms + 60_000n}`;
const otherId = 'c'.repeat(64);

beforeAll(async () => {
  store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  expect(await store.upsertContainers([containerRow()])).toMatchObject({ ok: true });
  const samples = [0n, 1_000n, 2_000n].map((ms) => sampleRow({ timeNs: (SEED.t0Ms + ms) * NS_PER_MS, cpuPercent: Number(ms) / 100 }));
  const far = sampleRow({ timeNs: (SEED.t0Ms + 3_600_000n) * NS_PER_MS });
  expect(await store.writeSamples([...samples, far, sampleRow({ containerId: otherId })])).toMatchObject({ ok: true });
  expect(await store.writeContainerEvents([eventRow(), eventRow({ containerId: otherId, action: 'die' })])).toMatchObject({ ok: true });
  api = await startApi(store);
});

afterAll(async () => {
  await api.close();
  await store.shutdown();
});

describe('GET /api/containers', () => {
  it('lists containers in the wire shape', async () => {
    const res = await api.get(`/api/containers?${range}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      containers: [
        {
          id: CONTAINER_ID, name: 'demo-orders-1', image: 'demo/orders:latest', hostname: CONTAINER_ID.slice(0, 12), host: 'host-a',
          service: 'orders', project: 'demo', state: 'running', startedAt: '2023-11-14T21:56:40.000Z',
          startedAtNs: (1_699_999_000_000n * NS_PER_MS).toString(), finishedAtNs: null, restartCount: 0, cpuLimit: 1,
          memoryLimitBytes: 512 * 1024 * 1024, labels: { 'com.docker.compose.service': 'orders' },
        },
      ],
    });
  });
});

describe('GET /api/containers/:id/samples and /events', () => {
  it('returns the samples in the range with t in ms', async () => {
    const res = await api.get(`/api/containers/${CONTAINER_ID}/samples?${range}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      samples: [0, 1000, 2000].map((ms) => ({
        t: Number(SEED.t0Ms) + ms, cpuPercent: ms / 100, cpuThrottledMs: 3, memoryBytes: 100 * 1024 * 1024,
        memoryLimitBytes: 512 * 1024 * 1024, netRxBytes: 1000, netTxBytes: 2000, blkReadBytes: 0, blkWriteBytes: 4096, pids: 7,
        ...SAMPLE_V2_FIELDS,
      })),
      truncated: false,
    });
  });

  it('returns the events in the range with t in ms', async () => {
    const res = await api.get(`/api/containers/${CONTAINER_ID}/events?${range}`);
    expect(await res.json()).toEqual({ events: [{ t: Number(SEED.t0Ms) + 50, action: 'restart', attributes: { exitCode: '137' } }], truncated: false });
  });

  it('answers an unknown container with empty lists', async () => {
    const unknown = 'd'.repeat(64);
    expect(await (await api.get(`/api/containers/${unknown}/samples?${range}`)).json()).toEqual({ samples: [], truncated: false });
    expect(await (await api.get(`/api/containers/${unknown}/events?${range}`)).json()).toEqual({ events: [], truncated: false });
  });
});
