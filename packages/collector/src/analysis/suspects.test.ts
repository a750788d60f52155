import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApi } from '../api/test-support.js';
import type { ContainerSampleRow, SpanRow } from '../model/rows.js';
import type { DuckDbStore } from '../store/duckdb/DuckDbStore.js';
import {
  makeContainer, makeEvent, makeSample, makeSpan, spanIdOf, startedMemoryStore, traceIdOf,
} from '../store/duckdb/testing/fixtures.js';
import { createSuspectsFinder } from './suspects.js';
import { at } from './testing/rows.js';

/*
 * The whole analysis on a real (in-memory) store: orders (c1, 0.2 cores) serves a 530 ms
 * request at 2100..2630 ms while burner (c2) takes 1.9 of the host's 2 cores; samples every
 * second. At 7100..7630 ms the same request runs on a quiet host.
 */
const CONFIG = {
  suspectsSlowSpanMillis: 100,
  suspectsMinSpanMillis: 20,
  suspectsBaselineHours: 1,
  suspectsBaselineMinSpans: 20,
  statsIntervalMillis: 1000,
};
const BUSY = traceIdOf(1);
const QUIET = traceIdOf(2);

function samplesOf(containerId: string, cpu: (s: number) => number, throttledMs: (s: number) => number): ContainerSampleRow[] {
  return Array.from({ length: 10 }, (_, s) =>
    makeSample({ containerId, timeNs: at(s * 1000), cpuPercent: cpu(s), cpuThrottledMs: throttledMs(s), cpuThrottledPeriods: null }));
}

let next = 1;
function span(traceId: string, startMs: number, endMs: number, overrides: Partial<SpanRow> = {}): SpanRow {
  return makeSpan({ traceId, spanId: spanIdOf(next++), service: 'orders', startNs: at(startMs), endNs: at(endMs), containerId: 'c1', ...overrides });
}

describe('createSuspectsFinder', () => {
  let store: DuckDbStore;
  let server: SpanRow;
  let handler: SpanRow;
  beforeEach(async () => {
    store = await startedMemoryStore();
    server = span(BUSY, 2100, 2630, { name: 'GET /work' });
    handler = span(BUSY, 2110, 2620, { name: 'request handler - /work', parentSpanId: server.spanId });
    const spans = [
      server,
      handler,
      span(BUSY, 2111, 2115, { name: 'middleware', parentSpanId: server.spanId }),
      span(BUSY, 2000, 2700, { service: 'gateway', name: 'GET /', containerId: null }),
      span(QUIET, 7100, 7630, { name: 'GET /work' }),
    ];
    // orders is throttled for 420 ms and at its limit only in the second after 2000 ms.
    const orders = samplesOf('c1', (s) => (s === 3 ? 19.5 : 1), (s) => (s >= 3 ? 1420 : 1000));
    const burner = samplesOf('c2', (s) => (s < 5 ? 190 : 0), () => 0);
    expect((await store.writeSpans(spans)).ok).toBe(true);
    expect((await store.writeSamples([...orders, ...burner])).ok).toBe(true);
    expect((await store.upsertContainers([
      makeContainer({ id: 'c1', name: 'orders', cpuLimit: 0.2 }),
      makeContainer({ id: 'c2', name: 'burner', cpuLimit: null }),
    ])).ok).toBe(true);
    expect((await store.writeContainerEvents([makeEvent({ containerId: 'c1', timeNs: at(0), action: 'start' })])).ok).toBe(true);
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

  it('serves its suspects as JSON through GET /api/traces/:id/suspects', async () => {
    const api = await startApi(store, { suspects: createSuspectsFinder({ store, config: CONFIG, hostCpuCores: 2 }) });
    try {
      const res = await api.get(`/api/traces/${BUSY}/suspects`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { suspects: { kind: string; evidence: { window: unknown } }[] };
      expect(body.suspects.map((s) => s.kind)).toEqual(['cpu_throttled', 'cpu_at_limit', 'noisy_neighbour']);
      expect(body.suspects[0]?.evidence.window).toEqual({ startNs: at(2000).toString(), endNs: at(3000).toString() });
    } finally {
      await api.close();
    }
  });
});
