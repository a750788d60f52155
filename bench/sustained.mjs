/**
 * Sustained load on the collector CLI with its Docker part on: a paced 20,000 spans/s
 * (OTLP/HTTP protobuf, 100-span requests, trace ids never sent before) plus 5,000 log
 * records/s (OTLP/HTTP protobuf, 100-record requests) for 5 minutes, while the collector
 * samples a few small containers started for the run. Every 5 s it records the collector's
 * RSS (VmRSS), CPU (all threads) and queue depth. Needs a build (`npx tsc --build`) and,
 * for the Docker part, a reachable engine and the local image tracedock/busybox:local.
 *
 * Figures: peak RSS (goal <= 256 MiB), mean RSS of the first and the last half, the RSS
 * slope over the last half (MiB/min, goal <= 1: flat), mean CPU cores, achieved rates
 * against the target, acknowledged vs stored, dropped rows (goal 0) and 429s.
 *
 *   node bench/sustained.mjs [--quick] [--minutes 5] [--spans-per-second 20000]
 *                            [--logs-per-second 5000] [--containers 5] [--sample-seconds 5]
 *                            [--collector-args="--queue-max-bytes 33554432"] [--node-args="..."] [--cli PATH]
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCollector } from './lib/collector-child.mjs';
import { OTHER_CORES_LABEL, otherCores, otherCoresLabel, otherCoresSkewNote } from './lib/other-cpu.mjs';
import { makeLogsRequest } from './lib/payload.mjs';
import { machineBusyCpuSeconds, processCpuSeconds, processMemory } from './lib/proc.mjs';
import { scrape, sumOf } from './lib/prometheus.mjs';
import { createReport } from './lib/report.mjs';
import { makeCounter, runPaced } from './lib/senders.mjs';
import { grouped, median } from './lib/stats.mjs';
import { largestRequestBytes, makeTracePool, stamp } from './lib/trace-pool.mjs';
import { openTransport } from './lib/transports.mjs';

const DOCKER = '/usr/bin/docker';
const IMAGE = 'tracedock/busybox:local';
const LABEL = 'tracedock.bench=sustained';
const MIB = 1024 * 1024;
const GOAL_PEAK_RSS_MIB = 256;
const GOAL_SLOPE_MIB_PER_MINUTE = 1;
const RECORDS_PER_REQUEST = 100;
const STORED_TIMEOUT_MILLIS = 120_000;
/** The bench's spans and logs are dated 2025 (bench/lib/payload.mjs): keep retention off them. */
const RETENTION_HOURS = String(24 * 365 * 20);

/**
 * The node flags of the collector image (NODE_OPTIONS in packages/collector/Dockerfile): the
 * sustained figures are about the collector as deployed. `--node-args=` runs it bare.
 */
const IMAGE_NODE_OPTIONS = '--max-old-space-size=512 --max-semi-space-size=4';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    'spans-per-second': { type: 'string', default: '20000' },
    'logs-per-second': { type: 'string', default: '5000' },
    containers: { type: 'string', default: '5' },
    'sample-seconds': { type: 'string', default: '5' },
    'max-in-flight': { type: 'string', default: '8' },
    'collector-args': { type: 'string', default: '' },
    'node-args': { type: 'string', default: IMAGE_NODE_OPTIONS },
    'log-level': { type: 'string', default: 'info' },
    cli: { type: 'string' },
  },
});

const quick = values.quick;
const options = {
  minutes: Number(values.minutes ?? (quick ? 0.5 : 5)),
  spansPerSecond: Number(values['spans-per-second']),
  logsPerSecond: Number(values['logs-per-second']),
  containers: Number(values.containers),
  sampleSeconds: Number(values['sample-seconds']),
  maxInFlight: Number(values['max-in-flight']),
};
for (const [name, value] of Object.entries(options)) {
  if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`--${name} must be a non-negative number, got ${value}`);
}
const extraArgs = values['collector-args'].split(' ').filter((a) => a !== '');
const nodeArgs = values['node-args'].split(' ').filter((a) => a !== '');

