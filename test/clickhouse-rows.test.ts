import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseWriter } from '../packages/collector/src/store/clickhouse/ClickHouseWriter.js';
import { clickhouseClient } from '../packages/collector/src/store/clickhouse/client.js';
import { containerEvents, containerSamples, getContainers, listContainers, samplesInRange } from '../packages/collector/src/store/clickhouse/queries/containers.js';
import type { ClickHouseQueryContext } from '../packages/collector/src/store/clickhouse/queries/context.js';
import { searchLogs } from '../packages/collector/src/store/clickhouse/queries/logs.js';
import { applyRetention, storeStats } from '../packages/collector/src/store/clickhouse/queries/maintenance.js';
import { listMetrics, metricPoints } from '../packages/collector/src/store/clickhouse/queries/metrics.js';
import { recentSpanKeys } from '../packages/collector/src/store/clickhouse/queries/span-keys.js';
import { quoteIdentifier } from '../packages/collector/src/store/clickhouse/schema.js';
import { DuckDbStore } from '../packages/collector/src/store/duckdb/DuckDbStore.js';
import { ALL_TIME, T0_NS, makeContainer, makeEvent, makeHistogramPoint, makeLog, makeMetricPoint, makeSample, makeSpan, ms, rangeOf, spanIdOf, traceIdOf } from '../packages/collector/src/store/duckdb/testing/fixtures.js';
import type { MetricPointsQuery, WriteResult } from '../packages/collector/src/store/Store.js';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from './support/clickhouse.js';

/**
 * The ClickHouse store's row reads (store/clickhouse/queries/) as a contract with the DuckDB
 * store: the same rows go into both, through each store's own writer, and every filter and
 * limit/ordering rule must answer the same, plus some answers spelled out. Then what only
 * ClickHouse has: several hosts in one database, versions of a container, retention by TTL.
 */

const at = (seconds: number): bigint => T0_NS + ms(seconds * 1_000);
const W1 = rangeOf(at(0), at(10));
const WRITE_OK = { ok: true };
/** A query as the text of an assertion's message. */
const shown = (query: object): string => JSON.stringify(query, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));

