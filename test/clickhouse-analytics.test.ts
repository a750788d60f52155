import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRow } from '../packages/collector/src/model/rows.js';
import type { TraceQuery } from '../packages/collector/src/store/Store.js';
import { ClickHouseWriter } from '../packages/collector/src/store/clickhouse/ClickHouseWriter.js';
import { clickhouseClient } from '../packages/collector/src/store/clickhouse/client.js';
import type { ClickHouseQueryContext } from '../packages/collector/src/store/clickhouse/queries/context.js';
import { operationStats } from '../packages/collector/src/store/clickhouse/queries/operations.js';
import { serviceMap } from '../packages/collector/src/store/clickhouse/queries/service-map.js';
import { listServices } from '../packages/collector/src/store/clickhouse/queries/services.js';
import { searchTraces } from '../packages/collector/src/store/clickhouse/queries/trace-search.js';
import { quoteIdentifier } from '../packages/collector/src/store/clickhouse/schema.js';
import { appendSpans } from '../packages/collector/src/store/duckdb/append.js';
import { Database } from '../packages/collector/src/store/duckdb/database.js';
import { DuckDbStore } from '../packages/collector/src/store/duckdb/DuckDbStore.js';
import { EdgeRollupJob } from '../packages/collector/src/store/duckdb/edge-rollup-job.js';
import { serviceEdges } from '../packages/collector/src/store/duckdb/queries/service-map.js';
import { MINUTE_NS } from '../packages/collector/src/store/duckdb/span-minutes.js';
import { ms } from '../packages/collector/src/store/duckdb/testing/fixtures.js';
import { copies, cycle, hour, rows, t1, t2, t3, t4, t5, t7, window } from './support/analytics-spans.js';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from './support/clickhouse.js';

/**
 * The ClickHouse analytics reads (store/clickhouse/queries/) against the DuckDB store as the
 * contract: the same spans go into both (into ClickHouse through two writers, as two hosts),
 * and each query must answer exactly what DuckDB answers, numbers to the last bit. Copies of
 * a span (a retry after the dedupe window, from another host) go into both: a trace search
 * counts each span once, the aggregates over a range (services, edges, operations) count
 * spans as stored, in both stores. A few absolute values guard against a bug both share.
 */

const DATABASE = 'tracedock_analytics_test';