function sleep(millis) {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

function docker(args, timeoutMillis = 20_000) {
  return execFileSync(DOCKER, args, { encoding: 'utf8', timeout: timeoutMillis, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Why Docker cannot be used here, or undefined when it can. */
function dockerProblem() {
  try {
    docker(['version', '--format', '{{.Server.Version}}'], 10_000);
  } catch (error) {
    return `the Docker engine is not reachable (${DOCKER} version: ${error.message.split('\n')[0]})`;
  }
  try {
    docker(['image', 'inspect', IMAGE], 10_000);
  } catch {
    return `the image ${IMAGE} is missing (nothing can be pulled here; the e2e set-up seeds it)`;
  }
  return undefined;
}

/** Containers started by this run, removed by id however the bench ends. */
const startedContainers = [];
function removeContainers() {
  if (startedContainers.length === 0) return;
  try {
    docker(['rm', '-f', ...startedContainers], 60_000);
  } catch (error) {
    console.error(`  could not remove containers ${startedContainers.join(' ')}: ${error.message}`);
  }
  startedContainers.length = 0;
}
let liveDataDir;
process.once('exit', () => {
  removeContainers();
  if (liveDataDir !== undefined) rmSync(liveDataDir, { recursive: true, force: true });
});

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

const mean = (numbers) => numbers.reduce((s, v) => s + v, 0) / numbers.length;

async function waitUntilStored(uiUrl, spans, logs) {
  const deadline = performance.now() + STORED_TIMEOUT_MILLIS;
  while (true) {
    const samples = await scrape(uiUrl);
    const storedSpans = sumOf(samples, 'tracedock_rows_stored_total', { signal: 'spans' });
    const storedLogs = sumOf(samples, 'tracedock_rows_stored_total', { signal: 'logs' });
    const dropped = sumOf(samples, 'tracedock_rows_dropped_total');
    if ((storedSpans >= spans && storedLogs >= logs) || dropped > 0 || performance.now() > deadline) {
      return { samples, storedSpans, storedLogs, dropped, waitedOut: storedSpans < spans || storedLogs < logs };
    }
    await sleep(50);
  }
}

async function main() {
  const seconds = options.minutes * 60;
  console.log(
    `Sustained load: ${grouped(options.spansPerSecond)} spans/s + ${grouped(options.logsPerSecond)} log records/s ` +
      `(OTLP/HTTP protobuf, ${RECORDS_PER_REQUEST} per request) for ${options.minutes} min, Docker sampler on, ` +
      `samples every ${options.sampleSeconds} s; Node ${process.version}`,
  );
  const report = createReport('sustained', {
    quick,
    params: { ...options, collectorArgs: extraArgs.join(' '), nodeArgs: nodeArgs.join(' '), cli: values.cli ?? 'packages/collector/dist/cli.js' },
  });

  const problem = dockerProblem();
  let containerCount = 0;
  if (problem !== undefined) {
    console.log(`  SKIPPING the Docker part: ${problem}. The collector runs with --no-docker.`);
    report.note(`Docker part skipped: ${problem}; the collector ran with --no-docker.`);
  } else {
    for (let i = 0; i < options.containers; i++) {
      startedContainers.push(docker(['run', '-d', '--network', 'host', '--label', LABEL, IMAGE, 'sleep', '86400']));
    }
    containerCount = startedContainers.length;
    console.log(`  started ${startedContainers.length} containers (${IMAGE} sleep, label ${LABEL})`);
  }

  const spanPool = makeTracePool({ size: 50, spans: RECORDS_PER_REQUEST, attrs: 10, services: 5 });
  const logPool = Array.from({ length: 20 }, (_, i) =>
    Buffer.from(makeLogsRequest({ records: RECORDS_PER_REQUEST, attrs: 5, services: 5, seed: 100 + i }).proto),
  );

  const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-sustained-'));
  liveDataDir = dataDir;
  const collector = await startCollector({
    dataDir,
    cliPath: values.cli,
    nodeArgs,
    args: [
      '--retention-hours', RETENTION_HOURS, '--log-level', values['log-level'],
      ...(problem === undefined ? [] : ['--no-docker']),
      ...extraArgs,
    ],
  });
  const connections = options.maxInFlight;
  const spanTransport = openTransport('http', { otlpHttpUrl: collector.otlpHttpUrl, encoding: 'proto', connections });
  const logTransport = openTransport('http', { otlpHttpUrl: collector.otlpHttpUrl, encoding: 'proto', connections, path: '/v1/logs' });
  const nextCounter = makeCounter();
  let spanEntry = 0;
  let logEntry = 0;

  const samples = [];
  const started = performance.now();
  let lastCpu = processCpuSeconds(collector.pid);
  let lastAt = started;
  const cpuAtStart = lastCpu;
  const machineAtStart = machineBusyCpuSeconds();
  const benchAtStart = process.cpuUsage();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(options.sampleSeconds * 1000);
      if (!sampling) break;
      const now = performance.now();
      const cpu = processCpuSeconds(collector.pid);
      const { rssBytes } = processMemory(collector.pid);
      const metrics = await scrape(collector.uiUrl).catch(() => []);
      const sample = {
        t: (now - started) / 1000,
        rssMiB: rssBytes / MIB,
        cores: (cpu - lastCpu) / ((now - lastAt) / 1000),
        queueRows: sumOf(metrics, 'tracedock_queue_depth_rows'),
        storedSpans: sumOf(metrics, 'tracedock_rows_stored_total', { signal: 'spans' }),
        storedLogs: sumOf(metrics, 'tracedock_rows_stored_total', { signal: 'logs' }),
      };
      lastCpu = cpu;
      lastAt = now;
      samples.push(sample);
      console.log(
        `  t=${sample.t.toFixed(0).padStart(4)} s  RSS ${sample.rssMiB.toFixed(0).padStart(4)} MiB  CPU ${sample.cores.toFixed(2)} cores  ` +
          `queue ${grouped(sample.queueRows).padStart(7)} rows  stored ${grouped(sample.storedSpans)} spans, ${grouped(sample.storedLogs)} logs`,
      );
    }
  })();

  let exitCode;
  let spans;
  let logs;
  let stored;
  let containersSeen = NaN;
  let samplesOfOne = NaN;
  try {
    const spanScratch = largestRequestBytes(spanPool);
    [spans, logs] = await Promise.all([
      runPaced({
        transport: spanTransport,
        requestsPerSecond: options.spansPerSecond / RECORDS_PER_REQUEST,
        seconds,
        scratchBytes: spanScratch,
        maxInFlight: options.maxInFlight,
        makeBody: (scratch) => {
          const entry = spanPool[spanEntry];
          spanEntry = (spanEntry + 1) % spanPool.length;
          return { bytes: stamp(entry, 'proto', scratch, nextCounter()), records: entry.spanCount };
        },
      }),
      runPaced({
        transport: logTransport,
        requestsPerSecond: options.logsPerSecond / RECORDS_PER_REQUEST,
        seconds,
        scratchBytes: 1,
        maxInFlight: options.maxInFlight,
        makeBody: () => {
          const bytes = logPool[logEntry];
          logEntry = (logEntry + 1) % logPool.length;
          return { bytes, records: RECORDS_PER_REQUEST };
        },
      }),
    ]);
    const loadSeconds = (performance.now() - started) / 1000;
    const collectorCpuSeconds = processCpuSeconds(collector.pid) - cpuAtStart;
    const cpuCoresMean = collectorCpuSeconds / loadSeconds;
    const bench = process.cpuUsage(benchAtStart);
    const benchCpuSeconds = (bench.user + bench.system) / 1e6;
    // Everything else the machine ran meanwhile: the noise behind a starved collector. Not
    // clamped: below 0 is measurement skew (lib/other-cpu.mjs).
    const others = otherCores({
      machineCpuSeconds: machineBusyCpuSeconds() - machineAtStart,
      measuredCpuSeconds: collectorCpuSeconds + benchCpuSeconds,
      wallSeconds: loadSeconds,
    });
    sampling = false;
    await sampler;
    stored = await waitUntilStored(collector.uiUrl, spans.ackedRecords, logs.ackedRecords);
    const memory = processMemory(collector.pid);
    if (problem === undefined) {
      const response = await fetch(`${collector.uiUrl}/api/containers`, { signal: AbortSignal.timeout(10_000) });
      const body = await response.json();
      const ours = (body.containers ?? []).filter((c) => startedContainers.some((id) => id.startsWith(c.id) || c.id.startsWith(id)));
      containersSeen = ours.length;
      if (ours[0] !== undefined) {
        const end = Date.now();
        const sampled = await fetch(`${collector.uiUrl}/api/containers/${ours[0].id}/samples?start=${end - 3_600_000}&end=${end}`, {
          signal: AbortSignal.timeout(10_000),
        });
        samplesOfOne = ((await sampled.json()).samples ?? []).length;
      }
    }
    stored.cpuCoresMean = cpuCoresMean;
    stored.benchCores = benchCpuSeconds / loadSeconds;
    stored.otherCores = others;
    stored.loadSeconds = loadSeconds;
    stored.peakRssMiB = memory.peakRssBytes / MIB;
  } catch (error) {
    const gone = collector.exitReason();
    if (gone === undefined) throw error;
    throw new Error(`${error.message}\nThe collector died (${gone}). Its last output:\n${collector.output()}`, { cause: error });
  } finally {
    sampling = false;
    spanTransport.close();
    logTransport.close();
    exitCode = await collector.stop();
    await rm(dataDir, { recursive: true, force: true });
    liveDataDir = undefined;
    removeContainers();
  }
  if (exitCode !== 0) throw new Error(`the collector exited with code ${exitCode} after SIGTERM. Output:\n${collector.output()}`);

  // Figures.
  const half = seconds / 2;
  const firstHalf = samples.filter((s) => s.t <= half);
  const lastHalf = samples.filter((s) => s.t > half);
  const slopeMiBPerMinute = 60 * slope(lastHalf.map((s) => ({ x: s.t, y: s.rssMiB })));
  const spanRate = spans.ackedRecords / stored.loadSeconds;
  const logRate = logs.ackedRecords / stored.loadSeconds;
  const refusals = spans.refusals + logs.refusals;
  const failures = spans.failures + logs.failures;
  console.log('');
  console.log(`Summary over ${stored.loadSeconds.toFixed(0)} s of load, ${samples.length} samples:`);
  console.log(`  collector peak RSS (VmHWM)        ${stored.peakRssMiB.toFixed(0)} MiB (goal <= ${GOAL_PEAK_RSS_MIB})`);
  if (firstHalf.length > 0 && lastHalf.length > 0) {
    console.log(
      `  RSS mean first half / last half   ${mean(firstHalf.map((s) => s.rssMiB)).toFixed(0)} / ${mean(lastHalf.map((s) => s.rssMiB)).toFixed(0)} MiB; ` +
        `last-half slope ${slopeMiBPerMinute.toFixed(2)} MiB/min (goal <= ${GOAL_SLOPE_MIB_PER_MINUTE})`,
    );
  }
  console.log(
    `  collector CPU, mean               ${stored.cpuCoresMean.toFixed(2)} cores (senders ${stored.benchCores.toFixed(2)}, other processes + kernel ${stored.otherCores.toFixed(2)})`,
  );
  console.log(
    `  spans: acked ${grouped(spans.ackedRecords)} (${grouped(spanRate)}/s of ${grouped(options.spansPerSecond)}), stored ${grouped(stored.storedSpans)}; ` +
      `logs: acked ${grouped(logs.ackedRecords)} (${grouped(logRate)}/s of ${grouped(options.logsPerSecond)}), stored ${grouped(stored.storedLogs)}`,
  );
  console.log(
    `  dropped ${stored.dropped}, 429s ${refusals}, failed sends ${failures}${failures > 0 ? ` (last: ${spans.lastFailure || logs.lastFailure})` : ''}, ` +
      `requests behind the pace ${spans.behindRequests + logs.behindRequests}`,
  );
  if (problem === undefined) console.log(`  Docker: ${containersSeen} of ${containerCount} bench containers listed by the API; ${samplesOfOne} samples of one`);

  const group = 'sustained load';
  report.figure({ id: 'peakRss', group, label: 'collector peak RSS (VmHWM)', unit: 'MiB', values: [stored.peakRssMiB], goal: { op: '<=', value: GOAL_PEAK_RSS_MIB }, digits: 0 });
  report.figure({ id: 'rss', group, label: `collector RSS, every ${options.sampleSeconds} s`, unit: 'MiB', values: samples.map((s) => s.rssMiB), digits: 0 });
  if (firstHalf.length > 0 && lastHalf.length > 0) {
    report.figure({ id: 'rssFirstHalf', group, label: 'collector RSS, mean of the first half', unit: 'MiB', values: [mean(firstHalf.map((s) => s.rssMiB))], digits: 0 });
    report.figure({ id: 'rssLastHalf', group, label: 'collector RSS, mean of the last half', unit: 'MiB', values: [mean(lastHalf.map((s) => s.rssMiB))], digits: 0 });
  }
  if (Number.isFinite(slopeMiBPerMinute)) {
    report.figure({ id: 'rssSlope', group, label: 'RSS slope over the last half (least squares)', unit: 'MiB/min', values: [slopeMiBPerMinute],
      goal: { op: '<=', value: GOAL_SLOPE_MIB_PER_MINUTE }, digits: 2 });
  }
  report.figure({ id: 'otherCores', group, label: otherCoresLabel([stored.otherCores], `${OTHER_CORES_LABEL}, mean`), unit: 'cores', values: [stored.otherCores], digits: 2 });
  const skew = otherCoresSkewNote([stored.otherCores]);
  if (skew !== undefined) report.note(skew);
  report.figure({ id: 'cpuMean', group, label: 'collector CPU, mean over the load', unit: 'cores', values: [stored.cpuCoresMean], digits: 2 });
  if (samples.length > 0) report.figure({ id: 'cpu', group, label: `collector CPU, every ${options.sampleSeconds} s`, unit: 'cores', values: samples.map((s) => s.cores), digits: 2 });
  report.figure({ id: 'spansRate', group, label: 'spans acknowledged per second', unit: 'spans/s', values: [spanRate], digits: 0 });
  report.ratio({ id: 'spansRateOfTarget', group, label: 'spans/s achieved / target', values: [spanRate / options.spansPerSecond], goal: { op: '>=', value: 0.99 }, digits: 3 });
  report.figure({ id: 'logsRate', group, label: 'log records acknowledged per second', unit: 'records/s', values: [logRate], digits: 0 });
  report.ratio({ id: 'logsRateOfTarget', group, label: 'logs/s achieved / target', values: [logRate / options.logsPerSecond], goal: { op: '>=', value: 0.99 }, digits: 3 });
  report.ratio({ id: 'spansStored', group, label: 'spans stored / acknowledged', values: [stored.storedSpans / Math.max(1, spans.ackedRecords)], goal: { op: '>=', value: 1 }, digits: 4 });
  report.ratio({ id: 'logsStored', group, label: 'logs stored / acknowledged', values: [stored.storedLogs / Math.max(1, logs.ackedRecords)], goal: { op: '>=', value: 1 }, digits: 4 });
  report.figure({ id: 'dropped', group, label: 'rows dropped (tracedock_rows_dropped_total)', unit: 'rows', values: [stored.dropped], goal: { op: '<=', value: 0 }, digits: 0 });
  report.figure({ id: 'refusals', group, label: '429s (refused, resent)', unit: 'requests', values: [refusals], digits: 0 });
  if (samples.length > 0) report.figure({ id: 'queue', group, label: 'queue depth, every sample', unit: 'rows', values: samples.map((s) => s.queueRows), digits: 0 });
  if (problem === undefined) {
    report.note(`Docker sampler on: ${containerCount} busybox containers; ${containersSeen} listed by /api/containers, ${samplesOfOne} samples stored for one of them.`);
  }
  if (spans.behindRequests + logs.behindRequests > 0) report.note(`${spans.behindRequests + logs.behindRequests} requests fell behind the pace (max ${options.maxInFlight} in flight per signal).`);
  if (stored.waitedOut) report.note(`Not everything acknowledged was stored within ${STORED_TIMEOUT_MILLIS / 1000} s of the end.`);
  if (extraArgs.length > 0) report.note(`Collector flags: ${extraArgs.join(' ')}.`);
  report.note(`Collector started as node ${nodeArgs.join(' ')} cli.js${values['node-args'] === IMAGE_NODE_OPTIONS ? " (the image's NODE_OPTIONS)" : ''}.`);
  report.note(`Median CPU over the samples ${median(samples.map((s) => s.cores)).toFixed(2)} cores; the machine has 2 cores shared with other work.`);
  const file = await report.write();
  console.log(`\n  report: ${file}`);
  if (stored.dropped > 0 || stored.waitedOut) process.exitCode = 1;
}

await main();
