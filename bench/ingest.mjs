/**
 * End-to-end ingest throughput of the collector CLI: spans/s from the first send until every
 * acknowledged span is stored (and so queryable), for OTLP/HTTP protobuf, OTLP/HTTP JSON and
 * OTLP/gRPC. Each run starts a fresh collector child process on a file-backed DuckDB in a
 * temp folder (as users run it), sends 100-span x 10-attribute requests from N concurrent
 * senders for a fixed time, then polls /metrics until tracedock_rows_stored_total{signal=
 * "spans"} reaches what was acknowledged. In the same run it measures decode-only spans/s of
 * the same requests in this process (one core, collector stopped) and prints the ratio.
 * Needs a build (packages/collector/dist): `npx tsc --build`.
 *
 * Figures per encoding, min / median / max over the runs:
 *   end-to-end    acknowledged spans / (all stored - first send)
 *   ack-only      acknowledged spans / (last 200 - first send)
 *   decode-only   spans/s of the collector's decoder over the same requests, one core, in
 *                 this process while no collector runs (wall clock and per CPU-second)
 *   ratio         end-to-end / decode-only per CPU-second (the collector may use both cores)
 *   429s          refused requests (retried after a brief wait); collector peak RSS (VmHWM);
 *                 collector CPU (all threads, and the JS main thread alone); senders' CPU
 * and writes them, one value per run, to bench/results/ingest.json (./lib/report.mjs).
 *
 *   node bench/ingest.mjs [--quick] [--runs 5] [--seconds 10] [--senders 4]
 *                         [--encodings proto,json,grpc,proto-nodedupe] [--client http|fetch]
 *                         [--profile] [--profile-dir DIR] [--cli PATH]
 *                         [--node-args="--max-semi-space-size=4"] [--collector-args="--queue-max-bytes 33554432"]
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCollector } from './lib/collector-child.mjs';
import { formatSummary, summariseProfile } from './lib/cpuprofile.mjs';
import { createReport } from './lib/report.mjs';
import { describeOtherCores, otherCores, otherCoresLabel, otherCoresSkewNote } from './lib/other-cpu.mjs';
import { MAIN_THREAD, machineBusyCpuSeconds, processCpuSeconds, processMemory, threadCpuDelta, threadCpuSeconds } from './lib/proc.mjs';
import { scrape, sumOf } from './lib/prometheus.mjs';
import { makeCounter, runSenders } from './lib/senders.mjs';
import { grouped, median, minMedMax } from './lib/stats.mjs';
import { makeTracePool, traceIdOf } from './lib/trace-pool.mjs';
import { openTransport } from './lib/transports.mjs';

const DIST = new URL('../packages/collector/dist/receivers/otlp/', import.meta.url);
const GOAL_SPANS_PER_SECOND = 100_000;
const GOAL_RATIO = 0.5;
/** Above this much CPU used by other processes, the summary warns that the figures are low. */
const BUSY_MACHINE_CORES = 0.5;
const STORED_POLL_MILLIS = 20;
const STORED_TIMEOUT_MILLIS = 180_000;
/** The bench's spans are dated 2025 (bench/lib/payload.mjs): keep retention off them. */
const RETENTION_HOURS = String(24 * 365 * 20);
/**
 * Span deduplication (pipeline/span-dedupe.ts) is on by default, so every encoding is measured
 * with it; `proto-nodedupe` is the protobuf run with it off, for the ratio of what it costs.
 */
