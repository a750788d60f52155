import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../packages/collector/src/api/test-support.js';
import { SEED, seedLogs, seedSpans } from '../packages/collector/src/api/test-seed.js';
import type { SpanRow } from '../packages/collector/src/model/rows.js';
import { ClickHouseStore } from '../packages/collector/src/store/clickhouse/ClickHouseStore.js';
import { DuckDbStore } from '../packages/collector/src/store/duckdb/DuckDbStore.js';
import { makeContainer, makeEvent, makeHistogramPoint, makeLog, makeMetricPoint, makeSample, makeSpan, ms, spanIdOf, T0_NS, traceIdOf } from '../packages/collector/src/store/duckdb/testing/fixtures.js';
import type { Store } from '../packages/collector/src/store/Store.js';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from './support/clickhouse.js';

/**
 * The store contract, held through the query API: the same rows written to the embedded
 * DuckDB store and to a ClickHouse store (a real server) give the same answer, status and
 * JSON, to every query below — traces (each filter), a trace by id, services, the service
 * map, logs (each filter), containers with samples and events, metrics and their series.
 * Each answer is also checked to hold something, so that two empty answers cannot agree.
 */

const HOST = 'host-a';
const DAY_MS = 86_400_000;
/** Rows are from 2023: the ClickHouse tables' TTL must not drop them. */
const RETENTION_HOURS = 24 * 365 * 50;
const t0Ms = Number(T0_NS / 1_000_000n);

const at = (offsetMs: number): bigint => T0_NS + ms(offsetMs);
const container = (id: string, name: string, service: string) =>
  makeContainer({ id, name, service, host: HOST, startedAtNs: at(-DAY_MS), finishedAtNs: null });

const CONTAINER_A = 'a'.repeat(64);
const RETRIED_TRACE = traceIdOf(9_000);
const HISTOGRAM_NAME = makeHistogramPoint().name;
const CONTAINER_B = SEED.inventoryContainerId;

/** Many traces over three services, with errors, attributes, retries stored twice and gaps. */
function spans(): SpanRow[] {
  const rows: SpanRow[] = [...seedSpans()];
  for (let i = 1; i <= 60; i += 1) {
    const traceId = traceIdOf(1000 + i);
    const start = at(i * 1_000);
    const rootMs = 5 + ((i * 37) % 200);
    const root = makeSpan({ traceId, spanId: spanIdOf(i * 10), service: 'gateway', name: i % 3 === 0 ? 'GET /cart' : 'GET /orders', startNs: start, endNs: start + ms(rootMs), attributes: { 'http.route': i % 3 === 0 ? '/cart' : '/orders', 'http.status_code': i % 7 === 0 ? 500 : 200 }, containerId: CONTAINER_A });
    const child = makeSpan({ traceId, spanId: spanIdOf(i * 10 + 1), parentSpanId: root.spanId, service: 'orders', name: 'SELECT orders', kind: 3, startNs: start + ms(1), endNs: start + ms(1 + (i % 11) * 3), statusCode: i % 7 === 0 ? 2 : 0, statusMessage: i % 7 === 0 ? 'boom' : '', containerId: CONTAINER_B });
    rows.push(root, child);
    if (i % 5 === 0) rows.push({ ...child, endNs: child.endNs + ms(2) }); // a retry stored twice, re-sent later
    if (i % 4 === 0) rows.push(makeSpan({ traceId, spanId: spanIdOf(i * 10 + 2), parentSpanId: child.spanId, service: 'inventory', name: 'reserve', startNs: start + ms(2), endNs: start + ms(4), attributes: { sku: `s${i % 3}` } }));
  }
  // A retry stored twice (past the write path's dedupe window): a trace shows it once.
  const late = at(600_000);
  const retried = makeSpan({ traceId: RETRIED_TRACE, spanId: spanIdOf(9_001), service: 'gateway', startNs: late, endNs: late + ms(30), containerId: CONTAINER_A });
  rows.push(retried, { ...retried }, makeSpan({ traceId: RETRIED_TRACE, spanId: spanIdOf(9_002), parentSpanId: retried.spanId, service: 'orders', startNs: late + ms(1), endNs: late + ms(9), containerId: CONTAINER_B }));
  return rows;
}

function seedAll(store: Store): Promise<unknown[]> {
  const logs = [...seedLogs()];
  for (let i = 0; i < 40; i += 1) {
    logs.push(makeLog({ timeNs: at(i * 1_500), service: i % 2 === 0 ? 'orders' : 'gateway', severityNumber: [5, 9, 13, 17][i % 4] ?? 9, severityText: ['DEBUG', 'INFO', 'WARN', 'ERROR'][i % 4] ?? 'INFO', body: `request ${i} ${i % 3 === 0 ? 'Timed Out' : 'ok'}`, traceId: traceIdOf(1000 + (i % 60) + 1), containerId: i % 2 === 0 ? CONTAINER_B : null }));
  }
  const samples = [CONTAINER_A, CONTAINER_B].flatMap((id, c) =>
    Array.from({ length: 30 }, (_, i) => makeSample({ containerId: id, timeNs: at(i * 2_000), cpuPercent: 10 + c * 40 + (i % 5), memoryBytes: 1e8 + i * 1e6 })));
  const events = [makeEvent({ containerId: CONTAINER_B, timeNs: at(20_000), action: 'die' }), makeEvent({ containerId: CONTAINER_B, timeNs: at(21_000), action: 'start' })];
  const histograms = Array.from({ length: 6 }, (_, i) => makeHistogramPoint({ service: 'gateway', timeNs: at(i * 4_000) }));
  const metrics = Array.from({ length: 20 }, (_, i) => makeMetricPoint({ service: 'orders', name: i % 2 === 0 ? 'orders.queue' : 'http.server.duration', timeNs: at(i * 3_000), value: i * 1.5, attributes: { route: i % 4 < 2 ? '/a' : '/b' } }));
  return Promise.all([
    store.writeSpans(spans()), store.writeLogs(logs), store.writeSamples(samples), store.writeContainerEvents(events), store.writeMetricPoints([...metrics, ...histograms]),
    store.upsertContainers([container(CONTAINER_A, '/gateway-1', 'gateway'), container(CONTAINER_B, '/orders-1', 'orders')]),
  ]);
}

