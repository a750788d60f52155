import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHistogramPoint, makeMetricPoint, ms, T0_NS } from '../../store/duckdb/testing/fixtures.js';
import { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import { startApi, type RunningApi } from '../test-support.js';

let store: DuckDbStore;
let api: RunningApi;
const t0Ms = T0_NS / 1_000_000n;
const range = `start=${t0Ms - 120_000n}&end=${t0Ms + 120_000n}`;
const CONTAINER = 'c'.repeat(64);

beforeAll(async () => {
  store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  const rows = [
    makeMetricPoint({ value: 40 }),
    makeMetricPoint({ timeNs: T0_NS + ms(10_000), value: 45 }),
    makeMetricPoint({ attributes: { 'http.route': '/health' }, value: 7, containerId: CONTAINER }),
    makeHistogramPoint({ timeNs: T0_NS + ms(5_000) }),
    makeMetricPoint({ service: 'billing', name: 'queue.depth', type: 'gauge', temporality: 'unspecified', monotonic: false, unit: '{job}', value: 3.5, valueIsInt: false }),
  ];
  expect(await store.writeMetricPoints(rows)).toMatchObject({ ok: true, written: rows.length });
  api = await startApi(store);
});

afterAll(async () => {
  await api.close();
  await store.shutdown();
});

describe('GET /api/metrics', () => {
  it('lists each metric of a service with its identity and counts, newest first', async () => {
    const res = await api.get(`/api/metrics?service=orders&${range}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      metrics: [
        {
          service: 'orders', name: 'http.server.requests', description: 'Requests served', unit: '{request}', type: 'sum',
          temporality: 'cumulative', monotonic: true, pointCount: 3, seriesCount: 2, lastNs: (T0_NS + ms(10_000)).toString(),
        },
        {
          service: 'orders', name: 'http.server.duration', description: 'Request duration', unit: 'ms', type: 'histogram',
          temporality: 'delta', monotonic: false, pointCount: 1, seriesCount: 1, lastNs: (T0_NS + ms(5_000)).toString(),
        },
      ],
    });
  });

  it('lists every service without a service filter', async () => {
    const body = (await (await api.get(`/api/metrics?${range}`)).json()) as { metrics: { service: string }[] };
    expect(new Set(body.metrics.map((m) => m.service))).toEqual(new Set(['orders', 'billing']));
  });
});

describe('GET /api/metrics/series', () => {
  it('groups points into series by attributes and container, each in time order', async () => {
    const res = await api.get(`/api/metrics/series?name=http.server.requests&service=orders&${range}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      metric: unknown;
      truncated: boolean;
      series: { attributes: Record<string, unknown>; containerId: string | null; points: { value: number; timeNs: string; startT: number | null }[] }[];
    };
    expect(body.metric).toEqual({ description: 'Requests served', unit: '{request}', type: 'sum', temporality: 'cumulative', monotonic: true });
    expect(body.truncated).toBe(false);
    const byRoute = Object.fromEntries(body.series.map((s) => [String(s.attributes['http.route']), s]));
    expect(byRoute['/orders']?.points.map((p) => p.value)).toEqual([40, 45]);
    expect(byRoute['/orders']?.containerId).toBeNull();
    expect(byRoute['/health']?.containerId).toBe(CONTAINER);
    expect(byRoute['/orders']?.points[0]?.timeNs).toBe(T0_NS.toString());
    expect(byRoute['/orders']?.points[0]?.startT).toBe(Number(t0Ms) - 60_000 + Number(T0_NS % 1_000_000n) / 1e6);
  });

  it('returns histogram buckets and filters by attribute and container', async () => {
    const hist = (await (await api.get(`/api/metrics/series?name=http.server.duration&${range}`)).json()) as { series: { points: unknown[] }[] };
    expect(hist.series[0]?.points[0]).toMatchObject({ count: 6, sum: 1234.5, min: 0.25, max: 900, value: null, distribution: { kind: 'explicit', bounds: [10, 100, 1000], counts: [1, 2, 3, 0] } });
    const filtered = (await (await api.get(`/api/metrics/series?name=http.server.requests&attr.http.route=/health&${range}`)).json()) as { series: unknown[] };
    expect(filtered.series).toHaveLength(1);
    const byContainer = (await (await api.get(`/api/metrics/series?name=http.server.requests&containerId=${CONTAINER}&${range}`)).json()) as { series: { attributes: unknown }[] };
    expect(byContainer.series.map((s) => s.attributes)).toEqual([{ 'http.route': '/health' }]);
  });

  it('answers an unknown metric with no series, and a missing name or bad time with 400', async () => {
    expect(await (await api.get(`/api/metrics/series?name=nope&${range}`)).json()).toEqual({ name: 'nope', metric: null, series: [], truncated: false });
    const missing = await api.get(`/api/metrics/series?${range}`);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain('name: is required');
    const badTime = await api.get('/api/metrics/series?name=x&start=yesterday');
    expect(badTime.status).toBe(400);
    expect(JSON.stringify(await badTime.json())).toContain('start');
    expect((await api.get('/api/metrics?services=orders')).status).toBe(400);
  });
});
