/**
 * OTLP metrics in the UI, in real Chromium against a real collector child process: a
 * service's runtime-like instruments, recorded with the official @opentelemetry/sdk-metrics
 * (a MeterProvider read on demand, cumulative temporality) and sent as the protobuf bytes
 * of @opentelemetry/otlp-transformer to /v1/metrics, from a process "in" a real container
 * (resource container.id, as @tracedock/sdk sets it); and a trace of the same service.
 * The metrics page lists the instruments with their units and draws the selected one; the
 * trace page shows the service's runtime charts inside its container's resources.
 * Screenshots: test-results/screenshots/metrics.png and trace-runtime.png.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoTrace, type DemoTrace } from './fixtures/ui/demo-trace.js';
import { sendDemoTrace } from './fixtures/ui/send.js';
import { chromiumAvailable, openBrowser, requireUiBuild, type BrowserSession } from './support/browser.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { BUSYBOX_IMAGE, ContainerSet, dockerAvailable, ensureTestImages } from './support/docker.js';

/** Collections sent, this far apart: enough consecutive points for rates and interval percentiles. */
const ROUNDS = 6;
const ROUND_MILLIS = 400;
const WAIT_MILLIS = 30_000;
const SEND_TIMEOUT_MILLIS = 10_000;
const RUNTIME_METRICS = ['nodejs.eventloop.delay.p99', 'v8js.memory.heap.used', 'v8js.gc.duration', 'process.cpu.utilization'];
const HTTP_DURATION = 'http.server.request.duration';
const HEAP_SPACES = { new_space: 2_000_000, old_space: 30_000_000, code_space: 1_000_000 };

/** A reader that collects when asked, as a test wants (the periodic one exports on a timer). */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

let collector: CollectorProcess;
let session: BrowserSession;
let dataDir: string;
let trace: DemoTrace;
let containerId: string;
let service: string;
let gateway: string;
const containers = new ContainerSet();
const ready = chromiumAvailable() && (await dockerAvailable());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson(path: string): Promise<unknown> {
  const response = await fetch(`${collector.baseUrl}${path}`, { signal: AbortSignal.timeout(SEND_TIMEOUT_MILLIS) });
  const body: unknown = await response.json().catch(() => null);
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

function arrayField(body: unknown, field: string): unknown[] {
  if (typeof body !== 'object' || body === null || !(field in body)) return [];
  const value: unknown = Reflect.get(body, field);
  return Array.isArray(value) ? value : [];
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MILLIS;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} within ${WAIT_MILLIS} ms. Collector output:\n${collector.logs().slice(-3000)}`);
}

/** Runtime-like instruments of a Node service, recorded and collected ROUNDS times, each collection POSTed. */
async function sendRuntimeMetrics(): Promise<void> {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service, 'container.id': containerId }), readers: [reader] });
  const meter = provider.getMeter('tracedock-ui-test-runtime', '1.0.0');
  let round = 0;
  meter.createObservableGauge('nodejs.eventloop.delay.p99', { unit: 's', description: 'Event loop 99th percentile delay.' })
    .addCallback((r) => r.observe(0.004 + round * 0.002));
  meter.createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'Heap memory in use, by heap space.' })
    .addCallback((r) => {
      for (const [space, bytes] of Object.entries(HEAP_SPACES)) r.observe(bytes + round * 100_000, { 'v8js.heap.space.name': space });
    });
  meter.createObservableGauge('process.cpu.utilization', { unit: '1', description: 'Difference in process.cpu.time since the last measurement, divided by the elapsed time and number of CPUs.' })
    .addCallback((r) => r.observe(0.1 + round * 0.05));
  const gc = meter.createHistogram('v8js.gc.duration', { unit: 's', description: 'Garbage collection duration.', advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] } });
  const http = meter.createHistogram(HTTP_DURATION, {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] },
  });
  for (; round < ROUNDS; round++) {
    gc.record(0.003, { 'v8js.gc.type': 'minor' });
    gc.record(0.02 + round * 0.001, { 'v8js.gc.type': 'major' });
    for (let i = 0; i < 20; i++) http.record(0.01 + i * 0.01, { 'http.route': '/orders', 'http.request.method': 'GET' });
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new Error(`collecting metrics failed: ${String(errors[0])}`);
    const body = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
    if (body === undefined) throw new Error('ProtobufMetricsSerializer returned nothing');
    const response = await fetch(`${collector.otlpHttpUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf' },
      body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MILLIS),
    });
    if (response.status !== 200) throw new Error(`POST /v1/metrics answered ${response.status}: ${await response.text()}`);
    await sleep(ROUND_MILLIS);
  }
  await provider.shutdown();
}

