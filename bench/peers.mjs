/**
 * Ingest against real peers, same payload, same senders, same run: the tracedock collector
 * (stored, queryable), the OpenTelemetry Collector built from its Go modules (otlp → batch →
 * nop: stores nothing, the pass-through ceiling of a Go collector) and Jaeger v2 all-in-one
 * with Badger (stored, queryable). Each run starts every target fresh, in an order that
 * rotates run to run, on 127.0.0.1 with its storage in a new temp folder; 4 senders POST
 * 100-span x 10-attribute OTLP/HTTP protobuf requests with trace ids never sent before
 * (./lib/trace-pool.mjs, ./lib/senders.mjs) for a fixed time after a warm-up, then the bench
 * polls each target's own metrics until all it acknowledged is stored (passed through), and
 * GETs sampled trace ids from the query API of tracedock and Jaeger.
 * Peers are built by scripts/build-peers.sh, which this calls first (instant when up to date).
 *
 * Figures per target, min / median / max over the runs: stored (passed-through) spans/s,
 * acknowledged spans/s, CPU µs per span and cores (all threads, /proc), peak RSS (VmHWM).
 * Ratios per run: tracedock stored / Jaeger stored (goal >= 2), tracedock stored / otelcol
 * passed through (goal >= 1), and the peers' CPU per span over tracedock's.
 *
 *   node bench/peers.mjs [--quick] [--runs 5] [--seconds 10] [--targets tracedock,otelcol,jaeger]
 *                        [--senders 4] [--no-build] [--otelcol-config FILE] [--jaeger-config FILE]
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeOtherCores, otherCores, otherCoresSkewNote } from './lib/other-cpu.mjs';
import { ensurePeersBuilt } from './lib/peer-build.mjs';
import { addPeerFigures } from './lib/peer-report.mjs';
import { PEERS_DIR, TARGETS } from './lib/peer-targets.mjs';
import { machineBusyCpuSeconds, processCpuSeconds, processMemory } from './lib/proc.mjs';
import { createReport } from './lib/report.mjs';
import { makeCounter, runSenders } from './lib/senders.mjs';
import { grouped } from './lib/stats.mjs';
import { makeTracePool } from './lib/trace-pool.mjs';
import { openTransport } from './lib/transports.mjs';

const DONE_POLL_MILLIS = 20;
const DONE_TIMEOUT_MILLIS = 180_000;
/** Lines of a start-up failure quoted in the report. */
const START_ERROR_LINES = 12;
const MIB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    'warmup-seconds': { type: 'string' },
    targets: { type: 'string', default: 'tracedock,otelcol,jaeger' },
    senders: { type: 'string', default: '4' },
    pool: { type: 'string', default: '200' },
    spans: { type: 'string', default: '100' },
    attrs: { type: 'string', default: '10' },
    services: { type: 'string', default: '5' },
    'retry-wait-ms': { type: 'string', default: '50' },
    verify: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    'otelcol-config': { type: 'string' },
    'jaeger-config': { type: 'string' },
  },
});

const quick = values.quick;
const options = {
  runs: Number(values.runs ?? (quick ? 1 : 5)),
  seconds: Number(values.seconds ?? (quick ? 3 : 10)),
  warmupSeconds: Number(values['warmup-seconds'] ?? (quick ? 0.5 : 1)),
  senders: Number(values.senders),
  poolSize: Number(values.pool),
  spans: Number(values.spans),
  attrs: Number(values.attrs),
  services: Number(values.services),
  retryWaitMillis: Number(values['retry-wait-ms']),
  verify: Number(values.verify),
};
for (const [name, value] of Object.entries(options)) {
  if (!(value >= 0)) throw new Error(`--${name} must be a non-negative number, got ${value}`);
}
const wanted = values.targets.split(',').map((t) => t.trim());
for (const name of wanted) {
  if (!(name in TARGETS)) throw new Error(`--targets: unknown ${JSON.stringify(name)} (${Object.keys(TARGETS).join(', ')})`);
}
/** Another config file for a peer (same ${env:PEER_...} placeholders), to try a variant. */
const configFiles = { otelcol: values['otelcol-config'], jaeger: values['jaeger-config'] };
/** Lines for report.note(): builds, failures, noise. */
const notes = [];
let verifyFailed = false;

