/**
 * How long the UI takes from navigation to a rendered trace waterfall, for traces of 100,
 * 1,000 and 5,000 spans, and whether scrolling the biggest one stalls the page.
 *
 *   node bench/ui-render.mjs [--quick] [--runs 7] [--sizes 100,1000,5000] [--profile-scroll scroll.cpuprofile]
 *
 * Needs a build of the collector (npx tsc --build) and of the UI (npm run build -w packages/ui),
 * and Chromium at /usr/bin/chromium (TRACEDOCK_CHROMIUM overrides). A collector child process
 * (file-backed DuckDB in a temp folder, Docker off) receives every trace over OTLP/HTTP
 * protobuf, encoded by the OpenTelemetry serializers; each run opens a trace not opened
 * before (no HTTP cache), in a page whose app bundle is cached (as on a second visit).
 *
 * Per run, from the page's own clock (performance marks, ms since the navigation started):
 *   rendered  the waterfall's rows are in the DOM (the trace fetched, decoded, laid out)
 *   painted   two animation frames later: on the screen
 * and the wall clock of the bench from page.goto() to the first row being visible.
 * Scrolling: the waterfall of the biggest trace is scrolled top to bottom in steps of one
 * viewport; the longest task (PerformanceObserver 'longtask', > 50 ms) is reported.
 * Goal (issue 5): ≤ 1 s to a rendered 5,000-span waterfall.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { chromium } from 'playwright-core';
import { startCollector } from './lib/collector-child.mjs';
import { createReport } from './lib/report.mjs';
import { minMedMax } from './lib/stats.mjs';
import { prng } from './lib/prng.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    sizes: { type: 'string', default: '100,1000,5000' },
    /** Writes a V8 CPU profile of the scroll phase here (read it with bench/lib/cpuprofile.mjs). */
    'profile-scroll': { type: 'string' },
  },
});
const RUNS = Number(values.runs ?? (values.quick ? 3 : 7));
const SIZES = values.sizes.split(',').map(Number);
const GOAL_MS = 1000;
const GOAL_SIZE = 5000;
const BATCH_SPANS = 1000;
const SERVICES = ['gateway', 'orders', 'inventory', 'payments', 'shipping', 'users', 'search', 'cache'];
const DEPTH_MAX = 10;
const CHROMIUM = process.env.TRACEDOCK_CHROMIUM ?? '/usr/bin/chromium';
const UI_INDEX = fileURLToPath(new URL('../packages/ui/dist/index.html', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const hex = (random, bytes) => Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, '0')).join('');
const hr = (ns) => [Math.floor(ns / 1e9), ns % 1e9];

/**
 * One trace of `count` spans shaped like a real request: each span's parent is a recent span
 * of lower depth (so the tree is deep and wide), its interval inside its parent's, its
 * service one of 8, every 40th span failed, 6 attributes each.
 */
