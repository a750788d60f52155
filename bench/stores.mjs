/**
 * The two stores side by side, in one run on one machine: the embedded DuckDB store and the
 * ClickHouse store (issue 14; a real ClickHouse 26.7 server on loopback,
 * scripts/clickhouse-server.py), the same span batches (bench/lib/span-batch.mjs: 10
 * attributes per span, 10,000-row batches). Writes: rows/s through writeSpans and the CPU
 * each path costs per span, in the bench process (JS encoding, the DuckDB appender and its
 * threads) and, for ClickHouse, in the server too; the bytes each keeps per span. Reads:
 * getTraceSpans of random known traces, one call at a time (p50 / p99 of --lookups), on
 * ClickHouse once its background merges of the inserted parts have settled; then the same
 * through the query API as the UI asks it (GET /api/traces/:id, the real Express app on
 * loopback in this process, JSON included), and a trace search of one service.
 * Skips ClickHouse with a note when the engine is not installed (scripts/setup-dev.sh).
 * Needs a build (packages/collector/dist).
 *
 *   node bench/stores.mjs [--quick] [--spans 500000] [--batch 10000] [--lookups 500]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startClickHouse } from './lib/clickhouse-child.mjs';
import { createReport } from './lib/report.mjs';
import { SPANS_PER_TRACE, makeBatch, random } from './lib/span-batch.mjs';
import { grouped } from './lib/stats.mjs';

const DIST = new URL('../packages/collector/dist/store/', import.meta.url);
const { DuckDbStore } = await import(new URL('duckdb/DuckDbStore.js', DIST).href);
const { ClickHouseStore } = await import(new URL('clickhouse/ClickHouseStore.js', DIST).href);
const { createApiApp } = await import(new URL('../api/app.js', DIST).href);
const { MetricsRegistry } = await import(new URL('../telemetry/metrics.js', DIST).href);
const { pino } = await import('pino');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    spans: { type: 'string' },
    batch: { type: 'string', default: '10000' },
    lookups: { type: 'string' },
  },
});
const quick = values.quick;
const SPANS = Number(values.spans ?? (quick ? 50_000 : 500_000));
const BATCH = Number(values.batch);
const LOOKUPS = Number(values.lookups ?? (quick ? 100 : 500));
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process so far (Linux /proc). */
function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Writes every batch, timing writeSpans only; returns rows/s and CPU µs per span. */
async function writeAll(store, batches, serverPid) {
  const ownBefore = cpuSecondsOf(process.pid);
  const serverBefore = serverPid === undefined ? 0 : cpuSecondsOf(serverPid);
  let millis = 0;
  for (const rows of batches) {
    const t0 = performance.now();
    const result = await store.writeSpans(rows);
    millis += performance.now() - t0;
    if (!result.ok) throw result.error;
  }
  const own = cpuSecondsOf(process.pid) - ownBefore;
  const server = serverPid === undefined ? 0 : cpuSecondsOf(serverPid) - serverBefore;
  return { rowsPerSecond: SPANS / (millis / 1000), clientMicros: (own * 1e6) / SPANS, serverMicros: (server * 1e6) / SPANS };
}

