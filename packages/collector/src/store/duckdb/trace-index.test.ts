import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbStore } from './DuckDbStore.js';
import { traceKey, traceRanges } from './trace-index.js';
import { ALL_TIME, T0_NS, makeSpan, ms, spanIdOf, startedMemoryStore, traceIdOf } from './testing/fixtures.js';

const HOUR_NS = 3_600_000_000_000n;

describe('traceKey and traceRanges', () => {
  it('keys a trace id by its last 8 bytes, and only 32 lowercase hex digits', () => {
    expect(traceKey('0123456789abcdef' + 'ffffffffffffffff')).toBe(2n ** 64n - 1n);
    expect(traceKey(traceIdOf(5))).toBe(5n);
    expect(traceKey('ABCDEF0123456789ABCDEF0123456789')).toBeNull();
    expect(traceKey('abc')).toBeNull();
  });

  it('gives each trace of a batch its earliest and latest span start', () => {
    const rows = [
      makeSpan({ traceId: traceIdOf(1), spanId: spanIdOf(1), startNs: T0_NS + 5n }),
      makeSpan({ traceId: traceIdOf(2), spanId: spanIdOf(2), startNs: T0_NS }),
      makeSpan({ traceId: traceIdOf(1), spanId: spanIdOf(3), startNs: T0_NS + 1n }),
      makeSpan({ traceId: traceIdOf(1), spanId: spanIdOf(4), startNs: T0_NS + 9n }),
      makeSpan({ traceId: 'not-hex', spanId: spanIdOf(5) }),
    ];
    expect(traceRanges(rows)).toEqual([
      { key: 1n, minStartNs: T0_NS + 1n, maxStartNs: T0_NS + 9n },
      { key: 2n, minStartNs: T0_NS, maxStartNs: T0_NS },
    ]);
  });
});

describe('lookups by trace id through span_traces', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await startedMemoryStore();
  });
  afterEach(async () => {
    await store.shutdown();
  });

  it('finds every span of a trace written in several batches hours apart', async () => {
    const trace = traceIdOf(0xfeed);
    const early = makeSpan({ traceId: trace, spanId: spanIdOf(1), startNs: T0_NS, endNs: T0_NS + ms(1) });
    const late = makeSpan({ traceId: trace, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), startNs: T0_NS + 2n * HOUR_NS, endNs: T0_NS + 2n * HOUR_NS + 1n });
    const other = makeSpan({ traceId: traceIdOf(0xbeef), spanId: spanIdOf(3), startNs: T0_NS + HOUR_NS });
    expect(await store.writeSpans([late])).toEqual({ ok: true, written: 1 });
    expect(await store.writeSpans([other])).toEqual({ ok: true, written: 1 });
    expect(await store.writeSpans([early])).toEqual({ ok: true, written: 1 });
    expect(await store.getTraceSpans(trace)).toEqual([early, late]);
    expect(await store.getTraceSpans(traceIdOf(0xdead))).toEqual([]);
  });

  it('keeps apart two traces whose ids share their last 8 bytes', async () => {
    const a = makeSpan({ traceId: `${'1'.repeat(16)}${'a'.repeat(16)}`, spanId: spanIdOf(1), startNs: T0_NS });
    const b = makeSpan({ traceId: `${'2'.repeat(16)}${'a'.repeat(16)}`, spanId: spanIdOf(2), startNs: T0_NS + HOUR_NS });
    await store.writeSpans([a, b]);
    expect(await store.getTraceSpans(a.traceId)).toEqual([a]);
    expect(await store.getTraceSpans(b.traceId)).toEqual([b]);
  });

  it('still finds a span whose id is not hex (written without validation) by a full scan', async () => {
    const odd = makeSpan({ traceId: 'Trace-1', spanId: spanIdOf(1) });
    await store.writeSpans([odd]);
    expect(await store.getTraceSpans('Trace-1')).toEqual([odd]);
    expect(await store.searchTraces({ ...ALL_TIME, limit: 5 })).toMatchObject([{ traceId: 'Trace-1', spanCount: 1 }]);
  });

  it('retention removes the rows of span_traces with their spans', async () => {
    const old = makeSpan({ traceId: traceIdOf(1), spanId: spanIdOf(1), startNs: T0_NS });
    const kept = makeSpan({ traceId: traceIdOf(2), spanId: spanIdOf(2), startNs: T0_NS + 2n * HOUR_NS });
    await store.writeSpans([old, kept]);
    const result = await store.applyRetention({ maxAgeNs: HOUR_NS, nowNs: T0_NS + 2n * HOUR_NS, maxBytes: 2 ** 40 });
    expect(result.spansRemoved).toBe(1);
    expect(await store.getTraceSpans(old.traceId)).toEqual([]);
    expect(await store.getTraceSpans(kept.traceId)).toEqual([kept]);
  });
});