const LOGS = [
  makeLog({ timeNs: at(1), observedTimeNs: at(1), body: 'request handled' }),
  makeLog({ timeNs: at(2), observedTimeNs: at(2), service: 'payments', body: 'Upstream TIMEOUT after 5s', severityNumber: 17, severityText: 'ERROR', traceId: traceIdOf(1), spanId: spanIdOf(1), containerId: 'c1' }),
  makeLog({ timeNs: at(3), observedTimeNs: at(3), body: 'retrying: timeout', severityNumber: 13, severityText: 'WARN', traceId: traceIdOf(1), spanId: spanIdOf(2), containerId: 'c1', source: 'stdout' }),
  makeLog({ timeNs: at(3), observedTimeNs: at(3) + 5n, service: 'payments', body: 'Échec du paiement', containerId: 'c2', source: 'stderr' }),
  makeLog({ timeNs: at(4), observedTimeNs: at(4), body: '100% done_ok', attributes: { 'http.route': '/orders' } }),
  makeLog({ timeNs: at(10), observedTimeNs: at(10), body: 'at the end of W1' }),
];
const SAMPLES = [
  ...[0, 1, 2, 3, 4].map((s) => makeSample({ containerId: 'c1', timeNs: at(s), cpuPercent: 10 + s })),
  makeSample({ containerId: 'c1', timeNs: at(5), cpuPercent: Number.NaN, memoryBytes: null }),
  makeSample({ containerId: 'c2', timeNs: at(1) }),
  makeSample({ containerId: 'c4', timeNs: at(7), cpuPercent: Number.POSITIVE_INFINITY }),
];
const EVENTS = [
  makeEvent({ timeNs: at(1), action: 'create' }), makeEvent({ timeNs: at(1), action: 'start' }),
  makeEvent({ timeNs: at(3), action: 'die' }), makeEvent({ timeNs: at(3), action: 'start', attributes: { exitCode: '0' } }),
  makeEvent({ containerId: 'c2', timeNs: at(2), action: 'oom' }),
];
const CONTAINERS = [
  makeContainer({ id: 'c1', name: 'demo-orders-1' }),
  makeContainer({ id: 'c2', name: 'demo-batch-1', state: 'exited', startedAtNs: at(-10), finishedAtNs: at(-5), cpuLimit: null }),
  makeContainer({ id: 'c3', name: 'demo-api-1', startedAtNs: at(2), finishedAtNs: at(1), restartCount: 2 }),
  makeContainer({ id: 'c4', name: 'demo-init-1', state: 'created', startedAtNs: null, memoryLimitBytes: null, labels: {} }),
  makeContainer({ id: 'c5', name: 'demo-old-1', state: 'exited', startedAtNs: at(-100), finishedAtNs: at(-90) }),
  makeContainer({ id: 'c6', name: 'demo-later-1', startedAtNs: at(100) }),
];
const route = (path: string, code: number, more = {}): Record<string, string | number | boolean> => ({ 'http.route': path, 'http.response.status_code': code, ...more });
const POINTS = [
  makeMetricPoint({ timeNs: at(1), attributes: route('/orders', 200), value: 1 }),
  makeMetricPoint({ timeNs: at(1), attributes: route('/orders', 500), value: 2 }),
  makeMetricPoint({ timeNs: at(1), attributes: route('/orders', 200), containerId: 'c1', value: 3 }),
  makeMetricPoint({ timeNs: at(2), attributes: route('/orders', 200), value: 4 }),
  makeMetricPoint({ timeNs: at(3), attributes: route('/pay', 200, { ok: true, ratio: 0.25 }), value: 5 }),
  makeMetricPoint({ timeNs: at(2), service: 'payments', attributes: {}, value: Number.NaN }),
  makeHistogramPoint({ timeNs: at(0), description: 'old description' }),
  makeHistogramPoint({ timeNs: at(4) }),
  makeMetricPoint({ timeNs: at(5), service: 'payments', name: 'queue.depth', type: 'gauge', temporality: 'unspecified', monotonic: false, value: Number.POSITIVE_INFINITY }),
];
const SPANS = [1, 2, 3, 4, 5].map((n) => makeSpan({ traceId: traceIdOf(n), spanId: spanIdOf(n), startNs: at(n), endNs: at(n) + ms(5) }));

let server: ClickHouseServer;
const writers: ClickHouseWriter[] = [];
const contexts: ClickHouseQueryContext[] = [];

async function startWriter(database: string, hostName: string): Promise<ClickHouseWriter> {
  const writer = new ClickHouseWriter({ url: server.url, database, hostName, retentionHours: 24 * 365 * 50 });
  writers.push(writer);
  await writer.start();
  return writer;
}

function readerContext(database: string): ClickHouseQueryContext {
  // The reader's settings (ClickHouseReader): Int64 as strings, NaN and infinities as text.
  const client = clickhouseClient(server.url, undefined, { output_format_json_quote_64bit_integers: 1, output_format_json_quote_denormals: 1 });
  const ctx = { client, db: quoteIdentifier(database) };
  contexts.push(ctx);
  return ctx;
}

async function expectWritten(...results: Promise<WriteResult>[]): Promise<void> {
  for (const result of await Promise.all(results)) expect(result).toMatchObject(WRITE_OK);
}

beforeAll(async () => {
  if (clickhouseAvailable()) server = await startClickHouse();
}, 60_000);

afterAll(async () => {
  for (const w of writers) await w.shutdown();
  for (const ctx of contexts) await ctx.client.close();
  await server?.stop();
});