describe.skipIf(!clickhouseAvailable())('ClickHouse analytics reads answer as the DuckDB store (real server)', () => {
  let server: ClickHouseServer;
  let ctx: ClickHouseQueryContext;
  let duck: DuckDbStore;
  const writers: ClickHouseWriter[] = [];

  beforeAll(async () => {
    server = await startClickHouse();
    for (const host of ['host-a', 'host-b']) writers.push(new ClickHouseWriter({ url: server.url, database: DATABASE, hostName: host, retentionHours: 24 * 365 * 50 }));
    for (const w of writers) await w.start();
    const client = clickhouseClient(server.url, undefined, { output_format_json_quote_64bit_integers: 1, output_format_json_quote_denormals: 1 });
    ctx = { client, db: quoteIdentifier(DATABASE) };
    duck = new DuckDbStore({ path: ':memory:', edgeRollup: false });
    await duck.start();
    expect((await duck.writeSpans([...rows, ...copies])).ok).toBe(true);
    // Alternate spans between the two hosts; the copies come later, from the other host.
    for (const [i, w] of writers.entries()) expect((await w.writeSpans(rows.filter((_, j) => j % 2 === i))).ok).toBe(true);
    expect((await (writers[1] as ClickHouseWriter).writeSpans(copies)).ok).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await ctx?.client.close();
    for (const w of writers) await w.shutdown();
    await duck?.shutdown();
    await server?.stop();
  });

  /** Hour 0's search, which must answer as DuckDB's; the trace ids found. */
  const search = async (query: Partial<TraceQuery>): Promise<string[]> => {
    const full: TraceQuery = { ...window(0), limit: 100, ...query };
    const answer = await searchTraces(ctx, full);
    expect(answer, JSON.stringify(query, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toEqual(await duck.searchTraces(full));
    return answer.map((t) => t.traceId);
  };
  const ids = (...spans: SpanRow[]): string[] => spans.map((s) => s.traceId);

  it('searches traces with every filter as DuckDB does', async () => {
    expect(await search({})).toEqual(ids(t1, t7, t2, t5, cycle, t3, t4));
    expect(await search({ service: 'payments' })).toEqual(ids(t1));
    expect(await search({ operation: 'POST /orders' })).toEqual(ids(t1, t2, t3));
    expect(await search({ service: 'gateway', operation: 'POST /orders' })).toEqual([]);
    expect(await search({ attributes: { 'http.status_code': '200' } })).toEqual(ids(t1, t3));
    expect(await search({ attributes: { 'app.flag': 'true', 'app.ratio': '0.25' } })).toEqual(ids(t1));
    expect(await search({ attributes: { big: '100000000000000000000', 'http.status_code': '200' } })).toEqual(ids(t3));
    expect(await search({ service: 'gateway', attributes: { 'http.status_code': '500' } })).toEqual([]);
    expect(await search({ attributes: { 'app.flag': 'true' } })).toEqual(ids(t1, t2));
    expect(await search({ attributes: { note: 'say "hi"\t– ünï\\' } })).toEqual(ids(t2));
    expect(await search({ attributes: { retries: '-1' } })).toEqual(ids(t1));
    expect(await search({ attributes: { tags: '["a",2]' } })).toEqual(ids(t3));
    // One element of a list; a resource attribute; both, on one span.
    expect(await search({ attributes: { tags: 'a' } })).toEqual(ids(t3));
    expect(await search({ attributes: { tags: '2' } })).toEqual(ids(t3));
    expect(await search({ attributes: { tags: 'b' } })).toEqual([]);
    expect(await search({ attributes: { 'deployment.environment': 'prod' } })).toEqual(ids(t4));
    expect(await search({ attributes: { 'host.tags': 'eu', empty: '' } })).toEqual(ids(t4));
    expect(await search({ attributes: { 'service.name': 'payments' } })).toEqual(ids(t1));
    expect(await search({ attributes: { empty: '' } })).toEqual(ids(t4));
    expect(await search({ attributes: { none: 'null' } })).toEqual([]);
    expect(await search({ attributes: { missing: '' } })).toEqual([]);
    expect(await search({ minDurationNs: ms(20) })).toEqual(ids(t1, t2));
    expect(await search({ maxDurationNs: ms(6) })).toEqual(ids(cycle, t3, t4));
    expect(await search({ minDurationNs: ms(5), maxDurationNs: ms(20) + 5n })).toEqual(ids(t7, t2, t5, cycle, t3));
    expect(await search({ status: 'error' })).toEqual(ids(t1, t7));
    expect(await search({ status: 'ok' })).toEqual(ids(t2, t5, cycle, t3, t4));
    expect(await search({ limit: 2 })).toEqual(ids(t1, t7));
    expect(await search({ operation: 'POST /orders', limit: 2 })).toEqual(ids(t1, t2));
    expect(await search({ limit: 1, maxDurationNs: ms(2) })).toEqual(ids(t4));
  });

  it('sums a trace the range cuts, finds roots of partial traces, counts a copy once', async () => {
    // The range starts after t1's root: its child matches, the totals are the whole trace's.
    expect(await search({ startNs: hour(0) + 50n * MINUTE_NS + ms(7), service: 'payments' })).toEqual(ids(t1));
    const [cut] = await searchTraces(ctx, { ...window(0), startNs: hour(0) + 50n * MINUTE_NS + ms(7), limit: 10 });
    expect(cut).toEqual({ traceId: t1.traceId, rootService: 'gateway', rootName: 'GET /checkout', startNs: t1.startNs, durationNs: ms(50) + 11n, spanCount: 3, errorCount: 1, services: ['gateway', 'orders', 'payments'] });
    const all = await searchTraces(ctx, { ...window(0), limit: 100 });
    expect(all.find((t) => t.traceId === t5.traceId)).toMatchObject({ rootService: 'inventory', rootName: 'lookup', spanCount: 3, startNs: t5.startNs - ms(1) });
    expect(all.find((t) => t.traceId === cycle.traceId)).toMatchObject({ rootService: 'auth', rootName: 'a', services: ['auth', 'billing'] });
    // t7 and its child are stored twice: two spans, one of them an error (one copy of it failed).
    expect(all.find((t) => t.traceId === t7.traceId)).toMatchObject({ spanCount: 2, errorCount: 1, durationNs: ms(15) + 1n });
  });

  it('lists services with interpolated percentiles as DuckDB does', async () => {
    const services = await listServices(ctx, window(1));
    expect(services).toEqual(await duck.listServices(window(1)));
    // alpha's last span is stored twice (2.971861 and, re-sent, 5.971868 ms): six as stored.
    expect(services.map((s) => [s.name, s.spanCount, s.errorCount])).toEqual([['alpha', 6, 2], ['beta', 2, 2], ['gamma', 1, 0]]);
    // Six spans: p50 sits at position 2.5, p95 at 4.75, p99 at 4.95.
    expect(services[0]?.p50Ms).toBeCloseTo((2.971861 + 3.287821) / 2, 9);
    expect(services[0]?.p95Ms).toBeCloseTo(4.737142 * 0.25 + 5.971868 * 0.75, 9);
    expect(services[0]?.p99Ms).toBeCloseTo(4.737142 * 0.05 + 5.971868 * 0.95, 9);
    expect(await listServices(ctx, { startNs: hour(1), endNs: hour(1) })).toEqual([]);
  });

  it('maps services with edges and errors as DuckDB does, with and without roll-ups', async () => {
    const range = window(2);
    const map = await serviceMap(ctx, range);
    expect(map).toEqual(await duck.serviceMap(range));
    // g1 and p2 are stored twice: g1's child o1 is joined to both copies, p2 counts twice.
    expect(map.edges.map((e) => [e.from, e.to, e.calls, e.errors])).toEqual([['gateway', 'orders', 4, 1], ['orders', 'payments', 3, 3]]);
    // gateway -> orders: 1.926998, 2.42057, 3.982865 twice; p95 at position 2.85 is 3.982865.
    expect(map.edges[0]?.p95Ms).toBeCloseTo(3.982865, 9);
    // DuckDB's rolled-up path (histograms, forced by a 0-span exact limit) counts the same calls and errors.
    const db = await Database.open(':memory:');
    try {
      await db.append((conn) => appendSpans(conn, [...rows, ...copies]));
      const job = new EdgeRollupJob(db, { nowMillis: () => Number(hour(4) / 1_000_000n) });
      let minutesRolled = 0;
      for (let n = await job.runOnce(); n > 0; n = await job.runOnce()) minutesRolled += n;
      await job.shutdown();
      expect(minutesRolled).toBeGreaterThan(0);
      const rolled = await db.read((conn) => serviceEdges(conn, range, 0));
      expect(rolled.map((e) => [e.from, e.to, e.calls, e.errors])).toEqual(map.edges.map((e) => [e.from, e.to, e.calls, e.errors]));
    } finally {
      await db.close();
    }
  });

  it('answers operation stats for present and absent keys as DuckDB does', async () => {
    const keys = [
      { service: 'orders', name: 'GET /orders' }, { service: 'orders', name: 'charge' }, { service: 'payments', name: 'charge' },
      { service: 'nobody', name: 'GET /orders' }, { service: 'orders', name: 'GET /orders' },
    ];
    const stats = await operationStats(ctx, keys, window(3));
    expect(stats).toEqual(await duck.operationStats(keys, window(3)));
    expect(stats.map((s) => [s.service, s.name, s.spanCount])).toEqual([['orders', 'GET /orders', 4], ['payments', 'charge', 1]]);
    // Four spans, position 2.85: between the two longest.
    expect(stats[0]?.p95Ms).toBeCloseTo(3.664013 * 0.15 + 4.958013 * 0.85, 9);
    expect(await operationStats(ctx, [], window(3))).toEqual([]);
  });
});
