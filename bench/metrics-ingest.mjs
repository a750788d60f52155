/**
 * OTLP metrics ingest end to end: data points/s from the first send until every acknowledged
 * point is stored, over OTLP/HTTP protobuf. The requests are what the official OpenTelemetry JS
 * SDK sends: a MeterProvider (@opentelemetry/sdk-metrics) with gauges, counters and explicit
 * histograms over many attribute sets, collected by a reader and serialised by
 * @opentelemetry/otlp-transformer. Each run starts a fresh collector child process on a
 * file-backed DuckDB in a temp folder; N senders post the pool's requests for a fixed time;
 * then /metrics is polled until tracedock_rows_stored_total{signal="metrics"} reaches what
 * was acknowledged. Also measured in this process: decode-only points per CPU-second.
 * Needs a build (packages/collector/dist).
 *
 *   node bench/metrics-ingest.mjs [--quick] [--runs 3] [--seconds 10] [--senders 4] [--series 20]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { startCollector } from './lib/collector-child.mjs';
import { processCpuSeconds, processMemory } from './lib/proc.mjs';
import { scrape, sumOf } from './lib/prometheus.mjs';
import { createReport } from './lib/report.mjs';
import { grouped, minMedMax } from './lib/stats.mjs';
import { openTransport } from './lib/transports.mjs';

const DIST = new URL('../packages/collector/dist/receivers/otlp/', import.meta.url);
const RETENTION_HOURS = String(24 * 365 * 20);
const STORED_TIMEOUT_MILLIS = 120_000;
const POLL_MILLIS = 20;
const MIB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    senders: { type: 'string', default: '4' },
    series: { type: 'string', default: '20' },
    pool: { type: 'string', default: '20' },
  },
});
const options = {
  runs: Number(values.runs ?? (values.quick ? 1 : 3)),
  seconds: Number(values.seconds ?? (values.quick ? 3 : 10)),
  senders: Number(values.senders),
  series: Number(values.series),
  pool: Number(values.pool),
};

/** A reader that collects on demand: the bench serialises what one collection holds. */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

/** One request per collection: 4 gauges, 4 counters, 2 histograms, each over `series` attribute sets. */
async function buildPool(count, series) {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'bench-metrics' }), readers: [reader] });
  const meter = provider.getMeter('tracedock.bench.metrics', '1.0.0');
  const attrs = Array.from({ length: series }, (_, i) => ({ 'http.route': `/route/${i}`, 'http.request.method': i % 2 === 0 ? 'GET' : 'POST' }));
  const gauges = Array.from({ length: 4 }, (_, g) => meter.createGauge(`bench.gauge.${g}`, { unit: 'By' }));
  const counters = Array.from({ length: 4 }, (_, c) => meter.createCounter(`bench.counter.${c}`, { unit: '{request}' }));
  const histograms = Array.from({ length: 2 }, (_, h) => meter.createHistogram(`bench.histogram.${h}`, { unit: 'ms' }));
  const pool = [];
  for (let n = 0; n < count; n++) {
    for (const a of attrs) {
      for (const gauge of gauges) gauge.record(Math.random() * 1e6, a);
      for (const counter of counters) counter.add(1 + Math.floor(Math.random() * 10), a);
      for (const histogram of histograms) for (let k = 0; k < 5; k++) histogram.record(Math.random() * 500, a);
    }
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new Error(`metric collection failed: ${errors.join('; ')}`);
    const points = resourceMetrics.scopeMetrics.reduce((sum, scope) => sum + scope.metrics.reduce((s, m) => s + m.dataPoints.length, 0), 0);
    pool.push({ proto: ProtobufMetricsSerializer.serializeRequest(resourceMetrics), points });
  }
  await provider.shutdown();
  return pool;
}

function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

async function measureDecode(pool, seconds) {
  const { protoDecoder } = await import(new URL('proto.js', DIST).href);
  const check = protoDecoder.metrics(pool[0].proto);
  if (!check.ok || check.rows.length !== pool[0].points) throw new Error(`decode check failed: ${check.ok ? `${check.rows.length} rows` : check.message}`);
  let points = 0;
  const start = cpuSeconds();
  const wallEnd = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < wallEnd; i = (i + 1) % pool.length) points += protoDecoder.metrics(pool[i].proto).rows.length;
  return points / (cpuSeconds() - start);
}

