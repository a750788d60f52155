/**
 * What instrumenting a service costs: an Express 5 service that logs one pino line per request,
 * under autocannon, five ways in the same run and against the same real collector process —
 *   none             no telemetry at all
 *   tracedock        node --import @tracedock/sdk/register (our defaults: traces, pino logs,
 *                    runtime metrics)
 *   nometrics        the same with OTEL_METRICS_EXPORTER=none, so that tracedock / nometrics is
 *                    what the runtime metrics cost (req/s ratio and CPU µs added per request)
 *   official         the zero-code official setup: --import
 *                    @opentelemetry/auto-instrumentations-node/register with OTEL_TRACES_EXPORTER
 *                    and OTEL_LOGS_EXPORTER otlp over OTLP/HTTP protobuf (pino lines bridged by
 *                    instrumentation-pino). OTEL_METRICS_EXPORTER is left unset as users leave it:
 *                    the register's NodeSDK then exports metrics over OTLP too (every 60 s; the
 *                    http and runtime-node instrumentations record them). The app is ESM, so the
 *                    loader hook goes first, as OpenTelemetry's ESM guide gives the command:
 *                    without it express and pino are not patched (2 spans and no log per request
 *                    instead of 4 and 1), which a CommonJS app gets through require() anyway.
 *   official-traces  the official SDK by hand, traces only: NodeSDK + getNodeAutoInstrumentations()
 *                    + OTLP/HTTP protobuf trace exporter (bench/lib/sdk-official-register.mjs), so
 *                    official / official-traces is what the official log and metric export cost
 * for two routes — GET /hello (hello world) and GET /downstream (one HTTP call to a plain,
 * uninstrumented downstream process). Goal: tracedock >= 0.6x none and >= 2x official in req/s.
 * Both official variants run exactly the instrumentations @tracedock/sdk enables by default
 * (OTEL_NODE_ENABLED_INSTRUMENTATIONS, computed from the SDK's build; runtime-node only where
 * metrics are exported, as the SDK does), so that both sides hook the same modules and the
 * figures compare the SDKs, not what they instrument; how each configures an instrumentation
 * still differs where the SDK chose its own defaults (express: no middleware spans).
 * Also the service's own CPU time per request (from /proc/<pid>/stat): on a shared 2-core
 * machine req/s also moves with whatever else runs (the collector, autocannon, other jobs); CPU
 * per request is the cost the instrumentation itself adds, and the steadier figure. And how much
 * telemetry each variant sends: spans and log records per request, what the collector's own
 * /metrics counters received over the requests the app served.
 *
 *   node bench/sdk-overhead.mjs [--quick] [--runs 5] [--seconds 10] [--warmup-seconds 3] [--connections 32]
 *                               [--baseline-register PATH] [--profile DIR]
 *
 * --quick: one run of 3 s (after 1 s of warm-up) per route and variant: about a minute in all.
 * --variants none,tracedock,... and --routes hello,downstream: a subset.
 * --baseline-register: one more variant, `baseline`, preloading another build of the SDK's
 * register (e.g. a copy of packages/sdk/dist made before a change), so that before and after are
 * measured alternately in the same conditions. --profile DIR: every app process runs under
 * --cpu-prof and leaves DIR/sdk-<variant>-<route>-<n>.cpuprofile (summary: node
 * bench/lib/cpuprofile.mjs FILE); profiled figures are slower, keep them apart. Needs a
 * build (npx tsc --build). Figures go to stdout and, through lib/report.mjs, to
 * bench/results/sdk-overhead.json. Variants run in a rotating order per run so that drift on
 * a shared machine does not always hit the same one.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startCollector } from './lib/collector-child.mjs';
import { scrape, sumOf } from './lib/prometheus.mjs';
import { createReport } from './lib/report.mjs';
import { median, minMedMax } from './lib/stats.mjs';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP = join(REPO_ROOT, 'bench', 'lib', 'sdk-bench-app.mjs');
const DOWNSTREAM = join(REPO_ROOT, 'bench', 'lib', 'sdk-bench-downstream.mjs');
const OFFICIAL_REGISTER = join(REPO_ROOT, 'bench', 'lib', 'sdk-official-register.mjs');
const SDK_BUILD = join(REPO_ROOT, 'packages', 'sdk', 'dist', 'register.js');
const SDK_INSTRUMENTATION_NAMES = join(REPO_ROOT, 'packages', 'sdk', 'dist', 'instrumentation-names.js');
const APP_START_TIMEOUT_MILLIS = 60_000;
const APP_STOP_TIMEOUT_MILLIS = 15_000;
const GOAL_VS_NONE = 0.6;
/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;
const GOAL_VS_OFFICIAL = 2;
/** Child output kept per stream for error messages: the app logs a line per request, the rest is read and dropped. */
const KEPT_OUTPUT_CHARS = 64 * 1024;
/** The collector's counters of what it accepted (packages/collector/src/pipeline/pipeline-metrics.ts). */
const RECEIVED_COUNTERS = { spans: 'tracedock_spans_received_total', logs: 'tracedock_log_records_received_total' };
/** What it turned away: telemetry the app sent but the per-request figures do not count. */
const LOST_COUNTERS = ['tracedock_rows_refused_total', 'tracedock_rows_dropped_total', 'tracedock_otlp_requests_refused_total'];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    'warmup-seconds': { type: 'string' },
    connections: { type: 'string', default: '32' },
    'baseline-register': { type: 'string' },
    variants: { type: 'string' },
    routes: { type: 'string' },
    profile: { type: 'string' },
  },
});
const runs = Number(values.runs ?? (values.quick ? 1 : 5));
const seconds = Number(values.seconds ?? (values.quick ? 3 : 10));
const warmupSeconds = Number(values['warmup-seconds'] ?? (values.quick ? 1 : 3));
const connections = Number(values.connections);
for (const [name, value] of Object.entries({ runs, seconds, warmupSeconds, connections })) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
}

