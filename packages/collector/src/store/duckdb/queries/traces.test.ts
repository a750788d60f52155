import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceQuery } from '../../Store.js';
import type { DuckDbStore } from '../DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeSpan, ms, spanIdOf, startedMemoryStore, traceIdOf,
} from '../testing/fixtures.js';

/*
 * A: gateway GET /orders (0-100ms) -> orders (10-60ms) -> inventory (20-40ms, error)
 * B: gateway POST /orders (1000-1020ms) -> orders (1005-1015ms)
 * C: partial, starts at 2000ms: orders whose parent never arrived -> inventory
 * D: a parent cycle at 3000ms: no span qualifies as root, the earliest stands in
 */
const A = traceIdOf(0xa);
const B = traceIdOf(0xb);
const C = traceIdOf(0xc);
const D = traceIdOf(0xd);
const at = (startMs: number, endMs: number) => ({ startNs: T0_NS + ms(startMs), endNs: T0_NS + ms(endMs) });

const SPANS = [
  makeSpan({ traceId: A, spanId: spanIdOf(1), ...at(0, 100), attributes: { 'http.method': 'GET' } }),
  makeSpan({ traceId: A, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), service: 'orders', name: 'list', ...at(10, 60) }),
  makeSpan({
    traceId: A, spanId: spanIdOf(3), parentSpanId: spanIdOf(2), service: 'inventory', name: 'reserve',
    ...at(20, 40), statusCode: 2, attributes: { 'http.status_code': 500, 'db.system': 'postgres' },
  }),
  makeSpan({ traceId: B, spanId: spanIdOf(4), name: 'POST /orders', ...at(1000, 1020), attributes: { 'http.method': 'POST' } }),
  makeSpan({ traceId: B, spanId: spanIdOf(5), parentSpanId: spanIdOf(4), service: 'orders', name: 'create', ...at(1005, 1015), statusCode: 1 }),
  makeSpan({ traceId: C, spanId: spanIdOf(7), parentSpanId: spanIdOf(6), service: 'orders', name: 'consume', ...at(2000, 2050) }),
  makeSpan({ traceId: C, spanId: spanIdOf(8), parentSpanId: spanIdOf(7), service: 'inventory', name: 'reserve', ...at(1990, 2010) }),
  makeSpan({ traceId: D, spanId: spanIdOf(10), parentSpanId: spanIdOf(9), service: 'orders', name: 'late', ...at(3005, 3006) }),
  makeSpan({ traceId: D, spanId: spanIdOf(9), parentSpanId: spanIdOf(10), service: 'users', name: 'early', ...at(3000, 3010) }),
];