describe.skipIf(!clickhouseAvailable())('ClickHouse row reads answer as the DuckDB store does (real server)', () => {
  const duck = new DuckDbStore({ path: ':memory:', edgeRollup: false });
  let ch: ClickHouseQueryContext;

  beforeAll(async () => {
    await duck.start();
    const writer = await startWriter('tracedock_rows_contract', 'host-a');
    ch = readerContext('tracedock_rows_contract');
    for (const store of [duck, writer]) {
      await expectWritten(store.writeLogs(LOGS), store.writeSamples(SAMPLES), store.writeContainerEvents(EVENTS),
        store.upsertContainers(CONTAINERS), store.writeMetricPoints(POINTS), store.writeSpans(SPANS));
    }
  }, 60_000);

  afterAll(() => duck.shutdown());

  it('searchLogs: every filter, the text case-insensitive and literal, newest first, the limit', async () => {
    const queries = [
      { ...ALL_TIME, limit: 100 }, { ...W1, limit: 100 }, { ...ALL_TIME, limit: 2 }, { ...ALL_TIME, service: 'payments', limit: 100 },
      { ...ALL_TIME, traceId: traceIdOf(1), limit: 100 }, { ...ALL_TIME, traceId: traceIdOf(1), spanId: spanIdOf(2), limit: 100 },
      { ...ALL_TIME, containerId: 'c1', limit: 100 }, { ...ALL_TIME, minSeverityNumber: 13, limit: 100 },
      { ...ALL_TIME, text: 'TIMEOUT', limit: 100 }, { ...ALL_TIME, text: 'échec', limit: 100 }, { ...ALL_TIME, text: '%', limit: 100 },
      { ...ALL_TIME, text: 'e_o', limit: 100 }, { ...ALL_TIME, text: '', limit: 100 }, { ...ALL_TIME, service: 'orders', text: 'timeout', minSeverityNumber: 9, limit: 100 },
    ];
    for (const query of queries) expect(await searchLogs(ch, query), shown(query)).toEqual(await duck.searchLogs(query));
    expect((await searchLogs(ch, { ...ALL_TIME, text: 'timeout', limit: 100 })).map((l) => l.body)).toEqual(['retrying: timeout', 'Upstream TIMEOUT after 5s']);
    expect((await searchLogs(ch, { ...W1, limit: 3 })).map((l) => l.body)).toEqual(['100% done_ok', 'Échec du paiement', 'retrying: timeout']);
    expect(await searchLogs(ch, { ...ALL_TIME, text: 'ÉCHEC', limit: 100 })).toEqual([LOGS[3]]);
    await expect(searchLogs(ch, { ...ALL_TIME, limit: 0 })).rejects.toThrow(RangeError);
  });

  it('containers: the running-or-has-samples rule, by id, samples and events newest limit oldest first', async () => {
    for (const range of [ALL_TIME, W1, rangeOf(at(-8), at(-6)), rangeOf(at(-200), at(-150))]) {
      expect(await listContainers(ch, range)).toEqual(await duck.listContainers(range));
    }
    // c2 exited before W1 but has a sample in it; c4 never started but has one too.
    expect((await listContainers(ch, W1)).map((c) => c.id)).toEqual(['c3', 'c2', 'c4', 'c1']);
    for (const ids of [['c1'], ['c6', 'c2', 'nope'], [], ['nope']]) {
      for (const host of ['', 'host-a']) {
        const refs = ids.map((id) => ({ host, id }));
        expect(await getContainers(ch, refs)).toEqual(await duck.getContainers(refs));
      }
    }
    for (const [id, range, limit] of [['c1', ALL_TIME, 100], ['c1', ALL_TIME, 2], ['c1', rangeOf(at(1), at(4)), 100], ['c2', ALL_TIME, 1], ['nope', ALL_TIME, 5], ['c1', ALL_TIME, 0]] as const) {
      for (const ref of [{ host: 'host-a', id }, { host: '', id }]) {
        expect(await containerSamples(ch, ref, range, limit)).toEqual(await duck.containerSamples(ref, range, limit));
      }
    }
    expect((await containerSamples(ch, { host: '', id: 'c1' }, ALL_TIME, 2)).map((s) => [s.timeNs, s.cpuPercent])).toEqual([[at(4), 14], [at(5), Number.NaN]]);
    for (const limit of [1, 2, 3, 100]) {
      const ref = { host: '', id: 'c1' };
      expect(await containerEvents(ch, ref, ALL_TIME, limit)).toEqual(await duck.containerEvents(ref, ALL_TIME, limit));
    }
    const c2 = { host: 'host-a', id: 'c2' };
    expect(await containerEvents(ch, c2, rangeOf(at(2), at(3)), 10)).toEqual(await duck.containerEvents(c2, rangeOf(at(2), at(3)), 10));
    expect((await containerEvents(ch, { host: 'host-a', id: 'c1' }, ALL_TIME, 3)).map((e) => e.action)).toEqual(['start', 'die', 'start']);
    for (const [range, limit] of [[ALL_TIME, 100], [ALL_TIME, 3], [rangeOf(at(1), at(7)), 100]] as const) {
      expect(await samplesInRange(ch, range, limit)).toEqual(await duck.samplesInRange(range, limit));
      expect(await samplesInRange(ch, range, limit, 'host-a')).toEqual(await duck.samplesInRange(range, limit)); // one host
    }
    expect((await samplesInRange(ch, ALL_TIME, 100)).map((s) => s.containerId).join('')).toBe('c1c1c1c1c1c1c2c4');
  });

  it('metrics: listing with series counts and the newest description, points with every filter and tie rule', async () => {
    for (const query of [{ ...ALL_TIME, limit: 10 }, { ...ALL_TIME, service: 'orders', limit: 10 }, { ...ALL_TIME, limit: 1 }, { ...rangeOf(at(2), at(4)), limit: 10 }]) {
      expect(await listMetrics(ch, query)).toEqual(await duck.listMetrics(query));
    }
    const listed = await listMetrics(ch, { ...ALL_TIME, service: 'orders', limit: 10 });
    expect(listed.map((m) => [m.name, m.pointCount, m.seriesCount, m.description, m.lastTimeNs])).toEqual([
      ['http.server.duration', 2, 1, 'Request duration', at(4)],
      ['http.server.requests', 5, 4, 'Requests served', at(3)],
    ]);
    const name = 'http.server.requests';
    const queries: MetricPointsQuery[] = [
      ...[100, 1, 2, 4, 5].map((limit) => ({ ...ALL_TIME, name, limit })), { ...ALL_TIME, name, service: 'payments', limit: 10 },
      { ...ALL_TIME, name, containerId: 'c1', limit: 10 }, { ...ALL_TIME, name, attributes: { 'http.route': '/pay' }, limit: 10 },
      { ...ALL_TIME, name, attributes: { 'http.response.status_code': '200' }, limit: 10 }, { ...ALL_TIME, name, attributes: { ok: 'true' }, limit: 10 },
      { ...ALL_TIME, name, attributes: { ratio: '0.25' }, limit: 10 }, { ...ALL_TIME, name, attributes: { 'http.route': '/orders', 'http.response.status_code': '500' }, limit: 10 },
      { ...ALL_TIME, name, attributes: { missing: '' }, limit: 10 }, { ...rangeOf(at(1), at(3)), name, limit: 10 }, { ...ALL_TIME, name: 'queue.depth', limit: 10 },
    ];
    for (const query of queries) expect(await metricPoints(ch, query), shown(query)).toEqual(await duck.metricPoints(query));
    expect((await metricPoints(ch, { ...ALL_TIME, name, limit: 5 })).map((p) => p.value)).toEqual([3, 2, 4, Number.NaN, 5]);
    expect((await metricPoints(ch, { ...ALL_TIME, name, attributes: { 'http.response.status_code': '200' }, limit: 10 })).map((p) => p.value)).toEqual([1, 3, 4, 5]);
    expect((await metricPoints(ch, { ...ALL_TIME, name, attributes: { ok: 'true', ratio: '0.25' }, limit: 10 })).map((p) => p.value)).toEqual([5]);
  });

  it('recentSpanKeys and storeStats', async () => {
    for (const [sinceNs, limit] of [[at(2), 10], [at(0), 2], [at(6), 10]] as const) {
      expect(await recentSpanKeys(ch, 'host-a', sinceNs, limit)).toEqual(await duck.recentSpanKeys(sinceNs, limit));
    }
    expect(await recentSpanKeys(ch, 'host-a', at(4), 10)).toEqual([{ traceId: traceIdOf(5), spanId: spanIdOf(5) }, { traceId: traceIdOf(4), spanId: spanIdOf(4) }]);
    const stats = await storeStats(ch);
    const duckStats = await duck.stats();
    expect({ spans: stats.spans, logs: stats.logs }).toEqual({ spans: duckStats.spans, logs: duckStats.logs });
    expect(stats).toMatchObject({ spans: 5, logs: 6 });
    expect(stats.sizeBytes).toBeGreaterThan(0);
  });
});

