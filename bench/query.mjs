/**
 * Query latency of the collector's HTTP API at 1M and 10M stored spans, and the storage
 * footprint. For each size: a fresh collector CLI child (file-backed DuckDB in a temp
 * folder) is filled through the real ingest path (OTLP/HTTP protobuf from concurrent
 * keep-alive senders; realistic traces from ./lib/query-data.mjs, dated over the 2 h
 * before the bench started), then, once the service-map rollup job has caught up with those
 * 2 h (a live collector rolls them up as they come), each query is called as the UI calls
 * it, from a keep-alive node:http client, one call at a time:
 *   traceById      GET /api/traces/:id for random known ids (spans checked on a few)
 *   searchService  GET /api/traces?service=S&start&end over the last hour, S rotating
 *   searchAttr     GET /api/traces?minDurationMs=M&attr.http.route=R&start&end, last hour
 *   serviceMap     GET /api/service-map?start&end over the last hour
 *   services       GET /api/services?start&end over the last hour (p50/p95/p99 per service)
 * Per query: a few warm-ups, then --repeats repeats of N calls; figures are the p50 and p95
 * of each repeat and the p99 of all calls pooled (named max when fewer than 100). Then
 * SIGTERM (the collector checkpoints and exits) and the data folder's bytes: bytes per
 * stored span, and OTLP protobuf bytes sent / stored bytes.
 * Needs a build (packages/collector/dist): `npx tsc --build`.
 *
 *   node bench/query.mjs [--quick] [--sizes 1000000,10000000] [--repeats 5]
 *                        [--by-id-calls 200] [--calls 20] [--budget-seconds 40]
 *                        [--profile DIR] [--keep] [--cli PATH]
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { randomFillSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCollector } from './lib/collector-child.mjs';
import { scrape, sumOf } from './lib/prometheus.mjs';
import { openClient } from './lib/query-client.mjs';
import { TRACE_ID_BYTES, makeQueryPool, splitNs, stampRequest } from './lib/query-data.mjs';
import { createReport } from './lib/report.mjs';
import { grouped } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    repeats: { type: 'string', default: '5' },
    'by-id-calls': { type: 'string', default: '200' },
    calls: { type: 'string', default: '20' },
    warmups: { type: 'string', default: '3' },
    'budget-seconds': { type: 'string' },
    senders: { type: 'string', default: '4' },
    pool: { type: 'string' },
    'window-hours': { type: 'string', default: '2' },
    profile: { type: 'string' },
    keep: { type: 'boolean', default: false },
    cli: { type: 'string' },
  },
});
const quick = values.quick;
const options = {
  sizes: (values.sizes ?? (quick ? '100000' : '1000000,10000000')).split(',').map(Number),
  repeats: Number(values.repeats),
  byIdCalls: Number(values['by-id-calls']),
  calls: Number(values.calls),
  warmups: Number(values.warmups),
  budgetSeconds: Number(values['budget-seconds'] ?? (quick ? 8 : 40)),
  senders: Number(values.senders),
  poolSize: Number(values.pool ?? (quick ? 60 : 200)),
  windowHours: Number(values['window-hours']),
};
for (const [name, value] of Object.entries(options)) {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => Number.isFinite(v) && v > 0)) throw new Error(`--${name}: expected positive numbers, got ${value}`);
}

const NS_PER_MS = 1_000_000;
const HOUR_MS = 3_600_000;
const TRACES_PER_REQUEST = 40;
const RETENTION_HOURS = String(24 * 365 * 20);
const STORED_TIMEOUT_MILLIS = 600_000;
const KNOWN_IDS_KEPT = 5_000;
const VERIFIED_BY_ID = 20;
const MIN_CALLS_PER_REPEAT = 5;
const CALLS_FOR_P99 = 100;
/** Longer than the rollup job's idle pause (5 s), so one unchanged count means caught up. */
const ROLLUP_QUIET_MILLIS = 7_000;
const ROLLUP_TIMEOUT_MILLIS = 300_000;
const GOALS_MS = { traceById: 10, searchService: 100, searchAttr: 100, serviceMap: 100, services: 100 };
const ROUTES = ['/api/orders/:id', '/checkout', '/api/charge', '/api/stock/:sku', '/api/users/:id'];
const SERVICES = ['frontend', 'orders', 'inventory', 'payments', 'users', 'shipping', 'notifications', 'search'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const liveDirs = new Set();
process.once('exit', () => {
  if (!values.keep) for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

async function folderBytes(dir) {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Sends requests until `size` spans are acknowledged; keeps a sample of known trace ids. */
async function fill(collector, pool, size, windowStartNs, windowNs) {
  const http = openClient(collector.otlpHttpUrl, options.senders);
  const meanSpansPerTrace = pool.reduce((a, e) => a + e.spanCount, 0) / (pool.length * TRACES_PER_REQUEST);
  const traceSpacingNs = Math.floor(windowNs / (size / meanSpansPerTrace));
  const startNsOf = (n) => n * traceSpacingNs;
  const { baseHi, baseLo } = splitNs(windowStartNs);
  const known = [];
  let seen = 0;
  let nextRequest = 0;
  let assignedSpans = 0;
  const result = { spans: 0, requests: 0, protoBytes: 0, refusals: 0, traces: 0 };
  const scratchBytes = Math.max(...pool.map((e) => e.bytes.length));
  const sender = async () => {
    const scratch = Buffer.allocUnsafe(scratchBytes);
    const ids = Buffer.allocUnsafe(TRACES_PER_REQUEST * TRACE_ID_BYTES);
    while (assignedSpans < size) {
      const r = nextRequest++;
      const entry = pool[r % pool.length];
      assignedSpans += entry.spanCount;
      const firstTrace = r * TRACES_PER_REQUEST;
      randomFillSync(ids);
      const body = stampRequest(entry, scratch, { ids, firstTrace, baseHi, baseLo, startNsOf });
      for (let failures = 0; ; ) {
        const answer = await http.post('/v1/traces', body, 'application/x-protobuf');
        if (answer.status === 200) break;
        if (answer.status === 429 || answer.status === 503) {
          result.refusals += 1;
          await sleep(25 + Math.random() * 50);
        } else if (++failures >= 5) {
          throw new Error(`POST /v1/traces answered ${answer.status}: ${answer.body.toString('utf8', 0, 300)}`);
        }
      }
      result.spans += entry.spanCount;
      result.requests += 1;
      result.protoBytes += body.length;
      result.traces += entry.traces.length;
      // Reservoir sample of known traces, each with its span count and start.
      for (let t = 0; t < entry.traces.length; t++) {
        seen += 1;
        const slot = known.length < KNOWN_IDS_KEPT ? known.length : Math.floor(Math.random() * seen);
        if (slot < KNOWN_IDS_KEPT) {
          known[slot] = { traceId: ids.toString('hex', t * TRACE_ID_BYTES, (t + 1) * TRACE_ID_BYTES), spanCount: entry.traces[t].spanCount };
        }
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: options.senders }, sender));
  const ackMillis = performance.now() - t0;
  http.close();
  const deadline = performance.now() + STORED_TIMEOUT_MILLIS;
  while (true) {
    const samples = await scrape(collector.uiUrl);
    const stored = sumOf(samples, 'tracedock_rows_stored_total', { signal: 'spans' });
    const dropped = sumOf(samples, 'tracedock_rows_dropped_total', { signal: 'spans' });
    if (dropped > 0) throw new Error(`the collector dropped ${dropped} spans`);
    if (stored >= result.spans) break;
    if (performance.now() > deadline) throw new Error(`only ${stored} of ${result.spans} spans stored after ${STORED_TIMEOUT_MILLIS} ms`);
    await sleep(50);
  }
  return { ...result, known, ackMillis, storedMillis: performance.now() - t0 };
}

/**
 * Waits until the service-map rollup job (store/duckdb/edge-rollup-job.ts) has caught up:
 * the fill puts 2 h of spans in minutes, which a live collector would have rolled up as they
 * came, and its catch-up ticks would otherwise share the 2 cores with the measured queries.
 * Caught up: the rolled-up minute count unchanged for longer than the job's idle pause.
 */
async function rollupSettled(collector) {
  const started = performance.now();
  let minutes = -1;
  let unchangedSince = performance.now();
  while (performance.now() - unchangedSince < ROLLUP_QUIET_MILLIS) {
    if (performance.now() - started > ROLLUP_TIMEOUT_MILLIS) throw new Error(`the service-map rollup was still busy after ${ROLLUP_TIMEOUT_MILLIS} ms`);
    const now = sumOf(await scrape(collector.uiUrl), 'tracedock_service_map_rollup_minutes');
    if (now !== minutes) {
      minutes = now;
      unchangedSince = performance.now();
    }
    await sleep(500);
  }
  return { minutes, millis: performance.now() - started };
}

/** The queries, each a function of the call number that returns a path and a check. */
function queries(known, endMs) {
  const startMs = endMs - HOUR_MS;
  const range = `start=${startMs}&end=${endMs}`;
  const pickKnown = (i) => known[(i * 7919) % known.length];
  return {
    traceById: {
      label: 'trace by id',
      path: (i) => `/api/traces/${pickKnown(i).traceId}`,
      check: (body, i) => {
        const expected = pickKnown(i).spanCount;
        if (body.spans.length !== expected) throw new Error(`trace ${pickKnown(i).traceId}: ${body.spans.length} spans, sent ${expected}`);
      },
    },
    searchService: {
      label: 'search by service + 1 h',
      path: (i) => `/api/traces?service=${SERVICES[i % SERVICES.length]}&${range}`,
      check: (body) => {
        if (!Array.isArray(body.traces) || body.traces.length === 0) throw new Error('no trace found by service');
      },
    },
    searchAttr: {
      label: 'search by min duration + attribute, 1 h',
      path: (i) => `/api/traces?minDurationMs=50&attr.http.route=${encodeURIComponent(ROUTES[i % ROUTES.length])}&${range}`,
      check: (body) => {
        if (!Array.isArray(body.traces)) throw new Error('no traces list');
      },
    },
    serviceMap: {
      label: 'service map over 1 h',
      path: () => `/api/service-map?${range}`,
      check: (body) => {
        if (body.nodes.length !== SERVICES.length || body.edges.length === 0) throw new Error(`service map: ${body.nodes.length} nodes, ${body.edges.length} edges`);
      },
    },
    services: {
      label: 'services with p50/p95/p99 over 1 h',
      path: () => `/api/services?${range}`,
      check: (body) => {
        if (body.services.length !== SERVICES.length) throw new Error(`services: ${body.services.length}`);
      },
    },
  };
}

async function callOnce(http, query, i, verify) {
  const answer = await http.get(query.path(i));
  if (answer.status !== 200) throw new Error(`GET ${query.path(i)} answered ${answer.status}: ${answer.body.toString('utf8', 0, 300)}`);
  if (verify) query.check(JSON.parse(answer.body.toString('utf8')), i);
  return answer.millis;
}

async function measureQueries(collector, known, endMs, label, report) {
  const http = openClient(collector.uiUrl, 1);
  const lines = [];
  try {
    for (const [name, query] of Object.entries(queries(known, endMs))) {
      const callsPerRepeat = name === 'traceById' ? options.byIdCalls : options.calls;
      let call = 0;
      for (let w = 0; w < options.warmups; w++) await callOnce(http, query, call++, true);
      const repeats = [];
      const started = performance.now();
      for (let r = 0; r < options.repeats; r++) {
        const samples = [];
        for (let c = 0; c < callsPerRepeat; c++) {
          samples.push(await callOnce(http, query, call, name === 'traceById' ? call < VERIFIED_BY_ID + options.warmups : call === options.warmups));
          call += 1;
          // A slow query ends its repeat early (a repeat's percentiles need a few calls).
          if (samples.length >= MIN_CALLS_PER_REPEAT && (performance.now() - started) / 1000 > options.budgetSeconds) break;
        }
        repeats.push(samples.sort((a, b) => a - b));
        if ((performance.now() - started) / 1000 > options.budgetSeconds) break;
      }
      const calls = repeats.reduce((a, r) => a + r.length, 0);
      if (calls < options.repeats * callsPerRepeat) {
        report.note(`${label} ${name}: ${calls} of ${options.repeats * callsPerRepeat} calls (${repeats.length} repeats) within the ${options.budgetSeconds} s budget`);
      }
      // p50 and p95 per repeat (their spread shows the noise); the tail from all calls
      // pooled, named p99 only when there are enough calls for one (below 100 calls the
      // 99th percentile is the maximum), else max.
      const per = (q) => repeats.map((r) => Number(percentile(r, q).toFixed(2)));
      for (const [q, tag] of [[0.5, 'p50'], [0.95, 'p95']]) {
        report.figure({
          id: `${label}.${name}.${tag}`, group: label, label: `${query.label}, ${tag} per repeat of ${callsPerRepeat} calls`,
          unit: 'ms', values: per(q), digits: 1,
        });
      }
      const all = repeats.flat().sort((a, b) => a - b);
      const tail = all.length >= CALLS_FOR_P99 ? { tag: 'p99', value: percentile(all, 0.99) } : { tag: 'max', value: all[all.length - 1] };
      report.figure({
        id: `${label}.${name}.${tail.tag}`, group: label, label: `${query.label}, ${tail.tag} of all ${all.length} calls`,
        unit: 'ms', values: [Number(tail.value.toFixed(2))], digits: 1, goal: { op: '<=', value: GOALS_MS[name] },
      });
      const line = `${label} ${name.padEnd(14)} ${calls} calls: p50 ${percentile(all, 0.5).toFixed(1)} ms, p95 ${percentile(all, 0.95).toFixed(1)} ms, ${tail.tag} ${tail.value.toFixed(1)} ms (goal ${tail.tag} <= ${GOALS_MS[name]} ms)`;
      console.log(`  ${line}`);
      lines.push(line);
    }
  } finally {
    http.close();
  }
  return lines;
}

async function runSize(size, pool, report) {
  const label = size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`;
  const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-query-'));
  liveDirs.add(dataDir);
  const nodeArgs = values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values.profile, '--cpu-prof-name', `collector-query-${label}.cpuprofile`];
  const collector = await startCollector({
    dataDir,
    cliPath: values.cli,
    nodeArgs,
    args: ['--retention-hours', RETENTION_HOURS, '--log-level', 'info'],
    env: { TRACEDOCK_DOCKER: 'off' },
  });
  const windowMs = options.windowHours * HOUR_MS;
  const endMs = Date.now() - 60_000;
  const windowStartNs = BigInt(endMs - windowMs) * BigInt(NS_PER_MS);
  try {
    const filled = await fill(collector, pool, size, windowStartNs, windowMs * NS_PER_MS);
    const rate = filled.spans / (filled.storedMillis / 1000);
    console.log(
      `  ${label}: ${grouped(filled.spans)} spans in ${grouped(filled.traces)} traces (${grouped(filled.requests)} requests, ${(filled.protoBytes / 2 ** 20).toFixed(0)} MiB of protobuf) ` +
        `stored in ${(filled.storedMillis / 1000).toFixed(1)} s (${grouped(rate)} spans/s, ${filled.refusals} 429s)`,
    );
    report.figure({ id: `${label}.ingest`, group: label, label: 'fill rate through OTLP/HTTP protobuf (to stored)', unit: 'spans/s', values: [rate] });
    const settled = await rollupSettled(collector);
    console.log(`  ${label}: service-map rollup caught up in ${(settled.millis / 1000).toFixed(1)} s (${settled.minutes} minutes rolled up)`);
    await measureQueries(collector, filled.known, endMs, label, report);
    const stopStarted = performance.now();
    const code = await collector.stop();
    const stopMillis = performance.now() - stopStarted;
    if (code !== 0) throw new Error(`the collector exited with ${code}. Output:\n${collector.output()}`);
    const storedBytes = await folderBytes(dataDir);
    console.log(
      `  ${label}: ${grouped(storedBytes / 2 ** 20)} MiB on disk after a clean stop (${(stopMillis / 1000).toFixed(1)} s): ` +
        `${(storedBytes / filled.spans).toFixed(1)} bytes/span; OTLP protobuf ${(filled.protoBytes / filled.spans).toFixed(0)} bytes/span, ratio ${(filled.protoBytes / storedBytes).toFixed(2)}`,
    );
    report.figure({ id: `${label}.bytesPerSpan`, group: label, label: 'stored bytes per span (data folder after a clean stop)', unit: 'B', values: [storedBytes / filled.spans], digits: 1 });
    report.figure({ id: `${label}.otlpBytesPerSpan`, group: label, label: 'OTLP protobuf bytes per span sent', unit: 'B', values: [filled.protoBytes / filled.spans], digits: 0 });
    report.ratio({ id: `${label}.compression`, group: label, label: 'compression: OTLP protobuf bytes / stored bytes', values: [filled.protoBytes / storedBytes], digits: 2 });
  } catch (error) {
    const gone = collector.exitReason();
    if (gone !== undefined) throw new Error(`${error.message}\nThe collector died (${gone}):\n${collector.output()}`, { cause: error });
    throw error;
  } finally {
    await collector.stop().catch(() => undefined);
    if (!values.keep) {
      await rm(dataDir, { recursive: true, force: true });
      liveDirs.delete(dataDir);
    } else console.log(`  kept ${dataDir}`);
  }
}

async function main() {
  const started = performance.now();
  const report = createReport('query', { quick, params: { ...options, sizes: options.sizes.join(',') } });
  const pool = makeQueryPool({ size: options.poolSize, tracesPerRequest: TRACES_PER_REQUEST });
  const spans = pool.reduce((a, e) => a + e.spanCount, 0);
  console.log(
    `Query latency through the HTTP API; Node ${process.version}. Pool: ${pool.length} requests of ${TRACES_PER_REQUEST} traces, ` +
      `${(spans / (pool.length * TRACES_PER_REQUEST)).toFixed(1)} spans/trace, ${(pool.reduce((a, e) => a + e.bytes.length, 0) / spans).toFixed(0)} protobuf bytes/span, ` +
      `built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const size of options.sizes) await runSize(size, pool, report);
  const seconds = (performance.now() - started) / 1000;
  report.note(`whole run ${seconds.toFixed(0)} s; spans dated over the ${options.windowHours} h before the run, queries over its last hour`);
  console.log(`  done in ${seconds.toFixed(0)} s; report ${await report.write()}`);
}

await main();
