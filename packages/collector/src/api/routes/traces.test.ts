import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import type { Suspect } from '../deps.js';
import { SEED, seedLogs, seedSpans } from '../test-seed.js';
import { CONTAINER_ID, containerRow, NS_PER_MS, startApi, TRACE_ID, type RunningApi } from '../test-support.js';

let store: DuckDbStore;
let api: RunningApi;
const range = `start=${SEED.t0Ms - 1000n}&end=${SEED.t0Ms + 10_000n}`;

beforeAll(async () => {
  store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  expect(await store.writeSpans(seedSpans())).toMatchObject({ ok: true });
  expect(await store.writeLogs(seedLogs())).toMatchObject({ ok: true });
  const containers = [containerRow(), containerRow({ id: SEED.inventoryContainerId, name: 'demo-inventory-1', service: 'inventory' })];
  expect(await store.upsertContainers(containers)).toMatchObject({ ok: true });
  api = await startApi(store);
});

afterAll(async () => {
  await api.close();
  await store.shutdown();
});

const traceList = z.object({ traces: z.array(z.object({ traceId: z.string() })) });

/** The trace ids /api/traces answers, sorted; `query` gets the seeded range unless it has its own. */
async function traceIds(query: string): Promise<string[]> {
  const res = await api.get(`/api/traces?${query.includes('start=') ? query : `${range}&${query}`}`);
  expect(res.status).toBe(200);
  return traceList.parse(await res.json()).traces.map((t) => t.traceId).sort();
}

describe('GET /api/traces', () => {
  it('lists trace summaries in the wire shape', async () => {
    const res = await api.get(`/api/traces?${range}`);
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    expect(body).toEqual({
      traces: expect.arrayContaining([
        {
          traceId: TRACE_ID, rootService: 'gateway', rootName: 'GET /orders', startNs: (SEED.t0Ms * NS_PER_MS).toString(),
          durationMs: 250, spanCount: 3, errorCount: 1, services: expect.arrayContaining(['gateway', 'orders', 'inventory']),
        },
        expect.objectContaining({ traceId: SEED.otherTraceId, durationMs: 1, errorCount: 0 }),
      ]),
    });
  });

  it('passes every filter to the store', async () => {
    expect(await traceIds('service=inventory')).toEqual([TRACE_ID]);
    expect(await traceIds('operation=GET%20%2Fhealth')).toEqual([SEED.otherTraceId]);
    expect(await traceIds('status=error')).toEqual([TRACE_ID]);
    expect(await traceIds('status=ok')).toEqual([SEED.otherTraceId]);
    expect(await traceIds('minDurationMs=100')).toEqual([TRACE_ID]);
    expect(await traceIds('maxDurationMs=1.5')).toEqual([SEED.otherTraceId]);
    expect(await traceIds('attr.http.route=%2Forders')).toEqual([TRACE_ID]);
    expect(await traceIds('attr.http.route=%2Fnowhere')).toEqual([]);
    expect(await traceIds('limit=1')).toHaveLength(1);
    expect(await traceIds(`start=${SEED.t0Ms + 500n}&end=${SEED.t0Ms + 10_000n}`)).toEqual([SEED.otherTraceId]);
    const iso = new Date(Number(SEED.t0Ms) + 500).toISOString();
    expect(await traceIds(`start=${iso}&end=${SEED.t0Ms + 10_000n}`)).toEqual([SEED.otherTraceId]);
  });
});

const traceDetail = z.object({
  traceId: z.string(),
  spans: z.array(z.unknown()),
  containers: z.array(z.looseObject({ id: z.string() })),
  logs: z.array(z.looseObject({ body: z.string() })),
});

describe('GET /api/traces/:traceId', () => {
  it('returns spans, their containers and the logs around the trace', async () => {
    const res = await api.get(`/api/traces/${TRACE_ID.toUpperCase()}`);
    expect(res.status).toBe(200);
    const body = traceDetail.parse(await res.json());
    expect(body.traceId).toBe(TRACE_ID);
    expect(body.spans).toEqual([
      expect.objectContaining({ spanId: SEED.rootSpanId, parentSpanId: null, kind: 'SERVER', durationMs: 250, containerId: null }),
      expect.objectContaining({ spanId: SEED.ordersSpanId, parentSpanId: SEED.rootSpanId, containerId: CONTAINER_ID }),
      {
        traceId: TRACE_ID, spanId: SEED.inventorySpanId, parentSpanId: SEED.ordersSpanId, service: 'inventory', name: 'reserve',
        kind: 'CLIENT', startNs: ((SEED.t0Ms + 50n) * NS_PER_MS).toString(), endNs: ((SEED.t0Ms + 150n) * NS_PER_MS).toString(),
        durationMs: 100, status: { code: 'ERROR', message: 'out of stock' }, attributes: { 'http.request.method': 'GET' },
        events: [{ timeNs: ((SEED.t0Ms + 149n) * NS_PER_MS).toString(), name: 'exception', attributes: { 'exception.message': 'out of stock' } }],
        links: [], resource: { 'service.name': 'inventory' }, traceState: '', scope: { name: 'test', version: '1.0.0' },
        containerId: SEED.inventoryContainerId,
      },
    ]);
    expect(body.containers.map((c) => c.id).sort()).toEqual([CONTAINER_ID, SEED.inventoryContainerId]);
    expect(body.containers).toContainEqual(expect.objectContaining({ id: CONTAINER_ID, name: 'demo-orders-1', startedAt: '2023-11-14T21:56:40.000Z' }));
    // Spans by start (the root first), logs by time (oldest first).
    expect(body.logs.map((l) => l.body)).toEqual(['order placed', 'Out Of Stock for sku 42', 'late retry of the order']);
  });

  it('has no suspects until the analysis hook is given', async () => {
    const res = await api.get(`/api/traces/${TRACE_ID}/suspects`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ suspects: [] });
  });

  it('returns what the analysis hook reports', async () => {
    const suspect: Suspect = {
      spanId: SEED.inventorySpanId, containerId: SEED.inventoryContainerId, kind: 'cpu_throttled',
      message: 'CPU throttled for 80 ms during the span', evidence: { throttledMs: 80, windowStartNs: '1' },
    };
    const asked: string[] = [];
    const withHook = await startApi(store, { suspects: async (traceId) => { asked.push(traceId); return [suspect]; } });
    try {
      const res = await withHook.get(`/api/traces/${TRACE_ID}/suspects`);
      expect(await res.json()).toEqual({ suspects: [suspect] });
      expect(asked).toEqual([TRACE_ID]);
    } finally {
      await withHook.close();
    }
  });
});