describe.skipIf(!clickhouseAvailable())('ClickHouse row reads: several hosts, container versions, retention (real server)', () => {
  const DATABASE = 'tracedock_rows_hosts';
  let hostA: ClickHouseWriter;
  let hostB: ClickHouseWriter;
  let ch: ClickHouseQueryContext;
  const shared = (host: string, overrides = {}) => makeContainer({ id: 'shared', name: `web-${host}`, hostname: host, ...overrides });

  beforeAll(async () => {
    hostA = await startWriter(DATABASE, 'host-a');
    hostB = await startWriter(DATABASE, 'host-b');
    ch = readerContext(DATABASE);
    await expectWritten(hostA.upsertContainers([shared('a')]), hostB.upsertContainers([shared('b', { startedAtNs: null, state: 'created' })]),
      hostA.writeSamples([makeSample({ containerId: 'shared', timeNs: at(1), cpuPercent: 1 }), makeSample({ containerId: 'shared', timeNs: at(3), cpuPercent: 3 })]),
      hostB.writeSamples([makeSample({ containerId: 'shared', timeNs: at(2), cpuPercent: 2 }), makeSample({ containerId: 'shared', timeNs: at(3), cpuPercent: 30 })]),
      hostA.writeContainerEvents([makeEvent({ containerId: 'shared', timeNs: at(1), action: 'start' })]),
      hostB.writeContainerEvents([makeEvent({ containerId: 'shared', timeNs: at(1), action: 'start', attributes: { on: 'b' } })]),
      hostA.writeSpans(SPANS.slice(0, 2)), hostB.writeSpans(SPANS.slice(2)), hostB.writeLogs(LOGS.slice(0, 3)));
  }, 60_000);

  it('keeps one container per host: two hosts, one id', async () => {
    const hosts = (rows: { host: string; name: string }[]): string[][] => rows.map((c) => [c.host, c.name]);
    expect(hosts(await listContainers(ch, ALL_TIME))).toEqual([['host-a', 'web-a'], ['host-b', 'web-b']]);
    // host-b's container never started, and host-a's samples of the id do not count for it.
    expect(hosts(await listContainers(ch, rangeOf(at(1), at(2))))).toEqual([['host-a', 'web-a']]);
    expect(hosts(await listContainers(ch, rangeOf(at(2), at(3))))).toEqual([['host-a', 'web-a'], ['host-b', 'web-b']]);
    expect(hosts(await listContainers(ch, rangeOf(at(-5), at(-1))))).toEqual([]);
    expect(hosts(await getContainers(ch, [{ host: 'host-b', id: 'shared' }]))).toEqual([['host-b', 'web-b']]);
    expect(hosts(await getContainers(ch, [{ host: '', id: 'shared' }]))).toEqual([['host-a', 'web-a'], ['host-b', 'web-b']]);
    expect(hosts(await getContainers(ch, [{ host: 'host-c', id: 'shared' }, { host: 'host-a', id: 'other' }]))).toEqual([]);
    const cpu = async (host: string, limit = 10): Promise<(number | null)[]> => (await containerSamples(ch, { host, id: 'shared' }, ALL_TIME, limit)).map((s) => s.cpuPercent);
    expect(await cpu('host-a')).toEqual([1, 3]);
    expect(await cpu('host-b')).toEqual([2, 30]);
    expect(await cpu('')).toEqual([1, 2, 3, 30]);
    expect(await cpu('', 2)).toEqual([3, 30]);
    expect((await containerEvents(ch, { host: 'host-b', id: 'shared' }, ALL_TIME, 10)).map((e) => e.attributes)).toEqual([{ on: 'b' }]);
    expect(await containerEvents(ch, { host: '', id: 'shared' }, ALL_TIME, 10)).toHaveLength(2);
    expect((await samplesInRange(ch, ALL_TIME, 100)).map((s) => s.cpuPercent)).toEqual([1, 3, 2, 30]);
    expect((await samplesInRange(ch, ALL_TIME, 100, 'host-b')).map((s) => s.cpuPercent)).toEqual([2, 30]);
  });

  it('reads an upserted container once, with its newest version (a late older version loses)', async () => {
    const newest = makeContainer({ id: 'moved', name: 'moved-2', state: 'exited', restartCount: 4, startedAtNs: at(-50), finishedAtNs: at(-40), updatedAtNs: at(20) });
    await expectWritten(hostA.upsertContainers([makeContainer({ id: 'moved', name: 'moved-1', updatedAtNs: at(10) })]));
    await expectWritten(hostA.upsertContainers([newest]));
    await expectWritten(hostA.upsertContainers([makeContainer({ id: 'moved', name: 'moved-0', updatedAtNs: at(5) })]));
    expect(await getContainers(ch, [{ host: 'host-a', id: 'moved' }])).toEqual([newest]);
    // Its older versions ran through W1; the newest exited before it, so it is not listed.
    expect((await listContainers(ch, W1)).map((c) => c.id)).not.toContain('moved');
    expect((await listContainers(ch, ALL_TIME)).filter((c) => c.id === 'moved')).toEqual([newest]);
  });

  it('seeds span dedupe with its own host only; counts every host; retention removes its stale containers only', async () => {
    expect(await recentSpanKeys(ch, 'host-a', 0n, 10)).toEqual([2, 1].map((n) => ({ traceId: traceIdOf(n), spanId: spanIdOf(n) })));
    expect(await recentSpanKeys(ch, 'host-b', 0n, 2)).toEqual([5, 4].map((n) => ({ traceId: traceIdOf(n), spanId: spanIdOf(n) })));
    expect(await recentSpanKeys(ch, 'host-c', 0n, 10)).toEqual([]);
    const before = await storeStats(ch);
    expect(before).toMatchObject({ spans: 5, logs: 3 });

    await expectWritten(hostB.upsertContainers([makeContainer({ id: 'stale-b', updatedAtNs: at(-7_200) })]),
      hostA.upsertContainers([makeContainer({ id: 'stale-a', updatedAtNs: at(-7_200) })]));
    const policy = { maxAgeNs: ms(3_600_000), maxBytes: 1, nowNs: at(0) };
    const result = await applyRetention(ch, policy, 'host-a');
    expect(result).toEqual({ spansRemoved: 0, logsRemoved: 0, samplesRemoved: 0, eventsRemoved: 0, containersRemoved: 1, metricPointsRemoved: 0, sizeBytesAfter: expect.any(Number) });
    expect(result.sizeBytesAfter).toBeGreaterThan(0);
    expect((await getContainers(ch, [{ host: '', id: 'stale-a' }, { host: '', id: 'stale-b' }, { host: '', id: 'shared' }])).map((c) => `${c.host}/${c.id}`))
      .toEqual(['host-b/stale-b', 'host-a/shared', 'host-b/shared']);
    expect((await applyRetention(ch, policy, 'host-a')).containersRemoved).toBe(0);
    // Spans and logs are the TTL's: retention left them, though they are older than the cut.
    expect(await storeStats(ch)).toMatchObject({ spans: 5, logs: 3 });
  });
});