function makeTrace(count, seed, baseMs) {
  const random = prng(seed);
  const traceId = hex(random, 16);
  const resources = SERVICES.map((name) => resourceFromAttributes({ 'service.name': name, 'service.version': '1.0.0' }));
  const nodes = [];
  const baseNs = baseMs * 1e6;
  for (let i = 0; i < count; i++) {
    const spanId = hex(random, 8);
    let parent;
    if (i > 0) {
      const candidates = nodes.slice(-40).filter((n) => n.depth < DEPTH_MAX);
      parent = candidates[Math.floor(random() * candidates.length)] ?? nodes[0];
    }
    const startNs = parent === undefined ? 0 : parent.startNs + Math.floor(random() * parent.durationNs * 0.5);
    const room = parent === undefined ? 2e9 : parent.startNs + parent.durationNs - startNs;
    const durationNs = Math.max(1000, Math.floor(room * (0.2 + random() * 0.7)));
    nodes.push({ spanId, parent, depth: parent === undefined ? 0 : parent.depth + 1, startNs, durationNs, service: Math.floor(random() * SERVICES.length) });
  }
  const spans = nodes.map((n, i) => ({
    name: i === 0 ? 'GET /api/checkout' : `op-${i % 97}`,
    kind: i === 0 ? 1 : 2,
    spanContext: () => ({ traceId, spanId: n.spanId, traceFlags: 1 }),
    parentSpanContext: n.parent === undefined ? undefined : { traceId, spanId: n.parent.spanId, traceFlags: 1 },
    startTime: hr(baseNs + n.startNs),
    endTime: hr(baseNs + n.startNs + n.durationNs),
    duration: hr(n.durationNs),
    status: i % 40 === 7 ? { code: 2, message: 'failed' } : { code: 0 },
    attributes: { 'http.route': `/api/r/${i % 13}`, 'app.index': i, 'app.flag': i % 2 === 0, 'net.peer.name': 'svc.internal', 'app.ratio': i / count, 'app.note': 'bench' },
    links: [],
    events: [],
    ended: true,
    resource: resources[n.service],
    instrumentationScope: { name: 'tracedock-bench-ui', version: '1.0.0' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
  return { traceId, spans };
}

async function send(otlpHttpUrl, spans) {
  for (let at = 0; at < spans.length; at += BATCH_SPANS) {
    const body = ProtobufTraceSerializer.serializeRequest(spans.slice(at, at + BATCH_SPANS));
    const response = await fetch(`${otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body });
    if (response.status !== 200) throw new Error(`POST /v1/traces answered ${response.status}: ${await response.text()}`);
  }
}

async function waitStored(uiUrl, traceId, count) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${uiUrl}/api/traces/${traceId}`);
    if (response.status === 200 && (await response.json()).spans.length === count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`trace ${traceId} of ${count} spans was not stored within 60 s`);
}

/** Opens one trace; returns the page's marks and the bench's wall clock, in ms. */
async function measure(page, uiUrl, traceId, count) {
  await page.goto('about:blank');
  const started = performance.now();
  await page.goto(`${uiUrl}/traces/${traceId}`, { waitUntil: 'commit' });
  await page.locator(`[data-testid="waterfall"][data-span-count="${count}"] [data-testid="waterfall-row"]`).first().waitFor({ timeout: 60_000 });
  const wallMs = performance.now() - started;
  await page.waitForFunction(() => performance.getEntriesByName('tracedock:waterfall-painted').length > 0);
  const marks = await page.evaluate(() => ({
    renderedMs: performance.getEntriesByName('tracedock:waterfall-rendered')[0]?.startTime ?? NaN,
    paintedMs: performance.getEntriesByName('tracedock:waterfall-painted')[0]?.startTime ?? NaN,
    rowsInDom: document.querySelectorAll('[data-testid="waterfall-row"]').length,
  }));
  return { ...marks, wallMs };
}

/** Scrolls the waterfall top to bottom a viewport at a time; the longest task seen, in ms. */
async function scrollAll(page) {
  return page.evaluate(async () => {
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const scroller = document.querySelector('.wf-scroll');
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    let steps = 0;
    let slowestFrameMs = 0;
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      const before = performance.now();
      scroller.scrollTop += scroller.clientHeight;
      await frame();
      slowestFrameMs = Math.max(slowestFrameMs, performance.now() - before);
      steps += 1;
    }
    await frame();
    observer.disconnect();
    return { steps, slowestFrameMs, longTasks: tasks.length, longestTaskMs: Math.max(0, ...tasks) };
  });
}

if (!existsSync(UI_INDEX)) throw new Error(`${UI_INDEX} is missing: npm run build -w packages/ui`);
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
const dataDir = mkdtempSync(join(tmpdir(), 'tracedock-bench-ui-'));
const profileDir = mkdtempSync(join(tmpdir(), 'tracedock-bench-ui-chromium-'));
const collector = await startCollector({ dataDir, env: { TRACEDOCK_DOCKER: 'off' } });
let context;
const report = createReport('ui-render', { quick: values.quick, params: { runs: RUNS, sizes: SIZES, viewport: '1280x800' } });
try {
  console.log(`ui-render: ${RUNS} runs per size, sizes ${SIZES.join(', ')}; Chromium headless at 1280x800`);
  const traces = new Map();
  const baseMs = Date.now() - 60_000;
  for (const size of SIZES) {
    const list = [];
    for (let run = 0; run < RUNS; run++) {
      const trace = makeTrace(size, size * 1000 + run, baseMs + run * 3000);
      await send(collector.otlpHttpUrl, trace.spans);
      list.push(trace.traceId);
    }
    for (const traceId of list) await waitStored(collector.uiUrl, traceId, size);
    traces.set(size, list);
  }
  context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${collector.uiUrl}/search`); // caches the app bundle
  await page.waitForLoadState('networkidle');
  console.log('\n  spans   rendered ms (min / median / max)   painted ms (min / median / max)   wall ms (median)   rows in DOM');
  let goalMedian;
  const paintedBySize = new Map();
  for (const size of SIZES) {
    const results = [];
    for (const traceId of traces.get(size)) results.push(await measure(page, collector.uiUrl, traceId, size));
    const fmt = (v) => v.toFixed(0);
    const rendered = minMedMax(results.map((r) => r.renderedMs), fmt);
    const painted = results.map((r) => r.paintedMs);
    const wall = minMedMax(results.map((r) => r.wallMs), fmt).split(' / ')[1] ?? '-';
    console.log(`  ${String(size).padStart(5)}   ${rendered.padEnd(33)}  ${minMedMax(painted, fmt).padEnd(32)}  ${wall.padStart(15)}   ${results[0]?.rowsInDom}`);
    paintedBySize.set(size, painted);
    if (size === GOAL_SIZE) goalMedian = [...painted].sort((a, b) => a - b)[Math.floor(painted.length / 2)];
    report.figure({ id: `painted.${size}`, label: `navigation → painted waterfall, ${size} spans`, unit: 'ms', values: painted, goal: size === GOAL_SIZE ? { op: '<=', value: GOAL_MS } : undefined });
    report.figure({ id: `rendered.${size}`, label: `navigation → rows in the DOM, ${size} spans`, unit: 'ms', values: results.map((r) => r.renderedMs) });
  }
  const biggest = Math.max(...SIZES);
  const smallest = Math.min(...SIZES);
  if (biggest !== smallest) {
    const big = paintedBySize.get(biggest);
    const small = paintedBySize.get(smallest);
    report.ratio({ id: 'painted.scaling', label: `painted ${biggest}-span / ${smallest}-span waterfall (same run)`, values: big.map((ms, i) => ms / small[i]) });
  }
  const cdp = values['profile-scroll'] === undefined ? undefined : await context.newCDPSession(page);
  if (cdp !== undefined) {
    await cdp.send('Profiler.enable');
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.start');
  }
  const metricsBefore = cdp === undefined ? undefined : (await cdp.send('Performance.getMetrics')).metrics;
  const scroll = await scrollAll(page);
  if (cdp !== undefined && metricsBefore !== undefined) {
    const after = (await cdp.send('Performance.getMetrics')).metrics;
    const delta = after.filter((m) => m.name.endsWith('Duration')).map((m) => `${m.name} ${((m.value - (metricsBefore.find((b) => b.name === m.name)?.value ?? 0)) * 1000).toFixed(0)} ms`);
    console.log(`  scroll phase (CDP Performance metrics): ${delta.join(', ')}`);
  }
  if (cdp !== undefined) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(values['profile-scroll'], JSON.stringify(profile));
  }
  console.log(`\n  scroll of the ${biggest}-span waterfall: ${scroll.steps} viewport steps, slowest frame ${scroll.slowestFrameMs.toFixed(0)} ms, ` +
    `${scroll.longTasks} long tasks (longest ${scroll.longestTaskMs.toFixed(0)} ms)`);
  report.figure({ id: 'scroll.slowestFrame', label: `slowest frame scrolling the ${biggest}-span waterfall`, unit: 'ms', values: [scroll.slowestFrameMs] });
  if (goalMedian !== undefined) {
    console.log(`  goal: painted ${GOAL_SIZE}-span waterfall <= ${GOAL_MS} ms: median ${goalMedian.toFixed(0)} ms, ${goalMedian <= GOAL_MS ? 'met' : 'NOT met'} (${(goalMedian / GOAL_MS).toFixed(2)}x the goal)`);
  }
  console.log(`  figures in ${await report.write()}`);
} finally {
  await context?.close().catch(() => undefined);
  const code = await collector.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
  if (code !== 0) {
    console.error(`the collector exited with code ${code}`);
    process.exitCode = 1;
  }
}