const ENCODINGS = {
  proto: { label: 'OTLP/HTTP protobuf', wire: 'proto', decoder: 'proto', collectorArgs: [] },
  json: { label: 'OTLP/HTTP JSON', wire: 'json', decoder: 'json', collectorArgs: [] },
  grpc: { label: 'OTLP/gRPC', wire: 'proto', decoder: 'proto', collectorArgs: [] },
  'proto-nodedupe': { label: 'OTLP/HTTP protobuf, span dedupe off', wire: 'proto', decoder: 'proto', collectorArgs: ['--span-dedupe-capacity', '0'] },
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    'warmup-seconds': { type: 'string' },
    'decode-seconds': { type: 'string' },
    senders: { type: 'string', default: '4' },
    pool: { type: 'string', default: '200' },
    spans: { type: 'string', default: '100' },
    attrs: { type: 'string', default: '10' },
    services: { type: 'string', default: '5' },
    encodings: { type: 'string', default: 'proto,json,grpc,proto-nodedupe' },
    client: { type: 'string', default: 'http' },
    'retry-wait-ms': { type: 'string', default: '50' },
    verify: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    cli: { type: 'string' },
    'node-args': { type: 'string', default: '' },
    'collector-args': { type: 'string', default: '' },
  },
});

const quick = values.quick;
const options = {
  runs: values.profile ? 1 : Number(values.runs ?? (quick ? 1 : 5)),
  seconds: Number(values.seconds ?? (quick ? 3 : 10)),
  warmupSeconds: Number(values['warmup-seconds'] ?? (quick ? 0.5 : 1)),
  decodeSeconds: Number(values['decode-seconds'] ?? (quick ? 0.5 : 1)),
  senders: Number(values.senders),
  poolSize: Number(values.pool),
  spans: Number(values.spans),
  attrs: Number(values.attrs),
  services: Number(values.services),
  encodings: values.encodings.split(',').map((e) => e.trim()),
  client: values.client,
  retryWaitMillis: Number(values['retry-wait-ms']),
  verify: Number(values.verify),
};
for (const encoding of options.encodings) {
  if (!(encoding in ENCODINGS)) throw new Error(`--encodings: unknown ${JSON.stringify(encoding)} (proto, json, grpc)`);
}
for (const [name, value] of Object.entries(options)) {
  if (typeof value === 'number' && !(value >= 0)) throw new Error(`--${name} must be a non-negative number, got ${value}`);
}

const { protoDecoder } = await import(new URL('proto.js', DIST).href);
const { jsonDecoder } = await import(new URL('json.js', DIST).href);
const DECODERS = { proto: protoDecoder, json: jsonDecoder };

/** '--a 1 --b' -> ['--a', '1', '--b'] (flags handed through to the collector or to node). */
function splitArgs(text) {
  return text.split(' ').filter((part) => part !== '');
}