const range = `start=${t0Ms - 60_000}&end=${t0Ms + 120_000}`;
/** Every query of the contract, with what its answer must hold (beyond agreeing). */
const QUERIES: [path: string, holds: (body: Record<string, unknown>) => number][] = [
  [`/api/traces?${range}&limit=100`, (b) => listLength(b, 'traces')],
  [`/api/traces?${range}&service=orders&limit=100`, (b) => listLength(b, 'traces')],
  [`/api/traces?${range}&operation=GET%20%2Fcart`, (b) => listLength(b, 'traces')],
  [`/api/traces?${range}&minDurationMs=100&maxDurationMs=180&limit=100`, (b) => listLength(b, 'traces')],
  [`/api/traces?${range}&status=error&limit=100`, (b) => listLength(b, 'traces')],
  [`/api/traces?${range}&status=ok&limit=5`, (b) => listLength(b, 'traces')],
  [`/api/traces?${range}&attr.http.status_code=500`, (b) => listLength(b, 'traces')],
  [`/api/traces?${range}&service=inventory&attr.sku=s1`, (b) => listLength(b, 'traces')],
  [`/api/traces?start=${t0Ms + 10_000}&end=${t0Ms + 20_000}`, (b) => listLength(b, 'traces')],
  [`/api/traces/${traceIdOf(1020)}`, (b) => listLength(b, 'spans') * listLength(b, 'containers') * listLength(b, 'logs')],
  [`/api/traces/${RETRIED_TRACE}`, (b) => (listLength(b, 'spans') === 2 ? 1 : 0) * listLength(b, 'containers')],
  [`/api/traces/0af7651916cd43dd8448eb211c80319c`, (b) => listLength(b, 'spans') * listLength(b, 'logs')],
  [`/api/traces/${'f'.repeat(32)}`, (b) => (isErrorCode(b, 'not_found') ? 1 : 0)],
  [`/api/services?${range}`, (b) => listLength(b, 'services')],
  [`/api/service-map?${range}`, (b) => listLength(b, 'nodes') * listLength(b, 'edges')],
  [`/api/logs?${range}&limit=500`, (b) => listLength(b, 'logs')],
  [`/api/logs?${range}&service=orders&severity=warn`, (b) => listLength(b, 'logs')],
  [`/api/logs?${range}&q=timed%20out&limit=7`, (b) => listLength(b, 'logs')],
  [`/api/logs?${range}&containerId=${CONTAINER_B}`, (b) => listLength(b, 'logs')],
  [`/api/logs?${range}&traceId=${traceIdOf(1003)}`, (b) => listLength(b, 'logs')],
  [`/api/containers?${range}`, (b) => listLength(b, 'containers')],
  [`/api/containers/${CONTAINER_A}/samples?${range}`, (b) => listLength(b, 'samples')],
  [`/api/containers/${CONTAINER_B}/samples?${range}&host=${HOST}`, (b) => listLength(b, 'samples')],
  [`/api/containers/${CONTAINER_B}/events?${range}`, (b) => listLength(b, 'events')],
  [`/api/metrics?${range}`, (b) => listLength(b, 'metrics')],
  [`/api/metrics/series?${range}&name=orders.queue&attr.route=%2Fb`, (b) => listLength(b, 'series')],
  [`/api/metrics/series?${range}&name=${HISTOGRAM_NAME}`, (b) => listLength(b, 'series')],
];

function listLength(body: Record<string, unknown>, key: string): number {
  const value = body[key];
  return Array.isArray(value) ? value.length : 0;
}

function isErrorCode(body: Record<string, unknown>, code: string): boolean {
  const error = body.error;
  return typeof error === 'object' && error !== null && (error as Record<string, unknown>).code === code;
}

describe.skipIf(!clickhouseAvailable())('the store contract: DuckDB and ClickHouse answer the API alike (real ClickHouse server)', () => {
  let server: ClickHouseServer;
  const stores: Store[] = [];
  const apis: RunningApi[] = [];

  beforeAll(async () => {
    server = await startClickHouse();
    const duckdb = new DuckDbStore({ path: ':memory:', edgeRollup: false });
    const clickhouse = new ClickHouseStore({ url: server.url, database: 'tracedock_contract', hostName: HOST, retentionHours: RETENTION_HOURS });
    for (const store of [duckdb, clickhouse]) {
      await store.start();
      stores.push(store);
      for (const result of await seedAll(store)) expect(result).toMatchObject({ ok: true });
      apis.push(await startApi(store, { hostName: HOST }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const api of apis) await api.close();
    for (const store of stores) await store.shutdown();
    await server?.stop();
  });

  it.each(QUERIES)('GET %s', async (path, holds) => {
    const [duck, click] = await Promise.all(apis.map(async (api) => {
      const response = await api.get(path);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }));
    expect(click).toEqual(duck);
    expect(holds(duck?.body ?? {}), `the answer to ${path} holds nothing to compare:\n${JSON.stringify(duck?.body).slice(0, 400)}`).toBeGreaterThan(0);
  });
});
