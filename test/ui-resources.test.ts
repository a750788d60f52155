/**
 * The resources panel on real containers: two containers of the real Docker engine (one
 * CPU-starved: --cpus 0.2 and a busy loop; one idle), a trace whose spans ran in them
 * (resource container.id, as @tracedock/sdk sets it), and the collector's own samples of
 * them. The test sees one chart set per container with that container's spans shaded, the
 * span under the pointer highlighted on the charts and the reverse, and a suspect on the
 * slow span with a link to its chart point. Screenshot: test-results/screenshots/trace-resources.png.
 * The suspects are the collector's own (analysis/), computed from those real samples.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoTrace, type DemoTrace } from './fixtures/ui/demo-trace.js';
import { sendDemoTrace } from './fixtures/ui/send.js';
import { chromiumAvailable, openBrowser, requireUiBuild, type BrowserSession } from './support/browser.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { BUSYBOX_IMAGE, ContainerSet, dockerAvailable, ensureTestImages } from './support/docker.js';

const SAMPLES_BEFORE = 3;
const WAIT_MILLIS = 60_000;
const SLOW_SPAN_MS = 2_500;

let collector: CollectorProcess;
let session: BrowserSession;
let dataDir: string;
let trace: DemoTrace;
let busyId: string;
let calmId: string;
const containers = new ContainerSet();
const docker = chromiumAvailable() && (await dockerAvailable());

async function samplesOf(id: string, sinceMs: number): Promise<{ t: number; cpuThrottledMs: number | null }[]> {
  const response = await fetch(`${collector.baseUrl}/api/containers/${id}/samples?start=${sinceMs}`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !('samples' in body) || !Array.isArray(body.samples)) {
    throw new Error(`GET samples answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.samples.map((s: { t: number; cpuThrottledMs: number | null }) => ({ t: s.t, cpuThrottledMs: s.cpuThrottledMs }));
}

async function waitForSamples(id: string, sinceMs: number, count: number): Promise<void> {
  // A window that starts in the future is a 400: wait until it has begun.
  if (sinceMs >= Date.now()) await new Promise((resolve) => setTimeout(resolve, sinceMs - Date.now() + 50));
  const deadline = Date.now() + WAIT_MILLIS;
  while (Date.now() < deadline) {
    if ((await samplesOf(id, sinceMs)).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`container ${id} got fewer than ${count} samples within ${WAIT_MILLIS} ms; is the collector connected to Docker? ${collector.logs().slice(-2000)}`);
}

describe.skipIf(!docker)('UI: the resources panel on real containers', () => {
  beforeAll(async () => {
    const began = Date.now();
    const mark = (what: string): void => console.info(`ui-resources: ${what} after ${Date.now() - began} ms`);
    requireUiBuild();
    await ensureTestImages();
    mark('images');
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-ui-res-'));
    collector = await startCollectorProcess({ dataDir });
    // Unique Compose names: other tests' containers must not be joined to these spans.
    const run = randomBytes(3).toString('hex');
    busyId = await containers.run(['--cpus', '0.2', '--label', `com.docker.compose.service=busy-${run}`, BUSYBOX_IMAGE, 'sh', '-c', 'while :; do :; done']);
    calmId = await containers.run(['--label', `com.docker.compose.service=calm-${run}`, BUSYBOX_IMAGE, 'sh', '-c', 'i=0; while :; do echo "tick $i"; i=$((i+1)); sleep 0.5; done']);
    const startedMs = Date.now();
    mark('containers started');
    await waitForSamples(busyId, startedMs - 1000, SAMPLES_BEFORE);
    await waitForSamples(calmId, startedMs - 1000, SAMPLES_BEFORE);
    mark('samples');
    // The trace ran just now, inside the sampled time; the charts also want samples after it.
    const t0 = Date.now() - SLOW_SPAN_MS - 500;
    trace = makeDemoTrace({
      startMillis: t0,
      specs: [
        { key: 'root', service: `gw-${run}`, name: 'GET /report', kind: SpanKind.SERVER, startMs: 0, endMs: SLOW_SPAN_MS + 300 },
        { key: 'calm', service: `calm-${run}`, name: 'load settings', kind: SpanKind.SERVER, parent: 'root', startMs: 20, endMs: 120 },
        { key: 'slow', service: `busy-${run}`, name: 'render report', kind: SpanKind.SERVER, parent: 'root', startMs: 150, endMs: SLOW_SPAN_MS + 150 },
      ],
      logs: [{ span: 'slow', atMs: 200, severityNumber: 13, severityText: 'WARN', body: 'rendering is slow' }],
      resources: { [`calm-${run}`]: { 'container.id': calmId }, [`busy-${run}`]: { 'container.id': busyId } },
    });
    await sendDemoTrace(collector, trace);
    await waitForSamples(busyId, t0 + SLOW_SPAN_MS + 1500, 1);
    mark('trace sent');
    session = await openBrowser();
  });

  afterAll(async () => {
    await session?.close();
    await containers.removeAll();
    if (collector !== undefined) expect(await collector.stop()).toBe(0);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows one chart set per container, with that container\'s spans shaded', async () => {
    await session.step('resources', async (page) => {
      await page.goto(`${collector.baseUrl}/traces/${trace.traceId}`);
      const sets = page.getByTestId('resource-charts');
      await expect.poll(() => sets.count()).toBe(2);
      for (const id of [busyId, calmId]) {
        const set = page.locator(`[data-testid="resource-charts"][data-container-id="${id}"]`);
        expect(await set.locator('canvas').count()).toBe(5); // CPU, throttling, memory, network, block I/O
        expect(Number(await set.getAttribute('data-samples'))).toBeGreaterThanOrEqual(SAMPLES_BEFORE);
        expect(await set.getAttribute('data-shaded-intervals')).toBe('1');
      }
      expect(await page.getByTestId('resources-panel').innerText()).toContain('start'); // the containers' start events
    });
  });

  it('highlights the hovered span on its container\'s charts, and the spans under the pointer on a chart', async () => {
    await session.step('hover', async (page) => {
      const busy = page.locator(`[data-testid="resource-charts"][data-container-id="${busyId}"]`);
      await page.locator(`[data-span-id="${trace.spanIds.slow}"]`).hover();
      await expect.poll(() => busy.getAttribute('data-highlight')).toMatch(/^\d+(\.\d+)?-\d+(\.\d+)?$/);
      await page.mouse.move(0, 0);
      await expect.poll(() => busy.getAttribute('data-highlight')).toBeNull();
      // Sweep the pointer across the CPU chart: over the shaded interval the slow span lights up.
      await busy.scrollIntoViewIfNeeded();
      const box = await busy.locator('canvas').first().boundingBox();
      if (box === null) throw new Error('the CPU chart has no box');
      const slowRow = page.locator(`[data-span-id="${trace.spanIds.slow}"]`);
      let matched = false;
      for (let step = 0; step <= 60 && !matched; step++) {
        await page.mouse.move(box.x + (box.width * step) / 60, box.y + box.height / 2);
        matched = ((await slowRow.getAttribute('class')) ?? '').includes('time-match');
      }
      expect(matched).toBe(true);
    });
  });

  it('shows the suspect on the slow span with its evidence and a link to the chart point', async () => {
    await session.step('suspect', async (page) => {
      const slowRow = page.locator(`[data-span-id="${trace.spanIds.slow}"]`);
      await expect.poll(() => slowRow.getByTestId('suspect-badge').count()).toBe(1);
      await slowRow.click();
      const suspects = page.getByTestId('span-suspects');
      // Other findings (PSI stalls, a noisy neighbour) may stand beside it on a busy host.
      const throttled = suspects.getByRole('listitem').filter({ hasText: 'cpu_throttled' });
      await expect.poll(() => throttled.count()).toBe(1);
      expect(await throttled.getByRole('table', { name: 'Evidence' }).innerText()).toContain('window');
      await throttled.getByTestId('suspect-chart-link').click();
      const busy = page.locator(`[data-testid="resource-charts"][data-container-id="${busyId}"]`);
      await expect.poll(() => busy.getAttribute('data-focus')).not.toBeNull();
      await page.getByRole('heading', { name: 'Resources' }).scrollIntoViewIfNeeded();
      await session.screenshot('trace-resources');
    });
  });

  it('logged no dialog, page error or console error', () => {
    expect(session.problems).toEqual([]);
  });
});
