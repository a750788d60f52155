import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseReader } from '../packages/collector/src/store/clickhouse/ClickHouseReader.js';
import { ClickHouseWriter } from '../packages/collector/src/store/clickhouse/ClickHouseWriter.js';
import { makeContainer, makeEvent, makeLog, makeMetricPoint, makeSample, makeSpan, ms, spanIdOf, traceIdOf } from '../packages/collector/src/store/duckdb/testing/fixtures.js';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from './support/clickhouse.js';

/**
 * The write half of the ClickHouse store (issue 14) on a real ClickHouse server: two
 * writers stand for two collectors on two Docker hosts, writing to one database. Every row
 * kind arrives with its host, exactly (nanoseconds, NaN and infinities, JSON columns); the
 * same container id on two hosts stays two containers; an upsert keeps the newest; the
 * trace-id side table gets each trace's start range; a re-sent batch is stored once; a bad
 * server answer is a WriteResult, not a throw.
 */

const DATABASE = 'tracedock_writer_test';
let server: ClickHouseServer;
let reader: ClickHouseClient;
const writers: ClickHouseWriter[] = [];

function writer(hostName: string): ClickHouseWriter {
  const made = new ClickHouseWriter({ url: server.url, database: DATABASE, hostName, retentionHours: 24 * 365 * 50 });
  writers.push(made);
  return made;
}

async function rows<T>(query: string): Promise<T[]> {
  const result = await reader.query({
    query,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1, output_format_json_quote_denormals: 1 },
  });
  return result.json<T>();
}

const NOW_NS = BigInt(Date.now()) * 1_000_000n + 7n;

