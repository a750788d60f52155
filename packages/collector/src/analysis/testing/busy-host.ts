import type { ContainerSampleRow, SpanRow } from '../../model/rows.js';
import type { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import { makeContainer, makeEvent, makeSample, makeSpan, spanIdOf, traceIdOf } from '../../store/duckdb/testing/fixtures.js';
import { at } from './rows.js';

/*
 * A busy host for the suspects tests (analysis/ and the API's): orders (c1, 0.2 cores)
 * serves a 530 ms request at 2100..2630 ms while burner (c2) takes 1.9 of the host's 2
 * cores; samples every second. At 7100..7630 ms the same request runs on a quiet host.
 */
export const BUSY_HOST_CONFIG = {
  suspectsSlowSpanMillis: 100,
  suspectsMinSpanMillis: 20,
  suspectsBaselineHours: 1,
  suspectsBaselineMinSpans: 20,
  statsIntervalMillis: 1000,
};
export const BUSY = traceIdOf(1);
export const QUIET = traceIdOf(2);

function samplesOf(containerId: string, cpu: (s: number) => number, throttledMs: (s: number) => number): ContainerSampleRow[] {
  return Array.from({ length: 10 }, (_, s) =>
    makeSample({ containerId, timeNs: at(s * 1000), cpuPercent: cpu(s), cpuThrottledMs: throttledMs(s), cpuThrottledPeriods: null }));
}

let next = 1;
export function busySpan(traceId: string, startMs: number, endMs: number, overrides: Partial<SpanRow> = {}): SpanRow {
  return makeSpan({ traceId, spanId: spanIdOf(next++), service: 'orders', startNs: at(startMs), endNs: at(endMs), containerId: 'c1', ...overrides });
}

/** Writes the busy host into `store`; returns the busy trace's server and handler spans. */
export async function seedBusyHost(store: DuckDbStore): Promise<{ server: SpanRow; handler: SpanRow }> {
  const server = busySpan(BUSY, 2100, 2630, { name: 'GET /work' });
  const handler = busySpan(BUSY, 2110, 2620, { name: 'request handler - /work', parentSpanId: server.spanId });
  const spans = [
    server,
    handler,
    busySpan(BUSY, 2111, 2115, { name: 'middleware', parentSpanId: server.spanId }),
    busySpan(BUSY, 2000, 2700, { service: 'gateway', name: 'GET /', containerId: null }),
    busySpan(QUIET, 7100, 7630, { name: 'GET /work' }),
  ];
  // orders is throttled for 420 ms and at its limit only in the second after 2000 ms.
  const orders = samplesOf('c1', (s) => (s === 3 ? 19.5 : 1), (s) => (s >= 3 ? 1420 : 1000));
  const burner = samplesOf('c2', (s) => (s < 5 ? 190 : 0), () => 0);
  const results = [
    await store.writeSpans(spans),
    await store.writeSamples([...orders, ...burner]),
    await store.upsertContainers([makeContainer({ id: 'c1', name: 'orders', cpuLimit: 0.2 }), makeContainer({ id: 'c2', name: 'burner', cpuLimit: null })]),
    await store.writeContainerEvents([makeEvent({ containerId: 'c1', timeNs: at(0), action: 'start' })]),
  ];
  const failed = results.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok) throw failed.error;
  return { server, handler };
}
