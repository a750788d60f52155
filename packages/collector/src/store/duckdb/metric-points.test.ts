import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricPointRow } from '../../model/rows.js';
import { DuckDbStore } from './DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeHistogramPoint, makeMetricPoint, makeTempDir, ms, startedMemoryStore,
} from './testing/fixtures.js';
import type { TempDir } from './testing/fixtures.js';

const at = (n: number) => T0_NS + ms(n);
const CONTAINER = 'c'.repeat(64);

/** One point of every metric type, with the non-finite doubles OTLP may carry. */
const EVERY_TYPE: MetricPointRow[] = [
  makeMetricPoint({
    name: 'process.cpu.utilization', type: 'gauge', temporality: 'unspecified', monotonic: false, startTimeNs: 0n,
    value: Number.NaN, valueIsInt: false, flags: 1, unit: '1', description: '',
    attributes: { 'http.method': 'GET', 'a/b~c': 'slash', 'quote"key': 'q', n: 7, on: true, list: ['x', 1] },
    containerId: CONTAINER,
  }),
  makeMetricPoint({ timeNs: at(1), name: 'queue.depth', type: 'gauge', temporality: 'unspecified', monotonic: false, value: 9_007_199_254_740_991 }),
  makeMetricPoint({ timeNs: at(2), value: Number.POSITIVE_INFINITY, valueIsInt: false }),
  makeMetricPoint({ timeNs: at(3), name: 'balance', monotonic: false, temporality: 'delta', value: Number.NEGATIVE_INFINITY, valueIsInt: false }),
  makeHistogramPoint({
    timeNs: at(4), sum: Number.NaN, max: Number.POSITIVE_INFINITY,
    distribution: { kind: 'explicit', bounds: [0.5, Number.POSITIVE_INFINITY], counts: [1, 2, 3] },
  }),
  makeHistogramPoint({ timeNs: at(5), min: null, max: null, distribution: { kind: 'explicit', bounds: [], counts: [6] } }),
  makeHistogramPoint({
    timeNs: at(6), name: 'rpc.latency', type: 'exponential_histogram', temporality: 'cumulative',
    distribution: {
      kind: 'exponential', scale: -3, zeroCount: 2, zeroThreshold: 1e-9,
      positive: { offset: -2, counts: [1, 0, 4] }, negative: { offset: 3, counts: [] },
    },
  }),
  makeHistogramPoint({
    timeNs: at(7), name: 'gc.pause', type: 'summary', temporality: 'unspecified', min: null, max: null,
    distribution: {
      kind: 'quantiles',
      quantiles: [{ quantile: 0, value: 0.1 }, { quantile: 0.99, value: Number.NaN }, { quantile: 1, value: Number.NEGATIVE_INFINITY }],
    },
  }),
];

describe('metric points round trip (file store, reopened)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('gives back every type, value, distribution, NaN/Infinity, attribute and container id as written', async () => {
    const path = join(dir.path, 'metrics.duckdb');
    const store = new DuckDbStore({ path, edgeRollup: false });
    await store.start();
    expect(await store.writeMetricPoints(EVERY_TYPE)).toEqual({ ok: true, written: EVERY_TYPE.length });
    expect(await store.writeMetricPoints([])).toEqual({ ok: true, written: 0 });
    await store.shutdown();

    const reopened = new DuckDbStore({ path, edgeRollup: false });
    await reopened.start();
    for (const point of EVERY_TYPE) {
      const found = await reopened.metricPoints({ ...ALL_TIME, name: point.name, limit: 100 });
      expect(found.find((p) => p.timeNs === point.timeNs)).toEqual(point);
    }
    const nan = await reopened.metricPoints({ ...ALL_TIME, name: 'process.cpu.utilization', limit: 1 });
    expect(Number.isNaN(nan[0]?.value)).toBe(true); // toEqual treats NaN as equal; say it outright
    await reopened.shutdown();
  });

  it('fails the whole batch when one point does not fit its column', async () => {
    const store = await startedMemoryStore();
    const result = await store.writeMetricPoints([makeMetricPoint(), makeMetricPoint({ timeNs: 1n << 64n })]);
    expect(result.ok).toBe(false);
    expect(await store.metricPoints({ ...ALL_TIME, name: 'http.server.requests', limit: 10 })).toEqual([]);
    await store.shutdown();
  });
});