describe.skipIf(!ready)('UI: OTLP metrics (the metrics page, runtime charts on the trace page)', () => {
  beforeAll(async () => {
    requireUiBuild();
    await ensureTestImages();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-ui-metrics-'));
    collector = await startCollectorProcess({ dataDir });
    const run = randomBytes(3).toString('hex');
    service = `orders-${run}`;
    gateway = `gw-${run}`;
    containerId = await containers.run(['--label', `com.docker.compose.service=${service}`, BUSYBOX_IMAGE, 'sh', '-c', 'while :; do sleep 1; done']);
    const startedMs = Date.now() - 1000;
    await waitFor(`container ${containerId} got no resource sample`, async () => arrayField(await getJson(`/api/containers/${containerId}/samples?start=${startedMs}`), 'samples').length >= 2);
    const t0 = Date.now();
    trace = makeDemoTrace({
      startMillis: t0,
      specs: [
        { key: 'root', service: gateway, name: 'GET /orders', kind: SpanKind.SERVER, startMs: 0, endMs: 900 },
        { key: 'orders', service, name: 'list orders', kind: SpanKind.SERVER, parent: 'root', startMs: 50, endMs: 850 },
      ],
      logs: [],
      resources: { [service]: { 'container.id': containerId } },
    });
    await sendRuntimeMetrics();
    await sendDemoTrace(collector, trace);
    await waitFor(`the collector did not list ${ROUNDS} points of each metric of ${service}`, async () => {
      const metrics = arrayField(await getJson(`/api/metrics?service=${service}&start=${t0 - 60_000}`), 'metrics');
      const counts = new Map(metrics.map((m) => [Reflect.get(Object(m), 'name'), Reflect.get(Object(m), 'pointCount')]));
      return [...RUNTIME_METRICS, HTTP_DURATION].every((name) => Number(counts.get(name) ?? 0) >= ROUNDS);
    });
    session = await openBrowser();
  });

  afterAll(async () => {
    await session?.close();
    await containers.removeAll();
    if (collector !== undefined) expect(await collector.stop()).toBe(0);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the service\'s instruments with their type and unit, from the services page', async () => {
    await session.step('metrics-list', async (page) => {
      await page.goto(`${collector.baseUrl}/services`);
      await page.getByTestId('services-table').getByRole('link', { name: 'metrics' }).first().waitFor();
      await page.getByTestId('services-table').locator('tr', { hasText: service }).getByRole('link', { name: 'metrics' }).click();
      await page.waitForURL(new RegExp(`/metrics\\?service=${service}`));
      const table = page.getByTestId('metrics-table');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
      const row = (name: string) => table.locator(`tr[data-metric="${name}"]`);
      expect(await row('v8js.memory.heap.used').innerText()).toMatch(/gauge\s+By bytes/);
      expect(await row('process.cpu.utilization').innerText()).toContain('ratio (shown as %)');
      expect(await row(HTTP_DURATION).innerText()).toMatch(/histogram\s+s seconds/);
      expect(await row(HTTP_DURATION).innerText()).toContain('Duration of HTTP server requests.');
      expect(Number((await row('nodejs.eventloop.delay.p99').locator('td.num').innerText()).trim())).toBeGreaterThanOrEqual(ROUNDS);
    });
  });

  it('draws a histogram as p50/p95/p99 per interval', async () => {
    await session.step('metrics-histogram', async (page) => {
      await page.getByTestId('metrics-table').getByRole('link', { name: HTTP_DURATION }).click();
      await page.waitForURL(/metric=http\.server\.request\.duration/);
      const chart = page.getByTestId('metric-chart');
      await expect.poll(() => chart.getAttribute('data-lines')).toBe('3');
      expect(await chart.locator('canvas').count()).toBe(1);
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(3 * (ROUNDS - 1));
      const series = await page.getByRole('table', { name: 'Series' }).innerText();
      expect(series).toContain('http.request.method=GET, http.route=/orders · p95');
      // 20 requests of 10..200 ms per interval: 10 of them at or below the 100 ms bound, the median.
      expect(series).toMatch(/p50\s+1\d\d(\.\d)? ms/);
      expect(await page.getByRole('heading', { name: HTTP_DURATION }).count()).toBe(1);
    });
  });

  it('splits a gauge by attribute value and narrows it to one', async () => {
    await session.step('metrics-filter', async (page) => {
      await page.getByTestId('metrics-table').getByRole('link', { name: 'v8js.memory.heap.used' }).click();
      const chart = page.getByTestId('metric-chart');
      await expect.poll(() => chart.getAttribute('data-lines')).toBe('3');
      expect(Number(await chart.getAttribute('data-points'))).toBe(3 * ROUNDS);
      await session.screenshot('metrics');
      await page.getByRole('combobox', { name: 'v8js.heap.space.name' }).selectOption('old_space');
      await page.waitForURL(/attr\.v8js\.heap\.space\.name=old_space/);
      await expect.poll(() => chart.getAttribute('data-lines')).toBe('1');
      expect(await page.getByRole('table', { name: 'Series' }).innerText()).toMatch(/v8js\.heap\.space\.name=old_space\s+29\.\d MiB/);
    });
  });

  it('shows the service\'s runtime charts inside its container\'s resources on the trace page', async () => {
    await session.step('trace-runtime', async (page) => {
      await page.goto(`${collector.baseUrl}/traces/${trace.traceId}`);
      const section = page.locator('.container-resources', { has: page.locator(`[data-testid="resource-charts"][data-container-id="${containerId}"]`) });
      await section.waitFor();
      const runtime = section.locator(`[data-testid="runtime-charts"][data-service="${service}"]`);
      await runtime.waitFor();
      expect(await runtime.getAttribute('data-container-id')).toBe(containerId);
      for (const name of RUNTIME_METRICS) {
        const cell = runtime.locator(`[data-runtime-metric="${name}"]`);
        expect(await cell.locator('canvas').count(), name).toBe(1);
        expect(Number(await cell.getAttribute('data-points')), name).toBeGreaterThanOrEqual(ROUNDS - 1);
      }
      const heapLabel = await runtime.locator('[data-runtime-metric="v8js.memory.heap.used"] canvas').getAttribute('aria-label');
      expect(heapLabel).toMatch(/last 3\d\.\d MiB/); // the three spaces summed at the last point: 34.5 MB = 32.9 MiB
      // The gateway sends no metrics: one line says so, and it has no chart boxes.
      expect(await page.getByTestId('runtime-hint').innerText()).toContain(gateway);
      expect(await page.locator(`[data-testid="runtime-charts"][data-service="${gateway}"]`).count()).toBe(0);
      await runtime.scrollIntoViewIfNeeded();
      await session.screenshot('trace-runtime');
    });
  });

  it('logged no dialog, page error or console error', () => {
    expect(session.problems).toEqual([]);
  });
});
