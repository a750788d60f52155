/**
 * Ingest under a load generator nobody here wrote: telemetrygen, the OpenTelemetry Collector's
 * own (Go SDK: a BatchSpanProcessor in front of the official OTLP exporters, built from its Go
 * module by scripts/build-peers.sh), against tracedock, the OpenTelemetry Collector (otlp → batch
 * → nop: the pass-through ceiling) and Jaeger v2 (Badger), on OTLP/HTTP and OTLP/gRPC, in one run.
 * Each (protocol, target) pair starts the target fresh, runs
 *   telemetrygen traces --workers 4 --rate 0 --child-spans 9 --batch-size 512 --duration 20s
 * (10 spans a trace, 512-span batches, no rate limit: the generator makes spans as fast as it can
 * and its BatchSpanProcessor drops what the exporter cannot send, as a real Go service would),
 * then polls the target's own metrics until everything it received is stored (passed through).
 *
 * Figures per protocol and target: stored spans/s (stored during the load / its duration), CPU
 * µs per span (all threads, /proc), cores, peak RSS. Ratios from the same run: tracedock /
 * otelcol on each protocol (goal >= 1), tracedock / Jaeger, and tracedock gRPC / HTTP (goal >= 0.8).
 *
 *   node bench/telemetrygen.mjs [--quick] [--runs 1] [--seconds 20] [--workers 4]
 *                               [--protocols http,grpc] [--targets tracedock,otelcol,jaeger] [--no-build]
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OTHER_CORES_LABEL, describeOtherCores, otherCores, otherCoresLabel, otherCoresSkewNote } from './lib/other-cpu.mjs';
import { ensurePeersBuilt } from './lib/peer-build.mjs';
import { PEERS_DIR, TARGETS } from './lib/peer-targets.mjs';
import { machineBusyCpuSeconds, processCpuSeconds, processMemory } from './lib/proc.mjs';
import { createReport } from './lib/report.mjs';
import { grouped, median, minMedMax } from './lib/stats.mjs';

const GENERATOR = { label: 'telemetrygen', binary: `${PEERS_DIR}/telemetrygen`, buildName: 'telemetrygen' };
const SPANS_PER_TRACE = 10;
const DONE_POLL_MILLIS = 100;
/** The target is done when what it received is stored and nothing new came for this long. */
const DONE_QUIET_MILLIS = 500;
const DONE_TIMEOUT_MILLIS = 180_000;
const MIB = 1024 * 1024;
const GOAL_VS_OTELCOL = 1;
const GOAL_GRPC_VS_HTTP = 0.8;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    workers: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '512' },
    protocols: { type: 'string', default: 'http,grpc' },
    targets: { type: 'string', default: 'tracedock,otelcol,jaeger' },
    'no-build': { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const options = {
  runs: Number(values.runs ?? 1),
  seconds: Number(values.seconds ?? (quick ? 5 : 20)),
  workers: Number(values.workers),
  batchSize: Number(values['batch-size']),
};
for (const [name, value] of Object.entries(options)) {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${value}`);
}
const protocols = values.protocols.split(',').map((p) => p.trim());
for (const protocol of protocols) {
  if (protocol !== 'http' && protocol !== 'grpc') throw new Error(`--protocols: unknown ${JSON.stringify(protocol)} (http, grpc)`);
}
const wanted = values.targets.split(',').map((t) => t.trim());
for (const name of wanted) {
  if (!(name in TARGETS)) throw new Error(`--targets: unknown ${JSON.stringify(name)} (${Object.keys(TARGETS).join(', ')})`);
}
const notes = [];

function sleep(millis) {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

/** Runs telemetrygen against `endpoint` (host:port); resolves with its exit, CPU seconds and output tail. */
function runGenerator(protocol, endpoint) {
  const args = [
    'traces',
    '--otlp-endpoint', endpoint,
    '--otlp-insecure',
    ...(protocol === 'http' ? ['--otlp-http'] : []),
    '--workers', String(options.workers),
    '--rate', '0',
    '--child-spans', String(SPANS_PER_TRACE - 1),
    '--batch-size', String(options.batchSize),
    '--duration', `${options.seconds}s`,
    '--service', 'telemetrygen',
  ];
  const child = spawn(GENERATOR.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4096);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Its CPU is read while it runs (a zombie's /proc entry still answers; once reaped it is gone).
  let cpuSeconds = 0;
  const sampler = setInterval(() => {
    try {
      cpuSeconds = processCpuSeconds(child.pid);
    } catch {
      // exited between two samples: keep the last reading
    }
  }, 250);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearInterval(sampler);
      resolve({ code, signal, cpuSeconds, output, command: `telemetrygen ${args.join(' ')}` });
    });
  });
}

/** Polls until everything received is done and no new span arrived for DONE_QUIET_MILLIS. */
async function waitUntilDone(running) {
  const deadline = performance.now() + DONE_TIMEOUT_MILLIS;
  let last;
  let quietSince = performance.now();
  while (true) {
    const counts = await running.counts();
    const now = performance.now();
    if (counts.lost > 0) throw new Error(`lost ${counts.lost} received spans (${JSON.stringify(counts)})`);
    if (last === undefined || counts.received !== last.received || counts.done !== last.done) quietSince = now;
    last = counts;
    if (counts.done >= counts.received && now - quietSince >= DONE_QUIET_MILLIS) return counts;
    if (now > deadline) throw new Error(`only ${counts.done} of ${counts.received} received spans done after ${DONE_TIMEOUT_MILLIS} ms`);
    await sleep(DONE_POLL_MILLIS);
  }
}

/**
 * tracedock only: a few of the generator's traces read back through the query API, each with
 * as many distinct spans as the search counted (at most 10: telemetrygen's BatchSpanProcessor
 * drops spans under this load, so a trace may arrive partly).
 */
async function verifyTracedock(running) {
  const response = await fetch(`${running.uiUrl}/api/traces?service=telemetrygen&limit=5`);
  const body = await response.json();
  if (response.status !== 200) throw new Error(`GET /api/traces answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  const traces = Array.isArray(body.traces) ? body.traces : [];
  if (traces.length === 0) throw new Error('VERIFY FAILED: /api/traces?service=telemetrygen found no trace');
  for (const trace of traces) {
    const spans = (await (await fetch(`${running.uiUrl}/api/traces/${trace.traceId}`)).json()).spans ?? [];
    const distinct = new Set(spans.map((span) => span.spanId)).size;
    if (spans.length === 0 || spans.length > SPANS_PER_TRACE || distinct !== spans.length || spans.length !== trace.spanCount) {
      throw new Error(`VERIFY FAILED: trace ${trace.traceId}: search counted ${trace.spanCount} spans, the trace answer has ${spans.length} (${distinct} distinct)`);
    }
  }
  return traces.length;
}

const liveDataDirs = new Set();
process.once('exit', () => {
  for (const dir of liveDataDirs) rmSync(dir, { recursive: true, force: true });
});

async function measure(protocol, name) {
  const dataDir = await mkdtemp(join(tmpdir(), `tracedock-telemetrygen-${name}-`));
  liveDataDirs.add(dataDir);
  const running = await TARGETS[name].start({ dataDir });
  try {
    const endpoint = protocol === 'grpc' ? running.otlpGrpcAddress : new URL(running.otlpHttpUrl).host;
    const cpuBefore = processCpuSeconds(running.pid);
    const machineBefore = machineBusyCpuSeconds();
    const benchBefore = process.cpuUsage();
    const startedAt = performance.now();
    const generator = await runGenerator(protocol, endpoint);
    const loadSeconds = (performance.now() - startedAt) / 1000;
    const atEnd = await running.counts();
    const cpuDuringLoad = processCpuSeconds(running.pid) - cpuBefore;
    const machineDuringLoad = machineBusyCpuSeconds() - machineBefore;
    const bench = process.cpuUsage(benchBefore);
    const benchDuringLoad = (bench.user + bench.system) / 1e6;
    if (generator.code !== 0) {
      throw new Error(`${generator.command} exited with ${generator.code ?? generator.signal}:\n${generator.output}`);
    }
    const counts = await waitUntilDone(running);
    const cpuSeconds = processCpuSeconds(running.pid) - cpuBefore;
    if (counts.done === 0) throw new Error(`${name} stored nothing from ${generator.command}:\n${generator.output}`);
    const verified = name === 'tracedock' ? await verifyTracedock(running) : 0;
    return {
      // What it stored while the load ran, over the load's duration: a backlog stored after the
      // load ended does not count as throughput.
      doneRate: atEnd.done / loadSeconds,
      receivedRate: atEnd.received / loadSeconds,
      spans: counts.done,
      backlog: counts.done - atEnd.done,
      cpuMicrosPerSpan: (1e6 * cpuSeconds) / counts.done,
      cores: cpuDuringLoad / loadSeconds,
      generatorCores: generator.cpuSeconds / loadSeconds,
      // The target, the generator and this process are measured; the rest is others. Not
      // clamped: below 0 is measurement skew (lib/other-cpu.mjs). The generator's CPU is its
      // last reading (every 250 ms), so up to 250 ms of it may count as others.
      otherCores: otherCores({ machineCpuSeconds: machineDuringLoad, measuredCpuSeconds: cpuDuringLoad + generator.cpuSeconds + benchDuringLoad, wallSeconds: loadSeconds }),
      peakRssBytes: processMemory(running.pid).peakRssBytes,
      verified,
    };
  } catch (error) {
    const gone = running.exitReason();
    if (gone === undefined) throw error;
    throw new Error(`${error.message}\n${name} died (${gone}). Its last output:\n${running.output()}`, { cause: error });
  } finally {
    await running.stop();
    await rm(dataDir, { recursive: true, force: true });
    liveDataDirs.delete(dataDir);
  }
}

function describe(r) {
  return (
    `${grouped(r.doneRate)} spans/s done (received ${grouped(r.receivedRate)}/s), ${grouped(r.spans)} spans, backlog ${grouped(r.backlog)}; ` +
    `${r.cpuMicrosPerSpan.toFixed(1)} CPU-µs/span, ${r.cores.toFixed(2)} cores, ${(r.peakRssBytes / MIB).toFixed(0)} MiB peak; ` +
    `telemetrygen ${r.generatorCores.toFixed(2)} cores, others + kernel ${r.otherCores.toFixed(2)}` +
    (r.verified > 0 ? `; ${r.verified} traces read back` : '')
  );
}

const PROTOCOL_LABELS = { http: 'OTLP/HTTP', grpc: 'OTLP/gRPC' };

function addFigures(report, byRun, names) {
  const fixed = (digits) => (v) => v.toFixed(digits);
  const rows = [
    { id: 'done', label: (t) => `${t.done} spans/s`, unit: 'spans/s', fn: (r) => r.doneRate },
    { id: 'cpuPerSpan', label: () => 'CPU per span (all threads)', unit: 'µs', fn: (r) => r.cpuMicrosPerSpan, digits: 1 },
    { id: 'cores', label: () => 'cores busy', unit: 'cores', fn: (r) => r.cores, digits: 2 },
    { id: 'peakRss', label: () => 'peak RSS (VmHWM)', unit: 'MiB', fn: (r) => r.peakRssBytes / MIB, digits: 0 },
    { id: 'generatorCores', label: () => 'telemetrygen cores', unit: 'cores', fn: (r) => r.generatorCores, digits: 2 },
    { id: 'otherCores', label: () => OTHER_CORES_LABEL, unit: 'cores', fn: (r) => r.otherCores, digits: 2 },
  ];
  for (const protocol of protocols) {
    for (const name of names) {
      const runs = byRun.map((run) => run[protocol]?.[name]).filter((r) => r !== undefined);
      if (runs.length === 0) continue;
      const group = `${PROTOCOL_LABELS[protocol]}: ${TARGETS[name].label}`;
      console.log(`  ${group}`);
      for (const row of rows) {
        const list = runs.map(row.fn);
        const label = row.id === 'otherCores' ? otherCoresLabel(list) : row.label(TARGETS[name]);
        report.figure({ id: `${protocol}.${name}.${row.id}`, group, label: `${group}: ${label}`, unit: row.unit, values: list, digits: row.digits });
        console.log(`    ${row.label(TARGETS[name]).padEnd(30)}${minMedMax(list, row.digits ? fixed(row.digits) : undefined)}`);
      }
    }
  }
  const ratios = [];
  for (const protocol of protocols) {
    for (const peer of ['otelcol', 'jaeger']) {
      ratios.push({
        id: `${protocol}.ratio.${peer}`,
        label: `${PROTOCOL_LABELS[protocol]}: tracedock stored / ${TARGETS[peer].label} ${TARGETS[peer].done} spans/s`,
        goal: peer === 'otelcol' ? GOAL_VS_OTELCOL : undefined,
        pick: (run) => run[protocol]?.tracedock && run[protocol]?.[peer] && run[protocol].tracedock.doneRate / run[protocol][peer].doneRate,
      });
    }
  }
  if (protocols.includes('http') && protocols.includes('grpc')) {
    ratios.push({
      id: 'ratio.grpcVsHttp',
      label: 'tracedock stored spans/s, OTLP/gRPC / OTLP/HTTP',
      goal: GOAL_GRPC_VS_HTTP,
      pick: (run) => run.grpc?.tracedock && run.http?.tracedock && run.grpc.tracedock.doneRate / run.http.tracedock.doneRate,
    });
    // The same ratio for the pass-through peer: what the generator's own gRPC exporter allows.
    ratios.push({
      id: 'ratio.otelcolGrpcVsHttp',
      label: `${TARGETS.otelcol.label} passed-through spans/s, OTLP/gRPC / OTLP/HTTP`,
      pick: (run) => run.grpc?.otelcol && run.http?.otelcol && run.grpc.otelcol.doneRate / run.http.otelcol.doneRate,
    });
  }
  console.log('  ratios (per run, then the median)');
  for (const { id, label, goal, pick } of ratios) {
    const list = byRun.map(pick).filter((v) => typeof v === 'number' && Number.isFinite(v));
    if (list.length === 0) continue;
    report.ratio({ id, group: 'tracedock vs peers, telemetrygen load', label, values: list, digits: 2, ...(goal === undefined ? {} : { goal: { op: '>=', value: goal } }) });
    const verdict = goal === undefined ? '' : `  goal >= ${goal}: ${median(list) >= goal ? 'MET' : 'NOT MET'}`;
    console.log(`    ${label.padEnd(84)}${list.map((v) => v.toFixed(2)).join(' ')} -> ${median(list).toFixed(2)}${verdict}`);
  }
}

async function main() {
  console.log(
    `telemetrygen: ${wanted.join(', ')} on ${protocols.join(', ')}; ${options.runs} run(s) x ${options.seconds} s, ` +
      `${options.workers} workers, rate unlimited, ${SPANS_PER_TRACE} spans a trace, ${options.batchSize}-span batches; Node ${process.version}`,
  );
  const targets = { ...TARGETS, telemetrygen: GENERATOR };
  const built = ensurePeersBuilt({ targets, names: [...wanted, 'telemetrygen'], build: !values['no-build'] && !quick });
  notes.push(...built.notes);
  if (!built.runnable.includes('telemetrygen')) throw new Error(`telemetrygen is not built: ${built.notes.join(' ')}`);
  const names = built.runnable.filter((name) => name !== 'telemetrygen');
  const byRun = [];
  for (let run = 0; run < options.runs; run++) {
    const results = {};
    for (const [p, protocol] of protocols.entries()) {
      results[protocol] = {};
      const order = names.map((_, i) => names[(i + run + p) % names.length]);
      for (const name of order) {
        results[protocol][name] = await measure(protocol, name);
        console.log(`  ${PROTOCOL_LABELS[protocol]} ${TARGETS[name].label.padEnd(30)} run ${run + 1}/${options.runs}: ${describe(results[protocol][name])}`);
      }
    }
    byRun.push(results);
  }
  const report = createReport('telemetrygen', {
    quick,
    params: {
      runs: options.runs,
      seconds: options.seconds,
      workers: options.workers,
      rate: 'unlimited',
      spansPerTrace: SPANS_PER_TRACE,
      batchSize: options.batchSize,
      protocols: protocols.join(','),
      targets: names.join(','),
      generator: 'telemetrygen (opentelemetry-collector-contrib/cmd/telemetrygen), built by scripts/build-peers.sh',
    },
  });
  console.log(`\nSummary, min / median / max over ${options.runs} run(s):`);
  addFigures(report, byRun, names);
  notes.push(
    'Stored spans/s = what the target stored (passed through) while telemetrygen ran, over its duration; a backlog stored after the ' +
      "load ended is left out. telemetrygen's BatchSpanProcessor drops the spans its exporter cannot send in time, so spans/s is " +
      'what one Go service with 4 span-making goroutines gets through one exporter.',
  );
  const others = byRun.flatMap((run) => Object.values(run).flatMap((targets) => Object.values(targets).map((r) => r.otherCores)));
  report.note(`${describeOtherCores(others, availableParallelism())}.`);
  const skew = otherCoresSkewNote(others);
  if (skew !== undefined) report.note(skew);
  for (const note of notes) report.note(note);
  const file = await report.write();
  console.log(`\n  report: ${file}`);
}

await main();