for (const path of [SDK_BUILD, SDK_INSTRUMENTATION_NAMES]) {
  if (!existsSync(path)) throw new Error(`${path} is missing: build the SDK first (npx tsc --build)`);
}
const SDK_NAMES = await import(pathToFileURL(SDK_INSTRUMENTATION_NAMES).href);

/**
 * The instrumentations @tracedock/sdk enables by default (packages/sdk/src/instrumentation-names.ts
 * and config.ts): every one of auto-instrumentations-node but DEFAULT_DISABLED_INSTRUMENTATIONS,
 * and METRICS_INSTRUMENTATIONS only while metrics are exported.
 */
function sdkDefaultInstrumentations({ exportMetrics }) {
  const { KNOWN_INSTRUMENTATIONS: known, DEFAULT_DISABLED_INSTRUMENTATIONS: off, METRICS_INSTRUMENTATIONS: metricsOnly } = SDK_NAMES;
  if (![known, off, metricsOnly].every(Array.isArray)) throw new Error(`${SDK_INSTRUMENTATION_NAMES} no longer exports the instrumentation lists this bench reads`);
  const disabled = new Set([...off, ...(exportMetrics ? [] : metricsOnly)]);
  return known.filter((name) => !disabled.has(name));
}
const WITH_METRICS = sdkDefaultInstrumentations({ exportMetrics: true });
const WITHOUT_METRICS = sdkDefaultInstrumentations({ exportMetrics: false });