function sleep(millis) {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

function cpuSecondsOfThisProcess() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Polls the target's counts until `target` spans are done; resolves with the time it saw them. */
async function waitUntilDone(running, target) {
  const deadline = performance.now() + DONE_TIMEOUT_MILLIS;
  while (true) {
    const counts = await running.counts();
    const now = performance.now();
    if (counts.lost > 0) throw new Error(`${running.name ?? 'tracedock'} lost ${counts.lost} acknowledged spans (${JSON.stringify(counts)})`);
    if (counts.done >= target) return { doneAtMillis: now, counts };
    if (now > deadline) throw new Error(`only ${counts.done} of ${target} acknowledged spans done after ${DONE_TIMEOUT_MILLIS} ms`);
    await sleep(DONE_POLL_MILLIS);
  }
}

/** Data folders of targets still running, removed even when the bench is interrupted. */
const liveDataDirs = new Set();
process.once('exit', () => {
  for (const dir of liveDataDirs) rmSync(dir, { recursive: true, force: true });
});

/** One fresh target, a warm-up, the measured send, the wait until done, the checks. */
async function measure(name, pool) {
  const dataDir = await mkdtemp(join(tmpdir(), `tracedock-peers-${name}-`));
  liveDataDirs.add(dataDir);
  let running;
  try {
    running = await TARGETS[name].start({ dataDir, configFile: configFiles[name] });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    liveDataDirs.delete(dataDir);
    throw Object.assign(error, { startFailed: true });
  }
  const transport = openTransport('http', { otlpHttpUrl: running.otlpHttpUrl, encoding: 'proto', connections: options.senders });
  const common = { transport, pool, encoding: 'proto', senders: options.senders, nextCounter: makeCounter(), retryWaitMillis: options.retryWaitMillis };
  let result;
  let exitCode;
  try {
    let warmedSpans = 0;
    if (options.warmupSeconds > 0) {
      warmedSpans = (await runSenders({ ...common, seconds: options.warmupSeconds, keepSamples: 0 })).ackedSpans;
      await waitUntilDone(running, warmedSpans);
    }
    const cpuBefore = processCpuSeconds(running.pid);
    const senderCpuBefore = cpuSecondsOfThisProcess();
    const machineBefore = machineBusyCpuSeconds();
    const sent = await runSenders({ ...common, seconds: options.seconds, keepSamples: options.verify });
    if (sent.ackedSpans === 0) throw new Error(`no request was acknowledged in ${options.seconds} s (${sent.refusals} refused; last failure ${sent.lastFailure})`);
    const total = warmedSpans + sent.ackedSpans;
    const { doneAtMillis, counts } = await waitUntilDone(running, total);
    const cpuSeconds = processCpuSeconds(running.pid) - cpuBefore;
    const machineCpuSeconds = machineBusyCpuSeconds() - machineBefore;
    const benchCpuSeconds = cpuSecondsOfThisProcess() - senderCpuBefore;
    const memory = processMemory(running.pid);
    if (counts.received !== total) throw new Error(`${name} counted ${counts.received} spans received; the senders were acknowledged ${total}`);
    const doneSeconds = (doneAtMillis - sent.firstSendMillis) / 1000;
    const verified = await running.verify(sent.samples).catch((error) => {
      verifyFailed = true;
      console.log(`  ${error.message}`);
      return [`FAILED: ${error.message}`];
    });
    result = {
      ackedSpans: sent.ackedSpans,
      doneRate: sent.ackedSpans / doneSeconds,
      ackRate: sent.ackedSpans / ((sent.lastAckMillis - sent.firstSendMillis) / 1000),
      drainSeconds: (doneAtMillis - sent.lastAckMillis) / 1000,
      refusals: sent.refusals,
      failures: sent.failures,
      cpuSeconds,
      cpuMicrosPerSpan: (1e6 * cpuSeconds) / sent.ackedSpans,
      cores: cpuSeconds / doneSeconds,
      peakRssBytes: memory.peakRssBytes,
      senderCores: (cpuSecondsOfThisProcess() - senderCpuBefore) / doneSeconds,
      // Not clamped: below 0 is measurement skew (lib/other-cpu.mjs).
      otherCores: otherCores({ machineCpuSeconds, measuredCpuSeconds: cpuSeconds + benchCpuSeconds, wallSeconds: doneSeconds }),
      verified,
    };
  } catch (error) {
    const gone = running.exitReason();
    if (gone === undefined) throw error;
    throw new Error(`${error.message}\n${name} died (${gone}). Its last output:\n${running.output()}`, { cause: error });
  } finally {
    transport.close();
    exitCode = await running.stop();
    await rm(dataDir, { recursive: true, force: true });
    liveDataDirs.delete(dataDir);
  }
  // Go peers exit 0 on SIGTERM; the tracedock CLI too, after draining its queue.
  if (exitCode !== 0) notes.push(`${TARGETS[name].label} exited with code ${exitCode} after SIGTERM.`);
  return result;
}

function describe(r, name) {
  return (
    `${TARGETS[name].done} ${grouped(r.doneRate)} spans/s, ack ${grouped(r.ackRate)}; ${grouped(r.ackedSpans)} spans, ` +
    `drain ${r.drainSeconds.toFixed(2)} s, 429s ${r.refusals}; ${r.cpuMicrosPerSpan.toFixed(1)} CPU-µs/span, ` +
    `${r.cores.toFixed(2)} cores, ${(r.peakRssBytes / MIB).toFixed(0)} MiB peak; senders ${r.senderCores.toFixed(2)} cores; ` +
    `others + kernel ${r.otherCores.toFixed(2)} cores` +
    (r.verified.length > 0 ? `; verified ${r.verified.length}` : '')
  );
}

async function writeReport(names, byRun) {
  const report = createReport('peers', {
    quick,
    params: {
      runs: options.runs,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      senders: options.senders,
      client: 'http',
      encoding: 'OTLP/HTTP protobuf',
      spansPerRequest: options.spans,
      attributesPerSpan: options.attrs,
      pool: options.poolSize,
      targets: names.join(','),
    },
  });
  console.log(`\nSummary, min / median / max over ${options.runs} run(s) of ${options.seconds} s, ${options.senders} senders, OTLP/HTTP protobuf:`);
  addPeerFigures(report, { targets: TARGETS, names, byRun });
  const others = byRun.flatMap((run) => Object.values(run).map((r) => r.otherCores));
  notes.push(`${describeOtherCores(others, availableParallelism())}; CPU µs per span is the figure that survives a busy machine.`);
  const skew = otherCoresSkewNote(others);
  if (skew !== undefined) notes.push(skew);
  notes.push(
    'Stored = the target says so on its own metrics: tracedock_rows_stored_total (DuckDB transaction committed), ' +
      "Jaeger's otelcol_exporter_sent_spans for jaeger_storage_exporter (Badger write returned; Badger's default, no fsync per write); " +
      "otelcol: the sum of the batch processor's batch_send_size (handed to the nop exporter). Sampled trace ids are read back from tracedock's and Jaeger's query APIs.",
  );
  for (const name of names) {
    const stamp = TARGETS[name].buildName === undefined ? undefined : join(PEERS_DIR, `${TARGETS[name].buildName}.stamp`);
    const config = configFiles[name] === undefined ? TARGETS[name].config : `${configFiles[name]} (--${name}-config)`;
    if (stamp !== undefined && existsSync(stamp)) notes.push(`${TARGETS[name].label}: ${config}; built from ${readFileSync(stamp, 'utf8').trim()}.`);
  }
  for (const note of notes) report.note(note);
  const file = await report.write();
  console.log(`\n  report: ${file}`);
}

async function main() {
  console.log(
    `Peers: ${wanted.join(', ')}; ${options.runs} run(s) x ${options.seconds} s (+${options.warmupSeconds} s warm-up) each, ` +
      `${options.senders} senders, OTLP/HTTP protobuf, ${options.spans} spans x ${options.attrs} attributes per request; Node ${process.version}`,
  );
  // A build from the Go modules takes 5-15 minutes on 2 cores: --quick (< 5 min for the whole
  // suite) uses peers already built and leaves the build to a full run or scripts/build-peers.sh.
  const built = ensurePeersBuilt({ targets: TARGETS, names: wanted, build: !values['no-build'] && !values.quick });
  notes.push(...built.notes);
  let names = built.runnable;
  const pool = makeTracePool({ size: options.poolSize, spans: options.spans, attrs: options.attrs, services: options.services });
  const byRun = [];
  for (let run = 0; run < options.runs; run++) {
    // Rotate the order so that slow minutes on a shared machine fall on every target alike.
    const order = names.map((_, i) => names[(i + run) % names.length]);
    const results = {};
    for (const name of order) {
      try {
        results[name] = await measure(name, pool);
        console.log(`  ${TARGETS[name].label.padEnd(30)} run ${run + 1}/${options.runs}: ${describe(results[name], name)}`);
      } catch (error) {
        // tracedock must work; a peer that cannot start here is reported, not fatal.
        if (name === 'tracedock' || !error.startFailed) throw error;
        const first = error.message.split('\n').slice(0, START_ERROR_LINES).join(' | ');
        console.log(`  ${name}: could not start, dropped: ${first}`);
        notes.push(`${TARGETS[name].label} was built but could not start: ${first}`);
        names = names.filter((n) => n !== name);
      }
    }
    byRun.push(results);
  }
  await writeReport(wanted.filter((n) => names.includes(n)), byRun);
  const last = byRun.at(-1) ?? {};
  console.log('\n  read back through the query APIs (last run):');
  for (const [name, result] of Object.entries(last)) {
    for (const line of result.verified) console.log(`    ${TARGETS[name].label}: ${line}`);
  }
  if (verifyFailed) {
    console.log('\n  VERIFY FAILED: a sampled acknowledged trace was missing or incomplete (see above)');
    process.exitCode = 1;
  }
}

await main();
