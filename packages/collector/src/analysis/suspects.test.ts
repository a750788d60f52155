import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpanRow } from '../model/rows.js';
import type { DuckDbStore } from '../store/duckdb/DuckDbStore.js';
import { startedMemoryStore, traceIdOf } from '../store/duckdb/testing/fixtures.js';
import { createSuspectsFinder } from './suspects.js';
import { BUSY, BUSY_HOST_CONFIG, QUIET, busySpan, seedBusyHost } from './testing/busy-host.js';

/* The whole analysis on a real (in-memory) store, on the busy host of testing/busy-host.ts. */
const CONFIG = BUSY_HOST_CONFIG;
const span = busySpan;

describe('createSuspectsFinder', () => {
  let store: DuckDbStore;
  let server: SpanRow;
  let handler: SpanRow;
  beforeEach(async () => {
    store = await startedMemoryStore();
    ({ server, handler } = await seedBusyHost(store));
  });
  afterEach(async () => {
    await store.shutdown();
  });

  it('names throttling, the limit and the neighbour once, on the outermost slow span of the container', async () => {
    const suspects = await createSuspectsFinder({ store, config: CONFIG, hostCpuCores: 2 })(BUSY);
    expect(suspects.map((s) => [s.spanId, s.containerId, s.kind])).toEqual([
      [server.spanId, 'c1', 'cpu_throttled'],
      [server.spanId, 'c1', 'cpu_at_limit'],
      [server.spanId, 'c1', 'noisy_neighbour'],
    ]);
    const [throttled] = suspects;
    expect(throttled?.message).toBe('orders was CPU-throttled for 420 ms in the 1000 ms around this 530 ms span (cpu limit 0.2 cores)');
    expect(throttled?.evidence).toMatchObject({
      throttledMs: 420,
      samples: [1_700_000_002_000, 1_700_000_003_000],
      span: { durationMs: 530, checkedBecause: 'slower_than_threshold', thresholdMs: 100 },
    });
    expect(suspects[2]?.evidence).toMatchObject({ neighbour: { name: 'burner', cpuPercent: 190 } });
  });

  it('names nothing for the same request on a quiet host', async () => {
    expect(await createSuspectsFinder({ store, config: CONFIG, hostCpuCores: 2 })(QUIET)).toEqual([]);
  });

  it('names nothing when the span is within its operation\'s usual p95', async () => {
    const usual = Array.from({ length: 20 }, (_, i) => span(traceIdOf(100 + i), -60_000 + i * 1000, -60_000 + i * 1000 + 900, { name: 'GET /work', containerId: null }));
    const handlers = Array.from({ length: 20 }, (_, i) => span(traceIdOf(100 + i), -60_000 + i * 1000, -60_000 + i * 1000 + 900, { name: 'request handler - /work', containerId: null }));
    expect((await store.writeSpans([...usual, ...handlers])).ok).toBe(true);
    expect(await createSuspectsFinder({ store, config: CONFIG, hostCpuCores: 2 })(BUSY)).toEqual([]);
  });

  it('skips the neighbour check when host capacity is unknown, and answers [] for unknown traces', async () => {
    const finder = createSuspectsFinder({ store, config: CONFIG, hostCpuCores: null });
    expect((await finder(BUSY)).map((s) => s.kind)).toEqual(['cpu_throttled', 'cpu_at_limit']);
    expect(await finder(traceIdOf(99))).toEqual([]);
  });

});