/** Each variant: node flags before the app, and env on top of the common one. */
const ALL_VARIANTS = {
  none: { args: [], env: {} },
  tracedock: { args: ['--import', '@tracedock/sdk/register'], env: {} },
  nometrics: { args: ['--import', '@tracedock/sdk/register'], env: { OTEL_METRICS_EXPORTER: 'none' } },
  official: {
    args: ['--experimental-loader=@opentelemetry/instrumentation/hook.mjs', '--import', '@opentelemetry/auto-instrumentations-node/register'],
    env: {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: WITH_METRICS.join(','),
    },
  },
  'official-traces': {
    args: ['--import', OFFICIAL_REGISTER],
    env: { OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_NODE_ENABLED_INSTRUMENTATIONS: WITHOUT_METRICS.join(',') },
  },
  ...(values['baseline-register'] === undefined ? {} : { baseline: { args: ['--import', pathToFileURL(values['baseline-register']).href], env: {} } }),
};
const VARIANTS = subset(ALL_VARIANTS, values.variants, 'variants');
if (!('none' in VARIANTS)) throw new Error('--variants must include none (every ratio and added CPU figure is against it)');
const ALL_ROUTES = { hello: '/hello', downstream: '/downstream' };
/** --variants / --routes: a subset (e.g. `--variants none,tracedock,baseline` to compare two builds). */
function subset(all, list, flag) {
  if (list === undefined) return all;
  const wanted = list.split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !(name in all));
  if (unknown.length > 0) throw new Error(`--${flag}: unknown ${unknown.join(', ')} (known: ${Object.keys(all).join(', ')})`);
  return Object.fromEntries(wanted.map((name) => [name, all[name]]));
}
const ROUTES = subset(ALL_ROUTES, values.routes, 'routes');

/** A child node process that prints {"listening": port}; killed when the bench exits, however. */
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function childEnv(extra) {
  // The bench's own OTEL_* settings would change what is measured.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_') && !name.startsWith('TRACEDOCK_')));
  return { ...inherited, ...extra };
}