describe('listMetrics', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await startedMemoryStore();
    expect(await store.writeMetricPoints([
      // orders' request counter: two routes, one of them in two containers; a unit change at the end
      makeMetricPoint({ timeNs: at(0), attributes: { 'http.route': '/a' } }),
      makeMetricPoint({ timeNs: at(1), attributes: { 'http.route': '/b' } }),
      makeMetricPoint({ timeNs: at(2), attributes: { 'http.route': '/b' }, containerId: CONTAINER }),
      makeMetricPoint({ timeNs: at(3), attributes: { 'http.route': '/a' }, unit: 'req', description: 'newest' }),
      // the same name in another service is another metric
      makeMetricPoint({ timeNs: at(5), service: 'gateway' }),
      makeHistogramPoint({ timeNs: at(4) }),
      makeMetricPoint({ timeNs: at(100), name: 'outside.range' }),
    ])).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('groups by service and name, with the newest identity, most recent first', async () => {
    const metrics = await store.listMetrics({ startNs: 0n, endNs: at(100), limit: 10 });
    expect(metrics).toEqual([
      {
        service: 'gateway', name: 'http.server.requests', description: 'Requests served', unit: '{request}', type: 'sum',
        temporality: 'cumulative', monotonic: true, pointCount: 1, seriesCount: 1, lastTimeNs: at(5),
      },
      {
        service: 'orders', name: 'http.server.duration', description: 'Request duration', unit: 'ms', type: 'histogram',
        temporality: 'delta', monotonic: false, pointCount: 1, seriesCount: 1, lastTimeNs: at(4),
      },
      {
        service: 'orders', name: 'http.server.requests', description: 'newest', unit: 'req', type: 'sum',
        temporality: 'cumulative', monotonic: true, pointCount: 4, seriesCount: 3, lastTimeNs: at(3),
      },
    ]);
  });

  it('filters by service and honours the limit and the range', async () => {
    const orders = await store.listMetrics({ startNs: 0n, endNs: at(100), service: 'orders', limit: 10 });
    expect(orders.map((m) => m.name)).toEqual(['http.server.duration', 'http.server.requests']);
    expect((await store.listMetrics({ startNs: 0n, endNs: at(100), limit: 1 })).map((m) => m.service)).toEqual(['gateway']);
    const late = await store.listMetrics({ startNs: at(2), endNs: at(4), limit: 10 });
    expect(late).toMatchObject([{ name: 'http.server.requests', pointCount: 2, seriesCount: 2, lastTimeNs: at(3) }]);
    expect(await store.listMetrics({ startNs: 0n, endNs: at(100), service: 'nobody', limit: 10 })).toEqual([]);
  });
});

describe('metricPoints', () => {
  let store: DuckDbStore;
  const points = [
    makeMetricPoint({ timeNs: at(0), value: 0, attributes: { 'http.route': '/a', code: 200 } }),
    makeMetricPoint({ timeNs: at(1), value: 1, attributes: { 'http.route': '/b', code: 500 } }),
    makeMetricPoint({ timeNs: at(2), value: 2, attributes: { 'http.route': '/a', code: 200 }, containerId: CONTAINER }),
    makeMetricPoint({ timeNs: at(3), value: 3, attributes: { 'http.route': '/a', code: 200 }, service: 'gateway' }),
    makeMetricPoint({ timeNs: at(4), value: 4, attributes: { 'http.route': '/a', code: 200 } }),
    makeMetricPoint({ timeNs: at(4), value: 5, attributes: { 'http.route': '/b', code: 500 } }),
    makeHistogramPoint({ timeNs: at(2) }),
  ];
  beforeAll(async () => {
    store = await startedMemoryStore();
    // Written newest first: the order returned is the store's doing, not the writer's.
    expect(await store.writeMetricPoints([...points].reverse())).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await store.shutdown();
  });

  const values = async (query: Partial<Parameters<DuckDbStore['metricPoints']>[0]>) =>
    (await store.metricPoints({ ...ALL_TIME, name: 'http.server.requests', limit: 100, ...query })).map((p) => p.value);

  it('returns one metric in time order', async () => {
    expect(await values({})).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await values({ name: 'no.such.metric' })).toEqual([]);
  });

  it('filters by service, container, attributes (compared as text) and range [start, end)', async () => {
    expect(await values({ service: 'orders' })).toEqual([0, 1, 2, 4, 5]);
    expect(await values({ containerId: CONTAINER })).toEqual([2]);
    expect(await values({ attributes: { 'http.route': '/a' } })).toEqual([0, 2, 3, 4]);
    expect(await values({ attributes: { 'http.route': '/a', code: '200' }, service: 'orders' })).toEqual([0, 2, 4]);
    expect(await values({ attributes: { code: '500' } })).toEqual([1, 5]);
    expect(await values({ attributes: { missing: '' } })).toEqual([]);
    expect(await values({ startNs: at(1), endNs: at(4) })).toEqual([1, 2, 3]);
  });

  it('keeps the newest `limit` points, still in time order', async () => {
    expect(await values({ limit: 3 })).toEqual([3, 4, 5]);
    expect(await values({ limit: 1, attributes: { 'http.route': '/a' } })).toEqual([4]);
  });

  it('refuses a limit outside 1..100000 as a programmer error', async () => {
    await expect(values({ limit: 0 })).rejects.toThrow(/limit must be an integer/);
  });
});