async function send(transport, pool, seconds, senders) {
  const result = { ackedPoints: 0, refusals: 0, firstSendMillis: performance.now(), lastAckMillis: 0 };
  const deadline = result.firstSendMillis + seconds * 1000;
  let next = 0;
  const sender = async () => {
    while (performance.now() < deadline) {
      const entry = pool[next++ % pool.length];
      const outcome = await transport.send(entry.proto);
      if (outcome.kind === 'ok') {
        result.ackedPoints += entry.points;
        result.lastAckMillis = performance.now();
      } else if (outcome.kind === 'refused') {
        result.refusals += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else throw new Error(`a metrics export failed: ${outcome.status} ${outcome.message}`);
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  return result;
}

async function waitUntilStored(uiUrl, target) {
  const deadline = performance.now() + STORED_TIMEOUT_MILLIS;
  for (;;) {
    const samples = await scrape(uiUrl);
    const stored = sumOf(samples, 'tracedock_rows_stored_total', { signal: 'metrics' });
    const dropped = sumOf(samples, 'tracedock_rows_dropped_total', { signal: 'metrics' });
    if (dropped > 0) throw new Error(`the collector dropped ${dropped} acknowledged metric points`);
    if (stored >= target) return performance.now();
    if (performance.now() > deadline) throw new Error(`only ${stored} of ${target} acknowledged metric points stored`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS));
  }
}

async function run(pool) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-metrics-ingest-'));
  const collector = await startCollector({ dataDir, args: ['--retention-hours', RETENTION_HOURS] });
  const transport = openTransport('http', { otlpHttpUrl: collector.otlpHttpUrl, encoding: 'proto', connections: options.senders, path: '/v1/metrics' });
  try {
    const cpuBefore = processCpuSeconds(collector.pid);
    const sent = await send(transport, pool, options.seconds, options.senders);
    const storedAt = await waitUntilStored(collector.uiUrl, sent.ackedPoints);
    const e2eSeconds = (storedAt - sent.firstSendMillis) / 1000;
    const collectorCpu = processCpuSeconds(collector.pid) - cpuBefore;
    const probe = await fetch(`${collector.uiUrl}/api/metrics/series?name=bench.histogram.0&service=bench-metrics&start=0&end=${Date.now() + 60_000}`);
    if (probe.status !== 200) throw new Error(`GET /api/metrics/series answered ${probe.status}`);
    const series = (await probe.json()).series;
    if (series.length !== options.series) throw new Error(`expected ${options.series} series of bench.histogram.0, the API returned ${series.length}`);
    return {
      ackedPoints: sent.ackedPoints,
      e2eRate: sent.ackedPoints / e2eSeconds,
      refusals: sent.refusals,
      cpuMicrosPerPoint: (1e6 * collectorCpu) / sent.ackedPoints,
      peakRssMiB: processMemory(collector.pid).peakRssBytes / MIB,
    };
  } finally {
    transport.close();
    await collector.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const pool = await buildPool(options.pool, options.series);
  console.log(
    `Metrics ingest end to end: ${options.runs} run(s) x ${options.seconds} s, ${options.senders} senders, ` +
      `${pool[0].points} points per request (~${grouped(pool[0].proto.length)} B protobuf); Node ${process.version}`,
  );
  const decodeRate = await measureDecode(pool, values.quick ? 0.5 : 2);
  const runs = [];
  for (let i = 0; i < options.runs; i++) {
    const result = await run(pool);
    runs.push(result);
    console.log(
      `  run ${i + 1}/${options.runs}: ${grouped(result.e2eRate)} points/s stored, ${grouped(result.ackedPoints)} points, ` +
        `${result.cpuMicrosPerPoint.toFixed(2)} CPU-µs/point, peak RSS ${result.peakRssMiB.toFixed(0)} MiB, 429s ${result.refusals}`,
    );
  }
  console.log(`  end-to-end points/s ${minMedMax(runs.map((r) => r.e2eRate))}; decode-only ${grouped(decodeRate)} points/CPU-s`);
  const report = createReport('metrics-ingest', { quick: values.quick, params: { ...options, pointsPerRequest: pool[0].points } });
  const group = 'OTLP/HTTP protobuf metrics (official JS SDK requests)';
  report.figure({ id: 'e2e', group, label: 'end-to-end data points/s (acknowledged and stored)', unit: 'points/s', values: runs.map((r) => r.e2eRate), digits: 0 });
  report.figure({ id: 'decode', group, label: 'decode-only data points/CPU-s (this process, same requests)', unit: 'points/CPU-s', values: [decodeRate], digits: 0 });
  report.figure({ id: 'cpuPerPoint', group, label: 'collector CPU per data point (all threads)', unit: 'µs', values: runs.map((r) => r.cpuMicrosPerPoint), digits: 2 });
  report.figure({ id: 'peakRss', group, label: 'collector peak RSS (VmHWM)', unit: 'MiB', values: runs.map((r) => r.peakRssMiB), digits: 0 });
  report.note(`Each request: 4 gauges, 4 cumulative counters and 2 explicit-bucket histograms over ${options.series} attribute sets.`);
  console.log(`  report: ${await report.write()}`);
}

await main();