describe('attribute filters', () => {
  it('match keys that JSON escapes, and values of any type as text', async () => {
    const store = await startedMemoryStore();
    const odd = makeSpan({ traceId: traceIdOf(1), spanId: spanIdOf(1), attributes: { 'a"b\\c/d': 'x', code: 500, ok: true } });
    const other = makeSpan({ traceId: traceIdOf(2), spanId: spanIdOf(2), attributes: { note: '"a\\"b\\\\c/d": x', code: 200 } });
    await store.writeSpans([odd, other]);
    const ids = async (attributes: Record<string, string>) =>
      (await store.searchTraces({ ...ALL_TIME, attributes, limit: 5 })).map((t) => t.traceId);
    expect(await ids({ 'a"b\\c/d': 'x' })).toEqual([traceIdOf(1)]);
    expect(await ids({ code: '500' })).toEqual([traceIdOf(1)]);
    expect(await ids({ ok: 'true' })).toEqual([traceIdOf(1)]);
    expect(await ids({ code: '200' })).toEqual([traceIdOf(2)]);
    await store.shutdown();
  });
});

describe('trace search over slices of the range', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await startedMemoryStore();
  });
  afterEach(async () => {
    await store.shutdown();
  });

  it('answers as a search of the whole range would: newest traces first, whole-trace totals', async () => {
    // 300 traces one minute apart; each has a root and a child that starts 90 minutes later
    // (so a trace's totals reach far outside the slice where it matched); every 7th fails.
    const rows = [];
    for (let n = 0; n < 300; n++) {
      const startNs = T0_NS + BigInt(n) * 60_000_000_000n;
      rows.push(
        makeSpan({ traceId: traceIdOf(n + 1), spanId: spanIdOf(1), service: 'gateway', startNs, endNs: startNs + ms(1) }),
        makeSpan({
          traceId: traceIdOf(n + 1), spanId: spanIdOf(2), parentSpanId: spanIdOf(1), service: 'orders',
          startNs: startNs + 90n * 60_000_000_000n, endNs: startNs + 90n * 60_000_000_000n + ms(2), statusCode: n % 7 === 0 ? 2 : 0,
        }),
      );
    }
    for (let i = 0; i < rows.length; i += 50) await store.writeSpans(rows.slice(i, i + 50));
    const range = { startNs: T0_NS, endNs: T0_NS + 400n * 60_000_000_000n };

    const newest = await store.searchTraces({ ...range, service: 'gateway', limit: 3 });
    expect(newest.map((t) => t.traceId)).toEqual([traceIdOf(300), traceIdOf(299), traceIdOf(298)]);
    expect(newest[0]).toMatchObject({ spanCount: 2, durationNs: 90n * 60_000_000_000n + ms(2), rootService: 'gateway', services: ['gateway', 'orders'] });

    // Matched by the child only: the trace starts 90 minutes before its matching span.
    const byChild = await store.searchTraces({ ...range, service: 'orders', status: 'error', limit: 2 });
    expect(byChild.map((t) => t.traceId)).toEqual([traceIdOf(295), traceIdOf(288)]);
    expect(byChild[0]).toMatchObject({ errorCount: 1, startNs: T0_NS + 294n * 60_000_000_000n });

    // Rare matches: the search widens to the whole range.
    const rare = await store.searchTraces({ ...range, service: 'gateway', maxDurationNs: 90n * 60_000_000_000n + ms(2), limit: 500 });
    expect(rare).toHaveLength(300);
  });
});