async function startNode(label, args, env) {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const kept = { stdout: '', stderr: '' };
  const output = () => `${kept.stderr}${kept.stdout}`;
  let listening = false;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => live.delete(child));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not listen within ${APP_START_TIMEOUT_MILLIS} ms:\n${output()}`)), APP_START_TIMEOUT_MILLIS);
    // Stay attached for the child's whole life: a pipe nobody reads fills up, and then pino's
    // synchronous writes block the app, which would measure the bench instead of the app. Kept
    // apart so that the SDK's warnings on stderr survive the request lines on stdout.
    const keep = (stream) => (text) => {
      if (kept[stream].length < KEPT_OUTPUT_CHARS) kept[stream] += text;
      if (listening || stream !== 'stdout') return;
      const match = /\{"listening":(\d+)\}/.exec(kept.stdout);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.setEncoding('utf8').on('data', keep('stdout'));
    child.stderr.setEncoding('utf8').on('data', keep('stderr'));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited during start-up (${code ?? signal}):\n${output()}`));
    });
  });
  let killed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    output,
    /** What the SDK said about its own delivery (queue full, collector unreachable ...) on stderr. */
    sdkWarnings: () => kept.stderr.split('\n').filter((line) => line.startsWith('@tracedock/sdk')),
    /** False when stop() had to SIGKILL it: what it had queued was never sent. */
    exitedInTime: () => !killed,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), APP_STOP_TIMEOUT_MILLIS);
      });
      const result = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        killed = true;
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** User + system CPU milliseconds the process has used so far; undefined off Linux. */
function cpuMillis(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function load(url, durationSeconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: durationSeconds, pipelining: 1 }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** --profile DIR: each app under --cpu-prof, one file per variant, route and run. */
let profiled = 0;
function profileArgs(variant, route) {
  if (values.profile === undefined) return [];
  profiled += 1;
  return ['--cpu-prof', '--cpu-prof-dir', values.profile, '--cpu-prof-name', `sdk-${variant}-${route}-${profiled}.cpuprofile`];
}

async function measure(variant, route, collector, downstreamUrl) {
  const app = await startNode(`${variant} app`, [...profileArgs(variant, route), ...VARIANTS[variant].args, APP], {
    PORT: '0',
    DOWNSTREAM_URL: downstreamUrl,
    OTEL_SERVICE_NAME: `bench-${variant}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
    ...VARIANTS[variant].env,
  });
  let sample;
  const countsBefore = await telemetryCounts(collector);
  try {
    const url = `${app.url}${ROUTES[route]}`;
    const warm = await load(url, warmupSeconds);
    if (warm.non2xx > 0 || warm.errors > 0) throw new Error(`${variant} ${route}: ${warm.non2xx} non-2xx, ${warm.errors} errors in warm-up:\n${app.output()}`);
    const cpuBefore = cpuMillis(app.pid);
    const result = await load(url, seconds);
    const cpuAfter = cpuMillis(app.pid);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${variant} ${route}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const cpuMicrosPerRequest = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1_000) / result.requests.total;
    sample = { reqPerSec: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, cpuMicrosPerRequest, requests: result.requests.total, served: warm.requests.sent + result.requests.sent };
  } finally {
    await app.stop();
  }
  // Exporters batch, so a scrape right after the load misses what is still queued in the app and
  // one right before it counts the warm-up's queue. Counted instead: from before the warm-up to
  // after the exit (the SDKs flush on SIGTERM), over every request the process served: those sent,
  // as the up to `connections` still in flight when autocannon stops are served (and logged) too.
  const countsAfter = await telemetryCounts(collector);
  const delta = (key) => countsAfter[key] - countsBefore[key];
  return { ...sample, spansPerRequest: delta('spans') / sample.served, logsPerRequest: delta('logs') / sample.served, lost: delta('lost'), flushed: app.exitedInTime(), sdkWarnings: app.sdkWarnings() };
}

/** The collector's own counters: spans and log records accepted, and rows or requests it turned away. */
async function telemetryCounts(collector) {
  const samples = await scrape(collector.uiUrl);
  return {
    spans: sumOf(samples, RECEIVED_COUNTERS.spans),
    logs: sumOf(samples, RECEIVED_COUNTERS.logs),
    lost: LOST_COUNTERS.reduce((total, name) => total + sumOf(samples, name), 0),
  };
}

function rotated(list, by) {
  return list.map((_, i) => list[(i + by) % list.length]);
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-sdk-overhead-'));
  const collector = await startCollector({ dataDir });
  const downstream = await startNode('downstream', [DOWNSTREAM], { PORT: '0' });
  const variants = Object.keys(VARIANTS);
  /** samples[route][variant] = [{ reqPerSec, p50Ms, p99Ms }, ...] */
  const samples = Object.fromEntries(Object.keys(ROUTES).map((route) => [route, Object.fromEntries(variants.map((v) => [v, []]))]));
  const loadBefore = loadavg()[0];
  console.log(`sdk-overhead: ${runs} run(s) x ${seconds} s (+${warmupSeconds} s warm-up), ${connections} connections; load average ${loadBefore.toFixed(2)}`);
  try {
    for (let run = 0; run < runs; run += 1) {
      for (const route of Object.keys(ROUTES)) {
        for (const variant of rotated(variants, run)) {
          const sample = await measure(variant, route, collector, downstream.url);
          samples[route][variant].push(sample);
          const cpu = sample.cpuMicrosPerRequest === undefined ? '' : `  cpu ${sample.cpuMicrosPerRequest.toFixed(0)} us/req`;
          const lost = sample.lost > 0 ? `  (the collector turned away ${sample.lost} rows/requests)` : '';
          const unflushed = sample.flushed ? '' : '  (killed at stop: its queue was not flushed)';
          console.log(
            `  run ${run + 1} ${route.padEnd(10)} ${variant.padEnd(15)} ${sample.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms${cpu}  spans ${sample.spansPerRequest.toFixed(2)}/req  logs ${sample.logsPerRequest.toFixed(2)}/req${lost}${unflushed}`,
          );
          for (const line of sample.sdkWarnings) console.log(`        ${line}`);
        }
      }
    }
  } finally {
    await downstream.stop();
    await collector.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
  await report(samples, variants, loadBefore);
}

/** Per-run values of one variant's measure, in run order. */
const perRun = (list, key) => list.map((sample) => sample[key]);

async function report(samples, variants, loadBefore) {
  const report = createReport('sdk-overhead', { quick: values.quick, params: { runs, seconds, warmupSeconds, connections } });
  console.log('\nroute       variant          req/s (min / median / max)        p50 ms (median)  p99 ms (median)  service CPU us/req (median)  spans/req  logs/req (median)');
  for (const [route, byVariant] of Object.entries(samples)) {
    for (const variant of variants) {
      const list = byVariant[variant];
      const rps = perRun(list, 'reqPerSec');
      const cpu = perRun(list, 'cpuMicrosPerRequest').filter((c) => c !== undefined);
      const spans = perRun(list, 'spansPerRequest');
      const logs = perRun(list, 'logsPerRequest');
      console.log(
        `${route.padEnd(11)} ${variant.padEnd(16)} ${minMedMax(rps).padEnd(33)} ${String(median(perRun(list, 'p50Ms'))).padStart(15)} ${String(median(perRun(list, 'p99Ms'))).padStart(16)} ${(cpu.length > 0 ? median(cpu).toFixed(0) : '-').padStart(28)} ${median(spans).toFixed(2).padStart(10)} ${median(logs).toFixed(2).padStart(9)}`,
      );
      report.figure({ id: `${route}.${variant}.rps`, group: route, label: `${route}: ${variant}`, unit: 'req/s', values: rps, digits: 0 });
      report.figure({ id: `${route}.${variant}.spansPerRequest`, group: route, label: `${route}: ${variant}, spans the collector received / requests served`, unit: 'spans/req', values: spans, digits: 2 });
      report.figure({ id: `${route}.${variant}.logsPerRequest`, group: route, label: `${route}: ${variant}, log records the collector received / requests served`, unit: 'logs/req', values: logs, digits: 2 });
      if (cpu.length === list.length) {
        report.figure({ id: `${route}.${variant}.cpu`, group: route, label: `${route}: ${variant}, service CPU per request`, unit: 'µs/req', values: cpu, digits: 0 });
      }
    }
  }
  console.log('\nratios (median of the per-run ratios)');
  for (const [route, byVariant] of Object.entries(samples)) {
    const rps = (v) => perRun(byVariant[v], 'reqPerSec');
    const ratio = (a, b) => rps(a).map((value, run) => value / rps(b)[run]);
    const ratioOf = (a, b, goal) =>
      !variants.includes(a) || !variants.includes(b)
        ? undefined
        : report.ratio({ id: `${route}.${a}/${b}`, group: route, label: `${route}: ${a} / ${b} (req/s, same run)`, values: ratio(a, b), goal, digits: 2 });
    const vsNone = ratioOf('tracedock', 'none', { op: '>=', value: GOAL_VS_NONE });
    const vsOfficial = ratioOf('tracedock', 'official', { op: '>=', value: GOAL_VS_OFFICIAL });
    const officialVsNone = ratioOf('official', 'none');
    const officialLogsAndMetrics = ratioOf('official', 'official-traces');
    const shown = (entry, goal) => (entry === undefined ? '-' : `${entry.median.toFixed(2)}${goal === undefined ? '' : ` (goal >= ${goal})`}`);
    const verdict = vsNone === undefined || vsOfficial === undefined ? '' : vsNone.met && vsOfficial.met ? 'goal met' : 'goal NOT met';
    console.log(
      `${route.padEnd(11)} tracedock/none ${shown(vsNone, GOAL_VS_NONE)}   official/none ${shown(officialVsNone)}   tracedock/official ${shown(vsOfficial, GOAL_VS_OFFICIAL)}   ${verdict}`,
    );
    if (officialLogsAndMetrics !== undefined) console.log(`${''.padEnd(11)} official/official-traces ${shown(officialLogsAndMetrics)} (what the official log and metric export cost)`);
    if (variants.includes('baseline')) console.log(`${''.padEnd(11)} tracedock/baseline ${shown(ratioOf('tracedock', 'baseline'))}`);
    const cpu = (v) => perRun(byVariant[v], 'cpuMicrosPerRequest');
    if (variants.includes('tracedock') && variants.includes('nometrics')) {
      // What the runtime metrics cost: the same SDK with and without them, in the same run.
      const metricsRatio = ratioOf('tracedock', 'nometrics');
      const haveCpu = ['tracedock', 'nometrics'].every((v) => cpu(v).every((c) => c !== undefined));
      const metricsCpu = !haveCpu
        ? undefined
        : report.figure({ id: `${route}.metrics.cpuAdded`, group: route, label: `${route}: CPU added per request by the runtime metrics (tracedock − nometrics)`, unit: 'µs/req', values: cpu('tracedock').map((c, run) => c - cpu('nometrics')[run]), digits: 1 });
      console.log(`${''.padEnd(11)} metrics: tracedock/nometrics ${shown(metricsRatio)}${metricsCpu === undefined ? '' : `, CPU added per request ${metricsCpu.median >= 0 ? '+' : ''}${metricsCpu.median.toFixed(1)} us`}`);
    }
    if (variants.every((v) => cpu(v).every((c) => c !== undefined))) {
      const added = variants
        .filter((v) => v !== 'none')
        // Per run: the variant's CPU per request minus the uninstrumented app's in the same run.
        .map((v) => [v, report.figure({ id: `${route}.${v}.cpuAdded`, group: route, label: `${route}: CPU added per request by ${v}`, unit: 'µs/req', values: cpu(v).map((c, run) => c - cpu('none')[run]), digits: 0 })]);
      console.log(`${''.padEnd(11)} CPU added per request (median): ${added.map(([v, e]) => `${v} +${e.median.toFixed(0)} us`).join(', ')}`);
    }
  }
  const loadAfter = loadavg()[0];
  report.note(
    `Load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. The app, the collector, autocannon and the downstream share the machine's cores, so req/s also moves with other work; CPU per request (from /proc/<pid>/stat) is the steadier figure.`,
  );
  report.note(
    `Variants: none (no telemetry); tracedock (node --import @tracedock/sdk/register, defaults: traces, pino logs and runtime metrics every 10 s); nometrics (the same with OTEL_METRICS_EXPORTER=none); official (node --experimental-loader=@opentelemetry/instrumentation/hook.mjs --import @opentelemetry/auto-instrumentations-node/register, OTEL_TRACES_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, metrics left at the register's default: OTLP every 60 s); official-traces (NodeSDK + getNodeAutoInstrumentations() + OTLP/HTTP protobuf trace exporter, logs and metrics off)${variants.includes('baseline') ? `; baseline (${values['baseline-register']})` : ''}. Express 5 logging one pino line per request to stdout (read and dropped by the bench), ${connections} connections, ${seconds} s per measurement after ${warmupSeconds} s of warm-up, a fresh app process per measurement, variants in rotating order. Spans and log records per request: the collector's tracedock_spans_received_total and tracedock_log_records_received_total from before the warm-up to after the app's exit, over every request it served.`,
  );
  const off = (enabled) => SDK_NAMES.KNOWN_INSTRUMENTATIONS.filter((name) => !enabled.includes(name)).join(', ');
  report.note(
    `Instrumentations: tracedock and nometrics run the SDK's defaults; official and official-traces get the same through OTEL_NODE_ENABLED_INSTRUMENTATIONS: every instrumentation of auto-instrumentations-node but ${off(WITH_METRICS)} (official, which exports metrics), and but ${off(WITHOUT_METRICS)} (official-traces, which does not, as nometrics). Each SDK configures them its own way: tracedock's http instrumentation is its own lean one, and its express instrumentation makes no middleware or request-handler spans, which the official one does.`,
  );
  console.log(`\nload average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; figures in ${await report.write()}`);
}

await main();