describe('trace queries', () => {
  let store: DuckDbStore;
  const search = async (query: Partial<TraceQuery>) =>
    (await store.searchTraces({ ...ALL_TIME, limit: 20, ...query })).map((t) => t.traceId);

  beforeAll(async () => {
    store = await startedMemoryStore();
    // Shuffled across two batches: order of arrival must not matter.
    expect((await store.writeSpans(SPANS.slice(4))).ok).toBe(true);
    expect((await store.writeSpans(SPANS.slice(0, 4))).ok).toBe(true);
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('getTraceSpans returns every span by start time, and nothing for an unknown id', async () => {
    expect((await store.getTraceSpans(C)).map((s) => s.spanId)).toEqual([spanIdOf(8), spanIdOf(7)]);
    expect(await store.getTraceSpans(A)).toEqual(SPANS.slice(0, 3));
    expect(await store.getTraceSpans(traceIdOf(0xfff))).toEqual([]);
  });

  it('summarizes a trace: root, start, duration, counts, sorted distinct services', async () => {
    const [summary] = await store.searchTraces({ ...ALL_TIME, limit: 20, service: 'inventory', status: 'error' });
    expect(summary).toEqual({
      traceId: A, rootService: 'gateway', rootName: 'GET /orders', startNs: T0_NS, durationNs: ms(100),
      spanCount: 3, errorCount: 1, services: ['gateway', 'inventory', 'orders'],
    });
  });

  it('lists newest first and honours the limit', async () => {
    expect(await search({})).toEqual([D, C, B, A]);
    expect(await search({ limit: 2 })).toEqual([D, C]);
  });

  it('takes a span whose parent is absent as root, else falls back to the earliest span', async () => {
    const all = await store.searchTraces({ ...ALL_TIME, limit: 20 });
    const byId = new Map(all.map((t) => [t.traceId, t]));
    // C: the consumer's parent is missing; its earlier child is not a root.
    expect(byId.get(C)).toMatchObject({ rootService: 'orders', rootName: 'consume', startNs: T0_NS + ms(1990), durationNs: ms(60) });
    expect(byId.get(D)).toMatchObject({ rootService: 'users', rootName: 'early' });
  });

  it('filters by service and operation on the same span', async () => {
    expect(await search({ service: 'inventory' })).toEqual([C, A]);
    expect(await search({ service: 'nowhere' })).toEqual([]);
    expect(await search({ operation: 'create' })).toEqual([B]);
    expect(await search({ service: 'orders', operation: 'reserve' })).toEqual([]);
  });

  it('filters by trace duration, inclusive at both ends', async () => {
    expect(await search({ minDurationNs: ms(60) })).toEqual([C, A]);
    expect(await search({ maxDurationNs: ms(20) })).toEqual([D, B]);
    expect(await search({ minDurationNs: ms(20), maxDurationNs: ms(60) })).toEqual([C, B]);
    expect(await search({ minDurationNs: ms(101) })).toEqual([]);
  });

  it('filters by status', async () => {
    expect(await search({ status: 'error' })).toEqual([A]);
    expect(await search({ status: 'ok' })).toEqual([D, C, B]);
  });

  it('filters by span attributes, all on one span, numbers matched by their text', async () => {
    expect(await search({ attributes: { 'http.method': 'GET' } })).toEqual([A]);
    expect(await search({ attributes: { 'http.status_code': '500' } })).toEqual([A]);
    expect(await search({ attributes: { 'http.status_code': '500', 'db.system': 'postgres' } })).toEqual([A]);
    expect(await search({ attributes: { 'http.method': 'GET', 'http.status_code': '500' } })).toEqual([]);
    expect(await search({ attributes: { 'http.method': 'DELETE' } })).toEqual([]);
  });

  it('keeps traces with a matching span starting in [start, end)', async () => {
    expect(await search({ startNs: T0_NS + ms(1000), endNs: T0_NS + ms(2000) })).toEqual([C, B]);
    expect(await search({ startNs: T0_NS + ms(1001), endNs: T0_NS + ms(1990) })).toEqual([B]);
    expect(await search({ startNs: T0_NS + ms(5000), endNs: T0_NS + ms(6000) })).toEqual([]);
    // A trace found through one span is still summed over all of its spans.
    const [c] = await store.searchTraces({ startNs: T0_NS + ms(2000), endNs: T0_NS + ms(2001), limit: 5 });
    expect(c).toMatchObject({ traceId: C, spanCount: 2, startNs: T0_NS + ms(1990) });
  });

  it('rejects a limit outside 1..100000 as a programmer error', async () => {
    await expect(store.searchTraces({ ...ALL_TIME, limit: 0 })).rejects.toThrow(RangeError);
  });
});

describe('getTraceSpans over copies of a span', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await startedMemoryStore();
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('getTraceSpans answers each span once, the copy that ended last, whatever the batches', async () => {
    const E = traceIdOf(0xe);
    const first = makeSpan({ traceId: E, spanId: spanIdOf(20), ...at(4000, 4010) });
    const resent = { ...first, endNs: first.endNs + ms(5) };
    const child = makeSpan({ traceId: E, spanId: spanIdOf(21), parentSpanId: spanIdOf(20), ...at(4001, 4002) });
    // The write queue drops copies it remembers; the store keeps what it is given.
    for (const batch of [[first, child], [resent], [child, first]]) expect((await store.writeSpans(batch)).ok).toBe(true);
    expect(await store.getTraceSpans(E)).toEqual([resent, child]);
  });
});
