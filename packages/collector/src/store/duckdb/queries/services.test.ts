import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRow } from '../../../model/rows.js';
import { appendSpans } from '../append.js';
import { Database } from '../database.js';
import type { DuckDbStore } from '../DuckDbStore.js';
import { MINUTE_NS, minuteOf } from '../span-minutes.js';
import { serviceEdges } from './service-map.js';
import { listServices } from './services.js';
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

/*
 * Issue 16: in a range of more than EXACT_PERCENTILES_MAX_SPANS spans, a small service's
 * percentiles once collapsed to its lowest bucket (p50 = p95 = p99 = 0.3186 ms for spans of
 * 0.31 and 56.73 ms). With a 300k-span neighbour: the small service is exact, the big one
 * within a bucket's ±2.2% of exact, interpolated as quantile_cont.
 */
describe('service percentiles beside a 300k-span neighbour', () => {
  let db: Database;
  const start = minuteOf(T0_NS);
  const hour = rangeOf(start, start + 60n * MINUTE_NS);
  beforeAll(async () => {
    db = await Database.open(':memory:');
    const batch: SpanRow[] = [];
    for (let i = 0; i < 300_000; i += 1) {
      const startNs = start + BigInt(i) * 10_000_000n; // 50 minutes of spans, 0.1 ms to 100 ms
      const durationNs = BigInt(Math.round(1e5 * Math.pow(10, (3 * ((i * 7919) % 1000)) / 1000)));
      batch.push(makeSpan({ traceId: traceIdOf(1_000_000 + i), spanId: spanIdOf(1), service: 'bulk', startNs, endNs: startNs + durationNs }));
      if (batch.length === 10_000) {
        const rows = batch.splice(0);
        await db.write((conn) => appendSpans(conn, rows));
      }
    }
    const tiny = [56_730_000n, 310_000n].map((d, i) => {
      const startNs = start + BigInt(i + 1) * MINUTE_NS;
      return makeSpan({ traceId: traceIdOf(9_000_000 + i), spanId: spanIdOf(1), service: 'tiny', startNs, endNs: startNs + d });
    });
    await db.write((conn) => appendSpans(conn, tiny));
  }, 120_000);
  afterAll(async () => {
    await db.close();
  });

  it('gives the small service its exact interpolated percentiles, the big one within 2.2%', async () => {
    const services = await db.read((conn) => listServices(conn, hour));
    expect(services.map((s) => [s.name, s.spanCount])).toEqual([['bulk', 300_000], ['tiny', 2]]);
    const tiny = services[1];
    expect(tiny?.p50Ms).toBeCloseTo((0.31 + 56.73) / 2, 9);
    expect(tiny?.p95Ms).toBeCloseTo(0.31 + 0.95 * (56.73 - 0.31), 9);
    expect(tiny?.p99Ms).toBeCloseTo(0.31 + 0.99 * (56.73 - 0.31), 9);
    // The big one from histograms, against its exact percentiles (no span limit).
    const exact = await db.read((conn) => listServices(conn, hour, Number.MAX_SAFE_INTEGER));
    for (const key of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
      expect(Math.abs((services[0]?.[key] ?? 0) / (exact[0]?.[key] ?? 1) - 1), key).toBeLessThan(0.022);
    }
  });
});

describe('edge p95 from histograms', () => {
  it('is interpolated between the two calls around it, not the lower one (issue 16)', async () => {
    const db = await Database.open(':memory:');
    try {
      const start = minuteOf(T0_NS) + MINUTE_NS;
      const rows = [56_730_000n, 310_000n].flatMap((d, i) => {
        const traceId = traceIdOf(500 + i);
        const parent = makeSpan({ traceId, spanId: spanIdOf(1), service: 'gateway', startNs: start, endNs: start + ms(100) });
        return [parent, makeSpan({ traceId, spanId: spanIdOf(2), parentSpanId: parent.spanId, service: 'orders', startNs: start, endNs: start + d })];
      });
      await db.write((conn) => appendSpans(conn, rows));
      const range = rangeOf(start, start + MINUTE_NS);
      // exactMaxSpans 0: the histogram path, as a range of many spans takes.
      const [fromHistograms] = await db.read((conn) => serviceEdges(conn, range, 0));
      const [exact] = await db.read((conn) => serviceEdges(conn, range));
      expect(exact?.p95Ms).toBeCloseTo(0.31 + 0.95 * (56.73 - 0.31), 9);
      expect(Math.abs((fromHistograms?.p95Ms ?? 0) / (exact?.p95Ms ?? 1) - 1)).toBeLessThan(0.022);
    } finally {
      await db.close();
    }
  });
});
