import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { SpanRow } from '../../model/rows.js';
import { DuckDbStore } from './DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeContainer, makeEvent, makeLog, makeMetricPoint, makeSample, makeSpan, makeTempDir, ms,
  spanIdOf, startedMemoryStore, traceIdOf,
} from './testing/fixtures.js';
import type { TempDir } from './testing/fixtures.js';

const NO_SIZE_CAP = Number.MAX_SAFE_INTEGER;
const at = (n: number) => T0_NS + ms(n);
const tenTimes = <T>(make: (i: number) => T): T[] => Array.from({ length: 10 }, (_, i) => make(i));

describe('retention by age', () => {
  it('removes rows older than now - maxAge from every table, and stale containers', async () => {
    const store = await startedMemoryStore();
    await store.writeSpans(tenTimes((i) => makeSpan({ spanId: spanIdOf(i + 1), startNs: at(i), endNs: at(i + 1) })));
    await store.writeLogs(tenTimes((i) => makeLog({ timeNs: at(i), body: `log ${i}` })));
    await store.writeSamples(tenTimes((i) => makeSample({ timeNs: at(i) })));
    await store.writeContainerEvents(tenTimes((i) => makeEvent({ timeNs: at(i) })));
    await store.writeMetricPoints(tenTimes((i) => makeMetricPoint({ timeNs: at(i), value: i })));
    await store.upsertContainers([
      makeContainer({ id: 'stale', updatedAtNs: at(4) }),
      makeContainer({ id: 'fresh', updatedAtNs: at(5) }),
    ]);

    const result = await store.applyRetention({ nowNs: at(10), maxAgeNs: ms(5), maxBytes: NO_SIZE_CAP });
    expect(result).toMatchObject({
      spansRemoved: 5, logsRemoved: 5, samplesRemoved: 5, eventsRemoved: 5, containersRemoved: 1, metricPointsRemoved: 5,
    });
    expect(result.sizeBytesAfter).toBeGreaterThan(0);
    expect((await store.getTraceSpans(traceIdOf(1))).map((s) => s.startNs)).toEqual(tenTimes((i) => at(i)).slice(5));
    expect(await store.searchLogs({ ...ALL_TIME, limit: 20 })).toHaveLength(5);
    expect((await store.containerSamples({ host: '', id: 'c1' }, ALL_TIME))[0]?.timeNs).toBe(at(5));
    expect((await store.containerEvents({ host: '', id: 'c1' }, ALL_TIME))[0]?.timeNs).toBe(at(5));
    expect((await store.getContainers([{ host: '', id: 'stale' }, { host: '', id: 'fresh' }])).map((c) => c.id)).toEqual(['fresh']);
    const points = await store.metricPoints({ ...ALL_TIME, name: 'http.server.requests', limit: 20 });
    expect(points.map((p) => p.value)).toEqual([5, 6, 7, 8, 9]);

    const again = await store.applyRetention({ nowNs: at(10), maxAgeNs: ms(5), maxBytes: NO_SIZE_CAP });
    expect(again).toMatchObject({ spansRemoved: 0, logsRemoved: 0, containersRemoved: 0, metricPointsRemoved: 0 });
    await store.shutdown();
  });
});

describe('retention by size cap (file store)', () => {
  let dir: TempDir;
  let store: DuckDbStore;
  // DuckDB frees space a whole row group (122,880 rows) at a time, so the cap can only be
  // met with a few row groups to drop: 400k spans make four.
  const SPAN_COUNT = 400_000;
  const BATCH = 10_000;

  function batch(first: number): SpanRow[] {
    return Array.from({ length: BATCH }, (_, k) => {
      const i = first + k;
      return makeSpan({
        traceId: traceIdOf(i * 7919), spanId: spanIdOf(i + 1), startNs: at(i), endNs: at(i) + BigInt(i % 977),
        attributes: { 'http.route': `/orders/${i % 101}`, 'request.id': `${i * 2654435761}` },
      });
    });
  }

  beforeAll(async () => {
    dir = await makeTempDir();
    store = new DuckDbStore({ path: join(dir.path, 'tracedock.duckdb') });
    await store.start();
    for (let first = 0; first < SPAN_COUNT; first += BATCH) {
      expect((await store.writeSpans(batch(first))).ok).toBe(true);
    }
    await store.writeLogs(tenTimes((i) => makeLog({ timeNs: at(i * 20_000) })));
    await store.writeMetricPoints(tenTimes((i) => makeMetricPoint({ timeNs: at(i * 40_000), value: i })));
  });
  afterAll(async () => {
    await store.shutdown();
    await dir.remove();
  });

  it('removes the oldest rows until the store fits, and reports the size after', async () => {
    // A first pass with no cap checkpoints, so the size measured is data, not raw WAL.
    const settled = await store.applyRetention({ nowNs: at(SPAN_COUNT), maxAgeNs: ms(10 * SPAN_COUNT), maxBytes: NO_SIZE_CAP });
    expect(settled).toMatchObject({ spansRemoved: 0, logsRemoved: 0 });
    const before = await store.stats();
    expect(before.sizeBytes).toBe(settled.sizeBytesAfter);
    const maxBytes = Math.floor(before.sizeBytes * 0.7);
    const result = await store.applyRetention({ nowNs: at(SPAN_COUNT), maxAgeNs: ms(10 * SPAN_COUNT), maxBytes });

    expect(result.spansRemoved).toBeGreaterThan(0);
    expect(result.spansRemoved).toBeLessThan(SPAN_COUNT);
    expect(result.sizeBytesAfter).toBeLessThanOrEqual(maxBytes);
    const after = await store.stats();
    expect(after.spans).toBe(SPAN_COUNT - result.spansRemoved);
    expect(after.logs).toBe(10 - result.logsRemoved);
    // Metric points share the one cut: those older than the oldest span left are gone.
    expect(result.metricPointsRemoved).toBeGreaterThan(0);
    const points = await store.metricPoints({ ...ALL_TIME, name: 'http.server.requests', limit: 20 });
    expect(points).toHaveLength(10 - result.metricPointsRemoved);
    expect(points[0]?.timeNs).toBeGreaterThanOrEqual(at(result.spansRemoved));
    expect(after.sizeBytes).toBeLessThanOrEqual(maxBytes);
    // What is left is the newest: the oldest remaining span follows every removed one.
    const newest = await store.searchTraces({ ...ALL_TIME, limit: 1 });
    expect(newest[0]?.startNs).toBe(at(SPAN_COUNT - 1));
    const oldestLeft = await store.searchTraces({ startNs: 0n, endNs: at(result.spansRemoved), limit: 1 });
    expect(oldestLeft).toEqual([]);
  });

  it('empties the tables when nothing fits', async () => {
    const result = await store.applyRetention({ nowNs: at(SPAN_COUNT), maxAgeNs: ms(10 * SPAN_COUNT), maxBytes: 0 });
    expect(result.spansRemoved).toBeGreaterThan(0);
    expect(await store.stats()).toMatchObject({ spans: 0, logs: 0 });
    expect(await store.metricPoints({ ...ALL_TIME, name: 'http.server.requests', limit: 20 })).toEqual([]);
  });
});
