/**
 * The embedded DuckDB store (packages/collector/dist — build first: `npx tsc --build`):
 *   - append rate: span rows/s through writeSpans, 10 attributes per span, batches as the
 *     collector's batcher sends them, into a fresh file per size;
 *   - query latency at the largest size: trace by id, services with percentiles, trace
 *     search, service map (p50/p99 over repeated calls).
 * Row generation is outside the timed part; JSON encoding of attributes is inside (the
 * store does it). Each size runs in its own fresh database in a temp folder.
 *
 * The figures go to bench/results/store.json (lib/report.mjs). `--quick`: 100k spans,
 * 50 lookups, 5 repeats. The HTTP API over the real ingest path: bench/query.mjs.
 *
 *   node bench/store.mjs [--quick] [--sizes 100000,1000000] [--batch 10000] [--lookups 200] [--repeats 20]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createReport } from './lib/report.mjs';
import { BASE_NS, SPANS_PER_TRACE, TRACE_GAP_NS, makeBatch, random } from './lib/span-batch.mjs';

const DIST = new URL('../packages/collector/dist/store/duckdb/', import.meta.url);
const { DuckDbStore } = await import(new URL('DuckDbStore.js', DIST).href);

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    batch: { type: 'string', default: '10000' },
    lookups: { type: 'string' },
    repeats: { type: 'string' },
  },
});
const quick = values.quick;
values.sizes ??= quick ? '100000' : '100000,1000000';
values.lookups ??= quick ? '50' : '200';
values.repeats ??= quick ? '5' : '20';
const SIZES = values.sizes.split(',').map(Number);
const BATCH = Number(values.batch);

function percentiles(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50Ms: +at(0.5).toFixed(2), p99Ms: +at(0.99).toFixed(2), n: sorted.length, samples: samplesMs };
}

async function timeEach(count, call) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call(i);
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

async function runSize(size, withQueries) {
  const dir = await mkdtemp(join(tmpdir(), 'tracedock-bench-'));
  const path = join(dir, 'tracedock.duckdb');
  const store = new DuckDbStore({ path });
  await store.start();
  const traceIds = [];
  let writeMs = 0;
  for (let first = 0; first < size; first += BATCH) {
    const rows = makeBatch(first, Math.min(BATCH, size - first), traceIds);
    const t0 = performance.now();
    const result = await store.writeSpans(rows);
    writeMs += performance.now() - t0;
    if (!result.ok) throw result.error;
  }
  const stats = await store.stats();
  const report = {
    spans: size, batch: BATCH, attributesPerSpan: 10,
    appendSpansPerSecond: Math.round(size / (writeMs / 1000)),
    storeSizeMiB: +(stats.sizeBytes / 2 ** 20).toFixed(1),
  };
  if (withQueries) {
    const all = { startNs: BASE_NS, endNs: BASE_NS + BigInt(size) * TRACE_GAP_NS };
    const last15s = { startNs: all.endNs / TRACE_GAP_NS * TRACE_GAP_NS - 15_000_000_000n, endNs: all.endNs };
    const repeats = Number(values.repeats);
    report.getTraceSpans = await timeEach(Number(values.lookups), async () => {
      const spans = await store.getTraceSpans(traceIds[Math.floor(random() * traceIds.length)]);
      if (spans.length !== SPANS_PER_TRACE) throw new Error(`trace had ${spans.length} spans`);
    });
    report.listServicesAll = await timeEach(repeats, () => store.listServices(all));
    report.searchTracesAll = await timeEach(repeats, () => store.searchTraces({ ...all, limit: 20 }));
    report.searchTracesLast15s = await timeEach(repeats, () => store.searchTraces({ ...last15s, limit: 20 }));
    report.searchTracesFiltered = await timeEach(repeats, () => store.searchTraces({
      ...all, limit: 20, service: 'inventory', status: 'error', attributes: { 'http.request.method': 'POST' },
    }));
    report.serviceMapAll = await timeEach(repeats, () => store.serviceMap(all));
  }
  const t0 = performance.now();
  await store.shutdown();
  report.shutdownMs = Math.round(performance.now() - t0);
  report.fileMiB = +((await stat(path)).size / 2 ** 20).toFixed(1);
  const t1 = performance.now();
  const reopened = new DuckDbStore({ path });
  await reopened.start();
  report.reopenMs = Math.round(performance.now() - t1);
  await reopened.shutdown();
  await rm(dir, { recursive: true, force: true });
  return report;
}

const QUERY_LABELS = {
  getTraceSpans: 'getTraceSpans (random known id)',
  listServicesAll: 'listServices, whole range',
  searchTracesAll: 'searchTraces, whole range, limit 20',
  searchTracesLast15s: 'searchTraces, last 15 s',
  searchTracesFiltered: 'searchTraces, service + status + attribute',
  serviceMapAll: 'serviceMap, whole range',
};

const largest = Math.max(...SIZES);
const report = createReport('store', { quick, params: { sizes: values.sizes, batch: BATCH, lookups: Number(values.lookups), repeats: Number(values.repeats) } });
for (const size of SIZES) {
  const result = await runSize(size, size === largest);
  const label = size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`;
  report.figure({ id: `${label}.append`, group: label, label: 'writeSpans rows/s (10 attributes)', unit: 'rows/s', values: [result.appendSpansPerSecond] });
  report.figure({ id: `${label}.fileMiB`, group: label, label: 'file after shutdown', unit: 'MiB', values: [result.fileMiB] });
  report.figure({ id: `${label}.bytesPerSpan`, group: label, label: 'file bytes per span', unit: 'B', values: [(result.fileMiB * 2 ** 20) / size], digits: 1 });
  for (const [key, name] of Object.entries(QUERY_LABELS)) {
    if (result[key] === undefined) continue;
    report.figure({ id: `${label}.${key}`, group: label, label: `${name}, per call`, unit: 'ms', values: result[key].samples, digits: 2 });
    report.figure({ id: `${label}.${key}.p99`, group: label, label: `${name}, p99`, unit: 'ms', values: [result[key].p99Ms], digits: 2 });
    delete result[key].samples;
  }
  console.log(JSON.stringify(result));
}
console.log(`report ${await report.write()}`);