function sleep(millis) {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

function cpuSecondsOfThisProcess() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const MIB = 1024 * 1024;

/**
 * Decode-only spans/s of `decoder` over the pool's requests in this process: wall-clock and
 * per CPU-second, after a warm-up that lets V8 optimise the decoder.
 */
function measureDecode(decoderName, pool, seconds) {
  const decoder = DECODERS[decoderName];
  const bodies = pool.map((entry) => (decoderName === 'json' ? entry.json : entry.proto));
  const check = decoder.traces(bodies[0]);
  if (!check.ok || check.rows.length !== pool[0].spanCount) {
    throw new Error(`decode check failed: ${check.ok ? `${check.rows.length} rows` : check.message}`);
  }
  const loop = (limitSeconds) => {
    let spans = 0;
    let i = 0;
    const wallStart = performance.now();
    const cpuStart = cpuSecondsOfThisProcess();
    let wall = 0;
    while (wall < limitSeconds) {
      for (let n = 0; n < 20; n++, i = (i + 1) % bodies.length) spans += decoder.traces(bodies[i]).rows.length;
      wall = (performance.now() - wallStart) / 1000;
    }
    return { wallRate: spans / wall, cpuRate: spans / (cpuSecondsOfThisProcess() - cpuStart) };
  };
  loop(Math.min(0.5, seconds));
  return loop(seconds);
}

/** Polls /metrics until `target` spans are stored; resolves with the time it saw them. */
async function waitUntilStored(uiUrl, target) {
  const deadline = performance.now() + STORED_TIMEOUT_MILLIS;
  while (true) {
    const samples = await scrape(uiUrl);
    const now = performance.now();
    const stored = sumOf(samples, 'tracedock_rows_stored_total', { signal: 'spans' });
    const dropped = sumOf(samples, 'tracedock_rows_dropped_total', { signal: 'spans' });
    if (dropped > 0) throw new Error(`the collector dropped ${dropped} acknowledged spans (tracedock_rows_dropped_total)`);
    if (stored >= target) return { storedAtMillis: now, samples };
    if (now > deadline) throw new Error(`only ${stored} of ${target} acknowledged spans stored after ${STORED_TIMEOUT_MILLIS} ms`);
    await sleep(STORED_POLL_MILLIS);
  }
}

/** GETs /api/traces/:id for sampled acknowledged requests; throws when one is not all there. */
async function verifyQueryable(uiUrl, samples) {
  const checked = [];
  for (const { entry, counter } of samples) {
    const traceIndex = Math.floor(Math.random() * entry.traces.length);
    const traceId = traceIdOf(entry, traceIndex, counter);
    const expected = entry.traces[traceIndex].spanCount;
    const response = await fetch(`${uiUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`VERIFY FAILED: GET /api/traces/${traceId} answered ${response.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text);
    const spans = Array.isArray(body.spans) ? body.spans : [];
    const own = spans.filter((span) => span.traceId === traceId).length;
    if (spans.length !== expected || own !== expected) {
      throw new Error(`VERIFY FAILED: trace ${traceId} was acknowledged with ${expected} spans; the API returned ${spans.length} (${own} with that id)`);
    }
    checked.push(`${traceId} (${expected} spans)`);
  }
  return checked;
}

async function folderBytes(dir) {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

/** Data folders of collectors still running, removed even when the bench is interrupted. */
const liveDataDirs = new Set();
process.once('exit', () => {
  for (const dir of liveDataDirs) rmSync(dir, { recursive: true, force: true });
});

/** One fresh collector, a warm-up, the measured send, the wait until stored, the checks. */
async function ingestRun(encodingName, pool, profileDir) {
  const encoding = ENCODINGS[encodingName];
  const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-ingest-'));
  liveDataDirs.add(dataDir);
  const profileArgs = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `collector-${encodingName}.cpuprofile`];
  const nodeArgs = [...splitArgs(values['node-args']), ...profileArgs];
  const collector = await startCollector({
    dataDir,
    cliPath: values.cli,
    nodeArgs,
    args: ['--retention-hours', RETENTION_HOURS, '--log-level', values['log-level'], ...encoding.collectorArgs, ...splitArgs(values['collector-args'])],
  });
  const client = encodingName === 'grpc' ? 'grpc' : options.client;
  const transport = openTransport(client, {
    otlpHttpUrl: collector.otlpHttpUrl,
    otlpGrpcAddress: collector.otlpGrpcAddress,
    encoding: encoding.wire,
    connections: options.senders,
  });
  const nextCounter = makeCounter();
  const common = { transport, pool, encoding: encoding.wire, senders: options.senders, nextCounter, retryWaitMillis: options.retryWaitMillis };
  let result;
  let exitCode;
  try {
    let warmedSpans = 0;
    if (options.warmupSeconds > 0) {
      const warm = await runSenders({ ...common, seconds: options.warmupSeconds, keepSamples: 0 });
      warmedSpans = warm.ackedSpans;
      await waitUntilStored(collector.uiUrl, warmedSpans);
    }
    const collectorCpuBefore = processCpuSeconds(collector.pid);
    const threadsBefore = threadCpuSeconds(collector.pid);
    const senderCpuBefore = cpuSecondsOfThisProcess();
    const machineBefore = machineBusyCpuSeconds();
    const sent = await runSenders({ ...common, seconds: options.seconds, keepSamples: options.verify });
    if (sent.ackedSpans === 0) throw new Error(`no request was acknowledged in ${options.seconds} s (${sent.refusals} refused)`);
    const senderCpuSeconds = cpuSecondsOfThisProcess() - senderCpuBefore;
    const { storedAtMillis, samples } = await waitUntilStored(collector.uiUrl, warmedSpans + sent.ackedSpans);
    const collectorCpuSeconds = processCpuSeconds(collector.pid) - collectorCpuBefore;
    const machineCpuSeconds = machineBusyCpuSeconds() - machineBefore;
    const benchCpuSeconds = cpuSecondsOfThisProcess() - senderCpuBefore;
    const threads = threadCpuDelta(threadsBefore, threadCpuSeconds(collector.pid));
    const mainThread = threads.find((t) => t.name === MAIN_THREAD) ?? { cpuSeconds: NaN, systemSeconds: NaN };
    const memory = processMemory(collector.pid);
    const received = sumOf(samples, 'tracedock_spans_received_total');
    if (received !== warmedSpans + sent.ackedSpans) {
      throw new Error(`the collector counted ${received} spans received; the senders were acknowledged ${warmedSpans + sent.ackedSpans}`);
    }
    const e2eSeconds = (storedAtMillis - sent.firstSendMillis) / 1000;
    const ackSeconds = (sent.lastAckMillis - sent.firstSendMillis) / 1000;
    const verified = await verifyQueryable(collector.uiUrl, sent.samples);
    result = {
      ackedSpans: sent.ackedSpans,
      e2eRate: sent.ackedSpans / e2eSeconds,
      ackRate: sent.ackedSpans / ackSeconds,
      refusals: sent.refusals,
      failures: sent.failures,
      lastFailure: sent.lastFailure,
      e2eSeconds,
      drainSeconds: (storedAtMillis - sent.lastAckMillis) / 1000,
      peakRssBytes: memory.peakRssBytes,
      collectorCpuSeconds,
      collectorCores: collectorCpuSeconds / e2eSeconds,
      mainThreadCores: mainThread.cpuSeconds / e2eSeconds,
      mainThreadSystemShare: mainThread.systemSeconds / mainThread.cpuSeconds,
      threads,
      senderCpuSeconds,
      senderCores: senderCpuSeconds / ackSeconds,
      senderMicrosPerRequest: (1e6 * senderCpuSeconds) / sent.ackedRequests,
      // Everything else the machine ran meanwhile (other users of the cores, the kernel): the
      // noise behind a slow run. Not clamped: below 0 is measurement skew (lib/other-cpu.mjs).
      otherCores: otherCores({ machineCpuSeconds, measuredCpuSeconds: collectorCpuSeconds + benchCpuSeconds, wallSeconds: e2eSeconds }),
      verified,
    };
  } catch (error) {
    const gone = collector.exitReason();
    if (gone === undefined) throw error;
    throw new Error(`${error.message}\nThe collector died (${gone}). Its last output:\n${collector.output()}`, { cause: error });
  } finally {
    transport.close();
    exitCode = await collector.stop();
    if (result !== undefined) result.storeBytes = await folderBytes(dataDir).catch(() => NaN);
    await rm(dataDir, { recursive: true, force: true });
    liveDataDirs.delete(dataDir);
  }
  if (exitCode !== 0) throw new Error(`the collector exited with code ${exitCode} after SIGTERM. Output:\n${collector.output()}`);
  return result;
}

function describeRun(r, decode) {
  const topThreads = r.threads
    .filter((t) => t.cpuSeconds > 0.05 * r.collectorCpuSeconds)
    .map((t) => `${t.name}${t.threads > 1 ? `x${t.threads}` : ''} ${(t.cpuSeconds / r.e2eSeconds).toFixed(2)}`)
    .join(', ');
  return (
    `e2e ${grouped(r.e2eRate)} spans/s, ack ${grouped(r.ackRate)}, decode ${grouped(decode.cpuRate)}/CPU-s, ratio ${(r.e2eRate / decode.cpuRate).toFixed(2)}; ` +
    `${grouped(r.ackedSpans)} spans, drain ${r.drainSeconds.toFixed(2)} s, 429s ${r.refusals}; ` +
    `collector ${(r.peakRssBytes / MIB).toFixed(0)} MiB peak, ${r.collectorCores.toFixed(2)} cores (${topThreads}), ` +
    `${((1e6 * r.collectorCpuSeconds) / r.ackedSpans).toFixed(1)} CPU-µs/span; ` +
    `senders ${r.senderCores.toFixed(2)} cores; others + kernel ${r.otherCores.toFixed(2)} cores` +
    (r.failures > 0 ? `; ${r.failures} failed sends (retried; last ${r.lastFailure})` : '')
  );
}

function printSummary(results) {
  const names = options.encodings;
  const LABEL_WIDTH = 34;
  const col = (text) => String(text).padEnd(30);
  const row = (label, pick, format) =>
    console.log(`  ${label.padEnd(LABEL_WIDTH)}${names.map((n) => col(minMedMax(results[n].map(pick), format))).join('')}`);
  const fixed = (digits) => (v) => v.toFixed(digits);
  console.log('');
  console.log(
    `Summary, min / median / max over ${options.runs} run(s) of ${options.seconds} s, ${options.senders} senders (${options.client} client for OTLP/HTTP), ` +
      `${options.spans} spans x ${options.attrs} attributes per request:`,
  );
  console.log(`  ${''.padEnd(LABEL_WIDTH)}${names.map((n) => col(ENCODINGS[n].label)).join('')}`);
  row('end-to-end spans/s', (r) => r.run.e2eRate);
  row('acknowledge-only spans/s', (r) => r.run.ackRate);
  row('decode-only spans/s (1 core)', (r) => r.decode.wallRate);
  row('decode-only spans/CPU-s', (r) => r.decode.cpuRate);
  row('ratio end-to-end / decode CPU-s', (r) => r.run.e2eRate / r.decode.cpuRate, fixed(2));
  row('429s (refused, retried)', (r) => r.run.refusals);
  row('collector peak RSS MiB', (r) => r.run.peakRssBytes / MIB, fixed(0));
  row('collector CPU s (all threads)', (r) => r.run.collectorCpuSeconds, fixed(1));
  row('collector CPU µs per span', (r) => (1e6 * r.run.collectorCpuSeconds) / r.run.ackedSpans, fixed(1));
  row('collector cores busy', (r) => r.run.collectorCores, fixed(2));
  row('  of which JS main thread', (r) => r.run.mainThreadCores, fixed(2));
  row('  main thread time in kernel', (r) => 100 * r.run.mainThreadSystemShare, (v) => `${v.toFixed(0)}%`);
  row('senders CPU s', (r) => r.run.senderCpuSeconds, fixed(1));
  row('senders cores busy', (r) => r.run.senderCores, fixed(2));
  row('senders CPU µs per request', (r) => r.run.senderMicrosPerRequest, fixed(0));
  row('other processes + kernel, cores', (r) => r.run.otherCores, fixed(2));
  row('store bytes per span', (r) => r.run.storeBytes / r.run.ackedSpans, fixed(0));
  console.log('');
  const others = median(names.flatMap((n) => results[n].map((r) => r.run.otherCores)));
  if (others > BUSY_MACHINE_CORES) {
    console.log(`  WARNING: other processes kept ${others.toFixed(2)} of the cores busy (median): these figures are low; rerun on a quieter machine.`);
  }
  for (const name of names) {
    const e2e = median(results[name].map((r) => r.run.e2eRate));
    const ratio = median(results[name].map((r) => r.run.e2eRate / r.decode.cpuRate));
    console.log(
      `  goal ${ENCODINGS[name].label.padEnd(20)} end-to-end >= ${grouped(GOAL_SPANS_PER_SECOND)} spans/s: ` +
        `${e2e >= GOAL_SPANS_PER_SECOND ? 'MET' : 'NOT MET'} (median ${grouped(e2e)}, ${(e2e / GOAL_SPANS_PER_SECOND).toFixed(2)}x); ` +
        `ratio >= ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'MET' : 'NOT MET'} (median ${ratio.toFixed(2)})`,
    );
  }
}

/** The figures of printSummary() as a bench report (bench/lib/report.mjs), one value per run. */
async function writeReport(results) {
  const report = createReport('ingest', {
    quick,
    params: {
      runs: options.runs,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      senders: options.senders,
      client: options.client,
      spansPerRequest: options.spans,
      attributesPerSpan: options.attrs,
      pool: options.poolSize,
      encodings: options.encodings.join(','),
      profile: values.profile,
      cli: values.cli ?? 'packages/collector/dist/cli.js',
      nodeArgs: values['node-args'],
      collectorArgs: values['collector-args'],
    },
  });
  for (const name of options.encodings) {
    const runs = results[name];
    const group = ENCODINGS[name].label;
    const pick = (fn) => runs.map(fn);
    report.figure({ id: `${name}.e2e`, group, label: 'end-to-end spans/s (acknowledged and stored)', unit: 'spans/s',
      values: pick((r) => r.run.e2eRate), goal: { op: '>=', value: GOAL_SPANS_PER_SECOND }, digits: 0 });
    report.figure({ id: `${name}.ack`, group, label: 'acknowledge-only spans/s', unit: 'spans/s', values: pick((r) => r.run.ackRate), digits: 0 });
    report.figure({ id: `${name}.decode`, group, label: 'decode-only spans/CPU-s (1 core, same requests)', unit: 'spans/CPU-s',
      values: pick((r) => r.decode.cpuRate), digits: 0 });
    report.ratio({ id: `${name}.ratio`, group, label: 'end to end / decode-only per CPU-s', values: pick((r) => r.run.e2eRate / r.decode.cpuRate),
      goal: { op: '>=', value: GOAL_RATIO }, digits: 2 });
    report.figure({ id: `${name}.cpuPerSpan`, group, label: 'collector CPU per span (all threads)', unit: 'µs',
      values: pick((r) => (1e6 * r.run.collectorCpuSeconds) / r.run.ackedSpans), digits: 1 });
    report.figure({ id: `${name}.cores`, group, label: 'collector cores busy', unit: 'cores', values: pick((r) => r.run.collectorCores), digits: 2 });
    report.figure({ id: `${name}.peakRss`, group, label: 'collector peak RSS (VmHWM)', unit: 'MiB', values: pick((r) => r.run.peakRssBytes / MIB), digits: 0 });
    report.figure({ id: `${name}.refusals`, group, label: '429s per run (refused, resent)', unit: 'requests', values: pick((r) => r.run.refusals), digits: 0 });
    const otherRuns = pick((r) => r.run.otherCores);
    report.figure({ id: `${name}.otherCores`, group, label: otherCoresLabel(otherRuns), unit: 'cores', values: otherRuns, digits: 2 });
  }
  if (results.proto !== undefined && results['proto-nodedupe'] !== undefined) {
    const runs = Math.min(results.proto.length, results['proto-nodedupe'].length);
    const pairs = Array.from({ length: runs }, (_, i) => [results.proto[i].run, results['proto-nodedupe'][i].run]);
    report.ratio({ id: 'dedupe.e2eRatio', group: 'Span deduplication', label: 'end-to-end spans/s, dedupe on / off (same run, protobuf)',
      values: pairs.map(([on, off]) => on.e2eRate / off.e2eRate), digits: 2 });
    report.figure({ id: 'dedupe.cpuPerSpan', group: 'Span deduplication', label: 'collector CPU per span added by dedupe', unit: 'µs',
      values: pairs.map(([on, off]) => (1e6 * on.collectorCpuSeconds) / on.ackedSpans - (1e6 * off.collectorCpuSeconds) / off.ackedSpans), digits: 2 });
  }
  const others = options.encodings.flatMap((n) => results[n].map((r) => r.run.otherCores));
  report.note(
    describeOtherCores(others, availableParallelism()) +
      (median(others) > BUSY_MACHINE_CORES ? ': wall-clock figures are low; CPU µs per span is the figure to compare.' : '.'),
  );
  const skew = otherCoresSkewNote(others);
  if (skew !== undefined) report.note(skew);
  report.note('Ratio: end-to-end spans/s over decode-only spans per CPU-second of the same requests, measured in the same run.');
  if (values.profile) report.note('Run under node --cpu-prof: figures are slowed by the profiler.');
  if (values.cli !== undefined) report.note(`Collector CLI: ${values.cli} (not this tree's build).`);
  if (values['node-args'] !== '') report.note(`Collector started with node ${values['node-args']}.`);
  if (values['collector-args'] !== '') report.note(`Collector flags: ${values['collector-args']}.`);
  const file = await report.write();
  console.log(`\n  report: ${file}`);
}

async function main() {
  console.log(
    `Ingest end to end: fresh collector per run (file-backed DuckDB in a temp folder), ${options.senders} senders, ` +
      `${options.runs} run(s) x ${options.seconds} s (+${options.warmupSeconds} s warm-up) per encoding, ` +
      `${options.spans} spans x ${options.attrs} attributes per request; Node ${process.version}`,
  );
  const poolStart = performance.now();
  const pool = makeTracePool({ size: options.poolSize, spans: options.spans, attrs: options.attrs, services: options.services });
  console.log(
    `  pool: ${pool.length} distinct requests built in ${((performance.now() - poolStart) / 1000).toFixed(1)} s ` +
      `(protobuf ~${grouped(pool[0].proto.length)} B, JSON ~${grouped(pool[0].json.length)} B each; trace ids re-stamped on every send)`,
  );
  const profileDir = values.profile ? (values['profile-dir'] ?? (await mkdtemp(join(tmpdir(), 'tracedock-profile-')))) : undefined;
  if (profileDir !== undefined) console.log(`  profiling the collector (--cpu-prof) into ${profileDir}: figures are slowed by the profiler`);

  const results = Object.fromEntries(options.encodings.map((name) => [name, []]));
  const allVerified = [];
  for (let run = 0; run < options.runs; run++) {
    // Rotate the order so that slow minutes on a shared machine fall on every encoding alike.
    const order = options.encodings.map((_, i) => options.encodings[(i + run) % options.encodings.length]);
    for (const name of order) {
      const decode = measureDecode(ENCODINGS[name].decoder, pool, options.decodeSeconds);
      const result = await ingestRun(name, pool, profileDir);
      results[name].push({ run: result, decode });
      allVerified.push(...result.verified.map((v) => `${ENCODINGS[name].label}: ${v}`));
      console.log(`  ${ENCODINGS[name].label.padEnd(20)} run ${run + 1}/${options.runs}: ${describeRun(result, decode)}`);
    }
  }
  printSummary(results);
  await writeReport(results);
  const lastVerified = allVerified.slice(-options.verify * options.encodings.length);
  console.log(`\n  verified queryable via GET /api/traces/:id (${allVerified.length} in all; last run's):`);
  for (const line of lastVerified) console.log(`    ${line}`);

  if (profileDir !== undefined) {
    for (const name of options.encodings) {
      const file = join(profileDir, `collector-${name}.cpuprofile`);
      console.log(`\n  CPU profile of the collector, ${ENCODINGS[name].label} (${file}):`);
      for (const line of formatSummary(summariseProfile(JSON.parse(await readFile(file, 'utf8'))))) console.log(`  ${line}`);
    }
  }
}

await main();