describe.skipIf(!clickhouseAvailable())('ClickHouse writer: two collectors, one database (real server)', () => {
  let hostA: ClickHouseWriter;
  let hostB: ClickHouseWriter;

  beforeAll(async () => {
    server = await startClickHouse();
    reader = createClient({ url: server.url });
    hostA = writer('host-a');
    hostB = writer('host-b');
    await hostA.start();
    await hostB.start(); // the schema again: every statement is idempotent
  }, 60_000);

  afterAll(async () => {
    for (const w of writers) await w.shutdown();
    await reader?.close();
    await server?.stop();
  });

  it('stores spans of one trace from two hosts, exactly, with their start range in span_traces', async () => {
    const traceId = traceIdOf(1);
    const root = makeSpan({ traceId, spanId: spanIdOf(1), service: 'gateway', startNs: NOW_NS, endNs: NOW_NS + ms(40), containerId: 'c0ffee', attributes: { 'http.route': '/checkout', 'http.status_code': 200 } });
    const child = makeSpan({ traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), service: 'orders', startNs: NOW_NS + ms(5), endNs: NOW_NS + ms(30), containerId: 'c0ffee' });
    expect(await hostA.writeSpans([root])).toEqual({ ok: true, written: 1 });
    expect(await hostB.writeSpans([child])).toEqual({ ok: true, written: 1 });

    const stored = await rows<Record<string, string | null>>(`SELECT host_name, span_id, parent_span_id, service, start_ns, end_ns, duration_ns, attributes, container_id FROM ${DATABASE}.spans WHERE trace_id = '${traceId}' ORDER BY start_ns`);
    expect(stored).toEqual([
      { host_name: 'host-a', span_id: spanIdOf(1), parent_span_id: null, service: 'gateway', start_ns: NOW_NS.toString(), end_ns: (NOW_NS + ms(40)).toString(), duration_ns: ms(40).toString(), attributes: expect.stringContaining('"http.route":"/checkout"'), container_id: 'c0ffee' },
      { host_name: 'host-b', span_id: spanIdOf(2), parent_span_id: spanIdOf(1), service: 'orders', start_ns: (NOW_NS + ms(5)).toString(), end_ns: (NOW_NS + ms(30)).toString(), duration_ns: ms(25).toString(), attributes: expect.any(String), container_id: 'c0ffee' },
    ]);
    const range = await rows<{ lo: string; hi: string }>(`SELECT min(min_start_ns) AS lo, max(max_start_ns) AS hi FROM ${DATABASE}.span_traces WHERE trace_id = '${traceId}'`);
    expect(range).toEqual([{ lo: NOW_NS.toString(), hi: (NOW_NS + ms(5)).toString() }]);
  });

  it('keeps containers per host: the same id on two hosts is two containers; an upsert keeps the newest', async () => {
    await hostA.upsertContainers([makeContainer({ id: 'shared-id', name: 'web-a', state: 'running', updatedAtNs: NOW_NS })]);
    await hostB.upsertContainers([makeContainer({ id: 'shared-id', name: 'web-b', state: 'running', updatedAtNs: NOW_NS })]);
    await hostA.upsertContainers([makeContainer({ id: 'shared-id', name: 'web-a', state: 'exited', restartCount: 3, updatedAtNs: NOW_NS + 1n })]);
    const current = await rows<{ host_name: string; name: string; state: string; restart_count: number }>(
      `SELECT host_name, name, state, restart_count FROM ${DATABASE}.containers FINAL WHERE id = 'shared-id' ORDER BY host_name`,
    );
    expect(current).toEqual([
      { host_name: 'host-a', name: 'web-a', state: 'exited', restart_count: 3 },
      { host_name: 'host-b', name: 'web-b', state: 'running', restart_count: 0 },
    ]);
  });

  it('stores logs, samples, events and metric points with their host; NaN and infinities survive', async () => {
    const traceId = traceIdOf(2);
    expect(await hostA.writeLogs([makeLog({ timeNs: NOW_NS, traceId, spanId: spanIdOf(9), body: 'charge failed', containerId: 'c0ffee' })])).toEqual({ ok: true, written: 1 });
    expect(await hostB.writeSamples([makeSample({ containerId: 'shared-id', timeNs: NOW_NS, cpuPercent: 87.5, memoryBytes: null })])).toEqual({ ok: true, written: 1 });
    expect(await hostB.writeContainerEvents([makeEvent({ containerId: 'shared-id', timeNs: NOW_NS, action: 'oom' })])).toEqual({ ok: true, written: 1 });
    const points = [
      makeMetricPoint({ timeNs: NOW_NS, name: 'queue.depth', value: Number.NaN }),
      makeMetricPoint({ timeNs: NOW_NS + 1n, name: 'queue.depth', value: Number.POSITIVE_INFINITY }),
      makeMetricPoint({ timeNs: NOW_NS + 2n, name: 'queue.depth', value: -0.5 }),
    ];
    expect(await hostA.writeMetricPoints(points)).toEqual({ ok: true, written: 3 });

    expect(await rows(`SELECT host_name, body, trace_id FROM ${DATABASE}.logs`)).toEqual([{ host_name: 'host-a', body: 'charge failed', trace_id: traceId }]);
    expect(await rows(`SELECT host_name, container_id, cpu_percent, memory_bytes FROM ${DATABASE}.container_samples`)).toEqual([{ host_name: 'host-b', container_id: 'shared-id', cpu_percent: 87.5, memory_bytes: null }]);
    expect(await rows(`SELECT host_name, action FROM ${DATABASE}.container_events`)).toEqual([{ host_name: 'host-b', action: 'oom' }]);
    expect(await rows(`SELECT toString(value) AS v FROM ${DATABASE}.metric_points ORDER BY time_ns`)).toEqual([{ v: 'nan' }, { v: 'inf' }, { v: '-0.5' }]);
  });

  it('stores a re-sent identical batch once (the write queue retries after a lost answer)', async () => {
    const batch = [makeSpan({ traceId: traceIdOf(3), spanId: spanIdOf(30), startNs: NOW_NS, endNs: NOW_NS + ms(1) })];
    await hostA.writeSpans(batch);
    await hostA.writeSpans(batch);
    expect(await rows(`SELECT count() AS n FROM ${DATABASE}.spans WHERE trace_id = '${traceIdOf(3)}'`)).toEqual([{ n: '1' }]);
  });

  it('reads a trace written by two hosts back by id, exactly, each span once', async () => {
    const store = new ClickHouseReader({ url: server.url, database: DATABASE, hostName: 'host-a' });
    await store.start();
    try {
      const traceId = traceIdOf(4);
      const root = makeSpan({
        traceId, spanId: spanIdOf(40), service: 'gateway', startNs: NOW_NS, endNs: NOW_NS + ms(50),
        attributes: { 'http.route': '/checkout', 'http.response.status_code': 500, 'app.ratio': 0.25, 'app.tags': ['a', 'b'] },
        events: [{ timeNs: NOW_NS + ms(1), name: 'exception', attributes: { 'exception.type': 'TypeError' } }],
        links: [{ traceId: traceIdOf(5), spanId: spanIdOf(50), traceState: 'k=v', attributes: { why: 'batch' } }],
        resource: { 'service.name': 'gateway', 'host.name': 'edge-1' }, statusCode: 2, statusMessage: 'boom', containerId: 'c0ffee',
      });
      const child = makeSpan({ traceId, spanId: spanIdOf(41), parentSpanId: spanIdOf(40), service: 'orders', startNs: NOW_NS + ms(2), endNs: NOW_NS + ms(20) });
      await hostA.writeSpans([root]);
      await hostB.writeSpans([child]);
      // A copy of the child re-sent later with a later end (not an identical batch): read once, the later one.
      const later = { ...child, endNs: child.endNs + ms(1) };
      await hostB.writeSpans([later]);
      // Each span says which host stored it: its container is that host's.
      expect(await store.getTraceSpans(traceId)).toEqual([{ ...root, host: 'host-a' }, { ...later, host: 'host-b' }]);
      expect(await store.getTraceSpans(traceIdOf(999))).toEqual([]);
    } finally {
      await store.shutdown();
    }
  });

  it('answers a failed insert with a WriteResult: not retryable for a bad value, retryable when the server is gone', async () => {
    // A database that is not there (a collector pointed at the wrong one, its schema never made).
    const lost = new ClickHouseWriter({ url: server.url, database: 'no_such_database', hostName: 'host-a', retentionHours: 1 });
    writers.push(lost);
    const bad = await lost.writeSpans([makeSpan()]);
    expect(bad).toMatchObject({ ok: false, retryable: false });
    expect(bad.ok ? '' : bad.error.message).toMatch(/no_such_database/);
    const gone = new ClickHouseWriter({ url: 'http://127.0.0.1:9', database: DATABASE, hostName: 'host-c', retentionHours: 1, requestTimeoutMillis: 2_000 });
    writers.push(gone);
    const result = await gone.writeSpans([makeSpan()]);
    expect(result).toMatchObject({ ok: false, retryable: true });
  });
});
