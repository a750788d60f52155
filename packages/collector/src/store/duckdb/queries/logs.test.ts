import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogQuery } from '../../Store.js';
import type { DuckDbStore } from '../DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeLog, ms, spanIdOf, startedMemoryStore, traceIdOf,
} from '../testing/fixtures.js';

const LOGS = [
  makeLog({ timeNs: T0_NS + ms(1), body: 'Upstream TIMEOUT after 30s', severityNumber: 17, traceId: traceIdOf(1), spanId: spanIdOf(1), containerId: 'c1' }),
  makeLog({ timeNs: T0_NS + ms(2), body: 'cache hit 100%', service: 'inventory', severityNumber: 5, containerId: 'c2' }),
  makeLog({ timeNs: T0_NS + ms(3), body: 'order_id=7 stored', severityNumber: 9, traceId: traceIdOf(1), spanId: spanIdOf(2) }),
  makeLog({ timeNs: T0_NS + ms(4), body: 'ünïcödé GRÜSSE', severityNumber: 13, source: 'stdout' }),
];

describe('searchLogs', () => {
  let store: DuckDbStore;
  const bodies = async (query: Partial<LogQuery>) =>
    (await store.searchLogs({ ...ALL_TIME, limit: 50, ...query })).map((l) => l.body);

  beforeAll(async () => {
    store = await startedMemoryStore();
    expect((await store.writeLogs(LOGS)).ok).toBe(true);
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('returns newest first, up to the limit', async () => {
    expect(await bodies({})).toEqual(LOGS.map((l) => l.body).reverse());
    expect(await bodies({ limit: 1 })).toEqual(['ünïcödé GRÜSSE']);
  });

  it('filters by service, trace, span and container', async () => {
    expect(await bodies({ service: 'inventory' })).toEqual(['cache hit 100%']);
    expect(await bodies({ service: 'nowhere' })).toEqual([]);
    expect(await bodies({ traceId: traceIdOf(1) })).toEqual(['order_id=7 stored', 'Upstream TIMEOUT after 30s']);
    expect(await bodies({ traceId: traceIdOf(1), spanId: spanIdOf(1) })).toEqual(['Upstream TIMEOUT after 30s']);
    expect(await bodies({ spanId: spanIdOf(9) })).toEqual([]);
    expect(await bodies({ containerId: 'c2' })).toEqual(['cache hit 100%']);
    expect(await bodies({ containerId: 'c9' })).toEqual([]);
  });

  it('filters by minimum severity number', async () => {
    expect(await bodies({ minSeverityNumber: 13 })).toEqual(['ünïcödé GRÜSSE', 'Upstream TIMEOUT after 30s']);
    expect(await bodies({ minSeverityNumber: 21 })).toEqual([]);
  });

  it('matches text as a case-insensitive substring, wildcards taken literally', async () => {
    expect(await bodies({ text: 'timeout' })).toEqual(['Upstream TIMEOUT after 30s']);
    expect(await bodies({ text: 'grüsse' })).toEqual(['ünïcödé GRÜSSE']);
    expect(await bodies({ text: '100%' })).toEqual(['cache hit 100%']);
    expect(await bodies({ text: 'order_id' })).toEqual(['order_id=7 stored']);
    expect(await bodies({ text: '%' })).toEqual(['cache hit 100%']);
    expect(await bodies({ text: 'order%id' })).toEqual([]);
    expect(await bodies({ text: '_' })).toEqual(['order_id=7 stored']);
  });

  it('keeps records whose time is in [start, end)', async () => {
    expect(await bodies({ startNs: T0_NS + ms(2), endNs: T0_NS + ms(4) })).toEqual(['order_id=7 stored', 'cache hit 100%']);
    expect(await bodies({ startNs: T0_NS + ms(5), endNs: T0_NS + ms(6) })).toEqual([]);
  });
});