/** Waits (at most 60 s) until no merge of the bench database runs; returns the milliseconds waited. */
async function settleMerges(url) {
  const started = performance.now();
  while (performance.now() - started < 60_000) {
    const answer = await fetch(url, { method: 'POST', body: "SELECT count() FROM system.merges WHERE database = 'bench'" });
    if (Number((await answer.text()).trim()) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return performance.now() - started;
}

/** getTraceSpans of random known traces (every trace has SPANS_PER_TRACE spans): p50 / p99 in ms. */
async function lookups(store) {
  const times = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const traceId = traceIds[Math.floor(random() * traceIds.length)];
    const t0 = performance.now();
    const spans = await store.getTraceSpans(traceId);
    times.push(performance.now() - t0);
    if (spans.length !== SPANS_PER_TRACE) throw new Error(`trace ${traceId}: ${spans.length} spans, wrote ${SPANS_PER_TRACE}`);
  }
  return percentiles(times);
}

/** The p50 and p99 of a list of milliseconds. */
function percentiles(times) {
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { p50: at(0.5), p99: at(0.99) };
}

/** SEARCHES trace searches of one service over the whole data, newest 20: p50 and the max. */
const SEARCHES = 50;

/**
 * The query API over `store` (the real app, on loopback): GET /api/traces/:id of random known
 * traces, and a trace search of one service; each answer checked.
 */
async function apiLookups(store) {
  const app = createApiApp({ store, metrics: new MetricsRegistry(), logger: pino({ level: 'silent' }), version: 'bench', health: () => ({ docker: { connected: false } }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const byId = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const traceId = traceIds[Math.floor(random() * traceIds.length)];
      const t0 = performance.now();
      const response = await fetch(`${base}/api/traces/${traceId}`);
      const body = await response.json();
      byId.push(performance.now() - t0);
      if (body.spans?.length !== SPANS_PER_TRACE) throw new Error(`GET /api/traces/${traceId}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    const search = [];
    const range = `start=${Math.floor(dataStartMs) - 1}&end=${Math.ceil(dataEndMs) + 1}`;
    for (let i = 0; i < SEARCHES; i++) {
      const t0 = performance.now();
      const response = await fetch(`${base}/api/traces?service=orders&limit=20&${range}`);
      const body = await response.json();
      search.push(performance.now() - t0);
      if (body.traces?.length !== 20) throw new Error(`trace search: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    return { byId: percentiles(byId), searchP50: percentiles(search).p50, searchMax: Math.max(...search) };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const batches = [];
const traceIds = [];
for (let first = 0; first < SPANS; first += BATCH) batches.push(makeBatch(first, Math.min(BATCH, SPANS - first), traceIds));
const startsMs = batches.flatMap((rows) => [Number(rows[0].startNs / 1_000_000n), Number(rows.at(-1).startNs / 1_000_000n)]);
const dataStartMs = Math.min(...startsMs);
const dataEndMs = Math.max(...startsMs) + 60_000;

const report = createReport('stores', { quick, params: { spans: SPANS, batch: BATCH, lookups: LOOKUPS } });
const results = {};

{
  const dir = await mkdtemp(join(tmpdir(), 'tracedock-bench-writers-'));
  const path = join(dir, 'tracedock.duckdb');
  const store = new DuckDbStore({ path, edgeRollup: false });
  await store.start();
  const r = await writeAll(store, batches);
  const byId = await lookups(store);
  const api = await apiLookups(store);
  await store.shutdown();
  results.duckdb = { ...r, byId, api, bytesPerSpan: (await stat(path)).size / SPANS };
  await rm(dir, { recursive: true, force: true });
}

const server = await startClickHouse();
if (server === undefined) {
  report.note('ClickHouse skipped: the engine is not installed (scripts/setup-dev.sh, clickhouse step)');
} else {
  try {
    const store = new ClickHouseStore({ url: server.url, database: 'bench', hostName: 'bench-host', retentionHours: 24 * 365 * 50 });
    await store.start();
    const r = await writeAll(store, batches, server.pid);
    // As the query bench waits for the rollup: the inserts leave parts that ClickHouse merges
    // in the background, which a live store has long done for all but its newest minutes.
    const mergesDone = await settleMerges(server.url);
    console.log(`  clickhouse background merges settled in ${(mergesDone / 1000).toFixed(1)} s`);
    const byId = await lookups(store);
    const api = await apiLookups(store);
    await store.shutdown();
    const answer = await fetch(server.url, { method: 'POST', body: "SELECT sum(bytes_on_disk) FROM system.parts WHERE database = 'bench' AND table = 'spans' AND active" });
    results.clickhouse = { ...r, byId, api, bytesPerSpan: Number((await answer.text()).trim()) / SPANS };
  } finally {
    await server.stop();
  }
}

for (const [name, r] of Object.entries(results)) {
  console.log(`  ${name.padEnd(10)} ${grouped(r.rowsPerSecond)} spans/s; CPU per span: ${r.clientMicros.toFixed(1)} µs in the bench process${name === 'clickhouse' ? `, ${r.serverMicros.toFixed(1)} µs in the server` : ''}; ${r.bytesPerSpan.toFixed(1)} bytes/span stored; trace by id p50 ${r.byId.p50.toFixed(1)} ms, p99 ${r.byId.p99.toFixed(1)} ms; through the API p50 ${r.api.byId.p50.toFixed(1)} ms, p99 ${r.api.byId.p99.toFixed(1)} ms; search p50 ${r.api.searchP50.toFixed(1)} ms`);
  report.figure({ id: `${name}.rate`, group: name, label: 'writeSpans rows/s (10 attributes, 10,000-row batches)', unit: 'rows/s', values: [r.rowsPerSecond] });
  report.figure({ id: `${name}.clientCpu`, group: name, label: 'CPU per span in the bench process (encoding, client or appender)', unit: 'µs', values: [r.clientMicros], digits: 1 });
  if (name === 'clickhouse') report.figure({ id: `${name}.serverCpu`, group: name, label: 'CPU per span in the ClickHouse server', unit: 'µs', values: [r.serverMicros], digits: 1 });
  report.figure({ id: `${name}.byIdP50`, group: name, label: `getTraceSpans of a random known trace, p50 of ${LOOKUPS}`, unit: 'ms', values: [r.byId.p50], digits: 2 });
  report.figure({ id: `${name}.byIdP99`, group: name, label: `getTraceSpans of a random known trace, p99 of ${LOOKUPS}`, unit: 'ms', values: [r.byId.p99], digits: 2 });
  report.figure({ id: `${name}.apiByIdP50`, group: name, label: `GET /api/traces/:id of a random known trace, p50 of ${LOOKUPS}`, unit: 'ms', values: [r.api.byId.p50], digits: 2 });
  report.figure({ id: `${name}.apiByIdP99`, group: name, label: `GET /api/traces/:id of a random known trace, p99 of ${LOOKUPS}`, unit: 'ms', values: [r.api.byId.p99], digits: 2 });
  report.figure({ id: `${name}.apiSearchP50`, group: name, label: `GET /api/traces?service (newest 20 of one service, all the data), p50 of ${SEARCHES}`, unit: 'ms', values: [r.api.searchP50], digits: 1 });
  report.figure({ id: `${name}.apiSearchMax`, group: name, label: `the same search, max of ${SEARCHES}`, unit: 'ms', values: [r.api.searchMax], digits: 1 });
  report.figure({ id: `${name}.bytesPerSpan`, group: name, label: 'bytes per span stored (DuckDB file / ClickHouse active parts of spans)', unit: 'B', values: [r.bytesPerSpan], digits: 1 });
}
if (results.clickhouse !== undefined) {
  report.ratio({ id: 'ratio.rate', group: 'ratios', label: 'ClickHouse / DuckDB writeSpans rows/s, same run', values: [results.clickhouse.rowsPerSecond / results.duckdb.rowsPerSecond], digits: 2 });
  report.ratio({ id: 'ratio.byId', group: 'ratios', label: 'ClickHouse / DuckDB trace by id p50, same run', values: [results.clickhouse.byId.p50 / results.duckdb.byId.p50], digits: 2 });
  report.ratio({ id: 'ratio.apiById', group: 'ratios', label: 'ClickHouse / DuckDB GET /api/traces/:id p50, same run', values: [results.clickhouse.api.byId.p50 / results.duckdb.api.byId.p50], digits: 2 });
  report.ratio({ id: 'ratio.apiSearch', group: 'ratios', label: 'ClickHouse / DuckDB trace search p50, same run', values: [results.clickhouse.api.searchP50 / results.duckdb.api.searchP50], digits: 2 });
}
report.note("GET /api/traces/:id is three store reads: the spans, the trace's containers (by host and id) and its logs within 5 minutes of it (a log search); the store's getTraceSpans is one of them. ClickHouse answers each over HTTP (a query of its own, parsed and planned per call), which is most of its extra time against the embedded DuckDB.");
report.note("ClickHouse's trace by id reads the trace's start range from span_traces, then the spans of those days through the trace-id bloom filter, decompressing every column of each granule it keeps (1,024 rows). Its p99 is about 3x its p50 in this run; what makes the slow lookups slow was not profiled here.");
console.log(`report ${await report.write()}`);
