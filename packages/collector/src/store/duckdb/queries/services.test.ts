import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRow } from '../../../model/rows.js';
import type { DuckDbStore } from '../DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeSpan, ms, rangeOf, spanIdOf, startedMemoryStore, traceIdOf,
} from '../testing/fixtures.js';

let nextSpan = 1;
function span(overrides: Partial<SpanRow>): SpanRow {
  return makeSpan({ spanId: spanIdOf(nextSpan++), ...overrides });
}

/*
 * gateway: ten spans lasting 1..10 ms (the 10 ms one an error). quantile_cont interpolates
 * at (n - 1) * q: p50 at 4.5 -> 5.5 ms, p95 at 8.55 -> 9.55 ms, p99 at 8.91 -> 9.91 ms.
 * Each gateway span i has an orders child lasting 2 * i ms (i = 1..10) in the same trace,
 * which has an orders child of its own (same service: not an edge) and, for i <= 2, an
 * inventory child that failed.
 */
function dataset(): SpanRow[] {
  const rows: SpanRow[] = [];
  for (let i = 1; i <= 10; i++) {
    const traceId = traceIdOf(i);
    const startNs = T0_NS + ms(i * 1000);
    const root = span({ traceId, startNs, endNs: startNs + ms(i), statusCode: i === 10 ? 2 : 0 });
    const orders = span({ traceId, parentSpanId: root.spanId, service: 'orders', startNs, endNs: startNs + ms(2 * i) });
    const internal = span({ traceId, parentSpanId: orders.spanId, service: 'orders', name: 'db', startNs, endNs: startNs + 1n });
    rows.push(root, orders, internal);
    if (i <= 2) {
      rows.push(span({ traceId, parentSpanId: orders.spanId, service: 'inventory', startNs, endNs: startNs + ms(i), statusCode: 2 }));
    }
  }
  return rows;
}

describe('service queries', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await startedMemoryStore();
    expect((await store.writeSpans(dataset())).ok).toBe(true);
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('lists services with counts and hand-computed percentiles', async () => {
    const services = await store.listServices(ALL_TIME);
    expect(services.map((s) => s.name)).toEqual(['gateway', 'inventory', 'orders']);
    const [gateway, inventory] = services;
    expect(gateway).toMatchObject({ spanCount: 10, errorCount: 1 });
    expect(gateway?.p50Ms).toBeCloseTo(5.5, 9);
    expect(gateway?.p95Ms).toBeCloseTo(9.55, 9);
    expect(gateway?.p99Ms).toBeCloseTo(9.91, 9);
    // inventory: 1 ms and 2 ms -> p50 1.5, p95 1.95, p99 1.99
    expect(inventory).toMatchObject({ spanCount: 2, errorCount: 2 });
    expect(inventory?.p50Ms).toBeCloseTo(1.5, 9);
    expect(inventory?.p95Ms).toBeCloseTo(1.95, 9);
    expect(inventory?.p99Ms).toBeCloseTo(1.99, 9);
  });

  it('counts only spans starting in [start, end)', async () => {
    // Traces 3 and 4 only: gateway spans of 3 and 4 ms.
    const services = await store.listServices(rangeOf(T0_NS + ms(3000), T0_NS + ms(5000)));
    expect(services.map((s) => s.name)).toEqual(['gateway', 'orders']);
    expect(services[0]).toMatchObject({ spanCount: 2, errorCount: 0, p50Ms: 3.5 });
    expect(await store.listServices(rangeOf(0n, T0_NS))).toEqual([]);
  });

  it('builds edges between services from parent/child pairs', async () => {
    const map = await store.serviceMap(ALL_TIME);
    expect(map.nodes).toEqual(await store.listServices(ALL_TIME));
    expect(map.edges.map(({ from, to, calls, errors }) => ({ from, to, calls, errors }))).toEqual([
      { from: 'gateway', to: 'orders', calls: 10, errors: 0 },
      { from: 'orders', to: 'inventory', calls: 2, errors: 2 },
    ]);
    // orders children last 2, 4, ..., 20 ms: p95 at 8.55 -> 18 + 0.55 * 2 = 19.1 ms
    expect(map.edges[0]?.p95Ms).toBeCloseTo(19.1, 9);
    expect(map.edges[1]?.p95Ms).toBeCloseTo(1.95, 9);
  });

  it('is empty for a range without spans', async () => {
    const map = await store.serviceMap(rangeOf(0n, T0_NS));
    expect(map).toEqual({ nodes: [], edges: [] });
  });
});
