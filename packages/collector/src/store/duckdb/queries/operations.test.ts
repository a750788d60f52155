import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRow } from '../../../model/rows.js';
import type { DuckDbStore } from '../DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeSample, makeSpan, ms, rangeOf, spanIdOf, startedMemoryStore,
} from '../testing/fixtures.js';

let nextSpan = 1;
function span(overrides: Partial<SpanRow>): SpanRow {
  return makeSpan({ spanId: spanIdOf(nextSpan++), ...overrides });
}

/*
 * orders/GET /work: twenty spans lasting 1..20 ms; quantile_cont at (20 - 1) * 0.95 = 18.05
 * -> 19.05 ms. orders/db: one 7 ms span. gateway/GET /work: one 100 ms span, same name as
 * the orders operation but another service, so it must not leak into it.
 */
function dataset(): SpanRow[] {
  const rows: SpanRow[] = [];
  for (let i = 1; i <= 20; i++) {
    const startNs = T0_NS + ms(i * 1000);
    rows.push(span({ service: 'orders', name: 'GET /work', startNs, endNs: startNs + ms(i) }));
  }
  rows.push(span({ service: 'orders', name: 'db', startNs: T0_NS, endNs: T0_NS + ms(7) }));
  rows.push(span({ service: 'gateway', name: 'GET /work', startNs: T0_NS, endNs: T0_NS + ms(100) }));
  return rows;
}

describe('operationStats', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await startedMemoryStore();
    expect((await store.writeSpans(dataset())).ok).toBe(true);
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('gives count and p95 per exact (service, name) pair', async () => {
    const stats = await store.operationStats(
      [{ service: 'orders', name: 'GET /work' }, { service: 'orders', name: 'db' }, { service: 'orders', name: 'GET /work' }],
      ALL_TIME,
    );
    expect(stats.map((s) => [s.service, s.name, s.spanCount])).toEqual([
      ['orders', 'GET /work', 20],
      ['orders', 'db', 1],
    ]);
    expect(stats[0]?.p95Ms).toBeCloseTo(19.05, 9);
    expect(stats[1]?.p95Ms).toBeCloseTo(7, 9);
  });

  it('counts only spans that start in the range and leaves out unknown operations', async () => {
    const stats = await store.operationStats(
      [{ service: 'orders', name: 'GET /work' }, { service: 'nobody', name: 'x' }],
      rangeOf(T0_NS + ms(1000), T0_NS + ms(11_000)),
    );
    expect(stats).toEqual([{ service: 'orders', name: 'GET /work', spanCount: 10, p95Ms: expect.any(Number) }]);
  });

  it('answers an empty list for no keys', async () => {
    expect(await store.operationStats([], ALL_TIME)).toEqual([]);
  });
});

describe('samplesInRange', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await startedMemoryStore();
    const rows = ['c2', 'c1'].flatMap((containerId) =>
      [0, 1, 2, 3].map((i) => makeSample({ containerId, timeNs: T0_NS + ms(i * 1000), cpuPercent: i })),
    );
    expect((await store.writeSamples(rows)).ok).toBe(true);
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('returns every container in [start, end), by container then time', async () => {
    const rows = await store.samplesInRange(rangeOf(T0_NS + ms(1000), T0_NS + ms(3000)), 100);
    expect(rows.map((r) => [r.containerId, r.cpuPercent])).toEqual([['c1', 1], ['c1', 2], ['c2', 1], ['c2', 2]]);
  });

  it('stops at the limit and rejects a limit out of bounds', async () => {
    expect(await store.samplesInRange(ALL_TIME, 3)).toHaveLength(3);
    await expect(store.samplesInRange(ALL_TIME, 0)).rejects.toThrow(RangeError);
  });
});
