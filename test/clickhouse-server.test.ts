import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from './support/clickhouse.js';

/**
 * The ClickHouse server the ClickHouse store (issue 14) will be tested against, through the
 * official @clickhouse/client: a modern version, and the table features the store's schema
 * relies on, in the spirit of the OpenTelemetry Collector's clickhouseexporter: DateTime64(9)
 * kept to the nanosecond, LowCardinality and Map columns, a bloom-filter skipping index on
 * the trace id that a lookup uses, TTL retention, and rows of two collectors (two hosts)
 * written to one table and found together by trace id.
 */

let server: ClickHouseServer;
const clients: ClickHouseClient[] = [];

function client(): ClickHouseClient {
  const made = createClient({ url: server.url, request_timeout: 30_000, log: { level: ClickHouseLogLevel.OFF } });
  clients.push(made);
  return made;
}

async function rows<T>(c: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await c.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

const SPANS_TABLE = `
  CREATE TABLE spans (
    Timestamp DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ServiceName LowCardinality(String),
    HostName LowCardinality(String),
    ContainerId String,
    SpanAttributes Map(LowCardinality(String), String),
    Duration UInt64,
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
  ) ENGINE = MergeTree
  PARTITION BY toDate(Timestamp)
  ORDER BY (ServiceName, toUnixTimestamp(Timestamp))
  TTL toDateTime(Timestamp) + INTERVAL 1 DAY`;

/** 'YYYY-MM-DD hh:mm:ss.nnnnnnnnn' (UTC) of nanoseconds since the epoch. */
function dateTime64(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
}

describe.skipIf(!clickhouseAvailable())('ClickHouse server for the ClickHouse store (official client)', () => {
  beforeAll(async () => {
    server = await startClickHouse();
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    await server?.stop();
  });

  it('is a modern ClickHouse', async () => {
    const [row] = await rows<{ version: string }>(client(), 'SELECT version() AS version');
    const major = Number(row?.version.split('.')[0]);
    expect(major, row?.version).toBeGreaterThanOrEqual(24);
  });

  it('stores two hosts\' spans in one table: nanoseconds, maps, the trace-id index and TTL', async () => {
    const admin = client();
    await admin.command({ query: SPANS_TABLE });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const nowNs = BigInt(Date.now()) * 1_000_000n + 123_457n;
    // Two collectors, each with its own host name and container ids.
    const hostA = client();
    const hostB = client();
    await hostA.insert({
      table: 'spans',
      format: 'JSONEachRow',
      values: [{ Timestamp: dateTime64(nowNs), TraceId: traceId, SpanId: 'a1', ServiceName: 'gateway', HostName: 'host-a', ContainerId: 'c0ffee', SpanAttributes: { 'http.route': '/checkout' }, Duration: 12_000_000 }],
    });
    await hostB.insert({
      table: 'spans',
      format: 'JSONEachRow',
      values: [
        { Timestamp: dateTime64(nowNs + 1n), TraceId: traceId, SpanId: 'b1', ServiceName: 'orders', HostName: 'host-b', ContainerId: 'c0ffee', SpanAttributes: { 'db.system': 'postgresql' }, Duration: 9_000_000 },
        { Timestamp: dateTime64(nowNs - 3n * 86_400_000_000_000n), TraceId: 'ffffffffffffffffffffffffffffffff', SpanId: 'old', ServiceName: 'orders', HostName: 'host-b', ContainerId: 'd00d', SpanAttributes: {}, Duration: 1 },
      ],
    });

    const found = await rows<{ SpanId: string; HostName: string; ContainerId: string; ns: string; route: string }>(
      admin,
      `SELECT SpanId, HostName, ContainerId, toString(toUnixTimestamp64Nano(Timestamp)) AS ns, SpanAttributes['http.route'] AS route
       FROM spans WHERE TraceId = {traceId:String} ORDER BY Timestamp`,
      { traceId },
    );
    expect(found).toEqual([
      { SpanId: 'a1', HostName: 'host-a', ContainerId: 'c0ffee', ns: nowNs.toString(), route: '/checkout' },
      { SpanId: 'b1', HostName: 'host-b', ContainerId: 'c0ffee', ns: (nowNs + 1n).toString(), route: '' },
    ]);
    // The same container id on two hosts stays two containers: (host, id) is the key.
    const [pairs] = await rows<{ n: string }>(admin, 'SELECT count(DISTINCT (HostName, ContainerId)) AS n FROM spans WHERE ContainerId = {id:String}', { id: 'c0ffee' });
    expect(Number(pairs?.n)).toBe(2);

    const plan = await rows<{ explain: string }>(admin, 'EXPLAIN indexes = 1 SELECT SpanId FROM spans WHERE TraceId = {traceId:String}', { traceId });
    expect(plan.map((r) => r.explain).join('\n')).toContain('idx_trace_id');

    const types = await rows<{ name: string; type: string }>(admin, "SELECT name, type FROM system.columns WHERE table = 'spans' AND name IN ('Timestamp', 'ServiceName', 'SpanAttributes')");
    expect(Object.fromEntries(types.map((t) => [t.name, t.type]))).toEqual({
      Timestamp: "DateTime64(9, 'UTC')",
      ServiceName: 'LowCardinality(String)',
      SpanAttributes: 'Map(LowCardinality(String), String)',
    });

    // Retention: the 3-day-old span is past the table's 1-day TTL once parts are merged.
    await admin.command({ query: 'OPTIMIZE TABLE spans FINAL' });
    const [left] = await rows<{ n: string }>(admin, "SELECT count() AS n FROM spans WHERE SpanId = 'old'");
    expect(Number(left?.n)).toBe(0);
    const [kept] = await rows<{ n: string }>(admin, 'SELECT count() AS n FROM spans');
    expect(Number(kept?.n)).toBe(2);
  });

  it('answers a bad query with ClickHouse\'s error code, not a hang', async () => {
    await expect(rows(client(), 'SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '60', type: 'UNKNOWN_TABLE' });
  });
});
