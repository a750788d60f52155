/**
 * Hostile telemetry is shown as text and runs nothing. Span names, service names, attribute
 * keys and values, event names, status messages, span links and their attributes,
 * instrumentation scopes, log bodies, log attributes and stack traces (and, with a Docker engine,
 * a container's Compose labels and stdout) carry markup; every page that shows them is
 * opened in real Chromium, which must show the markup literally, create no element from
 * it, open no dialog and log no error (the UI's Content-Security-Policy would log one for
 * any blocked inline script or handler).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, TraceFlags } from '@opentelemetry/api';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoTrace, type DemoTrace } from './fixtures/ui/demo-trace.js';
import { sendDemoTrace } from './fixtures/ui/send.js';
import { chromiumAvailable, openBrowser, requireUiBuild, type BrowserSession } from './support/browser.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { BUSYBOX_IMAGE, ContainerSet, docker, dockerAvailable, ensureTestImages } from './support/docker.js';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>alert(1)</script>';
const SVG = '"><svg onload=alert(1)>';
const SERVICE = `svc${IMG}`;
const STACKTRACE = `Traceback ${SVG}\n  File "${IMG}", line 1\n${SCRIPT}`;
const HOSTILE_SCOPE = { name: `scope${IMG}`, version: SCRIPT };
/** Discovery inspects every container of the engine; on a busy CI host with many, that takes a while. */
const CONTAINER_WAIT_MILLIS = 60_000;

let collector: CollectorProcess;
let session: BrowserSession;
let dataDir: string;
let hostile: DemoTrace;
let containerId: string | undefined;
const containers = new ContainerSet();

async function waitForContainer(id: string): Promise<void> {
  const deadline = Date.now() + CONTAINER_WAIT_MILLIS;
  while (Date.now() < deadline) {
    const body = await (await fetch(`${collector.baseUrl}/api/containers`)).text();
    if (body.includes(id)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the collector did not list container ${id} within ${CONTAINER_WAIT_MILLIS} ms`);
}

/** The page shows `text` literally and made no element out of any hostile value. */
async function expectInert(page: Page, texts: readonly string[]): Promise<void> {
  const body = await page.locator('body').innerText();
  for (const text of texts) expect(body, `literal text ${text}`).toContain(text);
  expect(await page.locator('img, svg[onload], iframe, object, embed').count()).toBe(0);
  expect(await page.locator('script').count()).toBe(1); // the app's own module script
  expect(await page.locator('[onerror], [onload], [onclick]').count()).toBe(0);
}

describe.skipIf(!chromiumAvailable())('UI: hostile telemetry is rendered as text', () => {
  beforeAll(async () => {
    requireUiBuild();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-ui-xss-'));
    collector = await startCollectorProcess({ dataDir });
    if (await dockerAvailable()) {
      await ensureTestImages();
      containerId = await containers.run([
        '--label', `com.docker.compose.service=${IMG}`,
        '--label', `com.docker.compose.project=${SCRIPT}`,
        BUSYBOX_IMAGE, 'sh', '-c', `echo '${IMG} from stdout'; sleep 600`,
      ]);
      await waitForContainer(containerId);
    }
    hostile = makeDemoTrace({
      specs: [
        { key: 'root', service: SERVICE, name: `GET ${IMG}`, kind: SpanKind.SERVER, startMs: 0, endMs: 50, attributes: { [`key${IMG}`]: SCRIPT, plain: SVG } },
        { key: 'child', service: SERVICE, name: SCRIPT, kind: SpanKind.INTERNAL, parent: 'root', startMs: 5, endMs: 40, error: SVG, events: [{ name: IMG, atMs: 10, attributes: { detail: SCRIPT } }] },
      ],
      logs: [
        {
          span: 'child', atMs: 20, severityNumber: 17, severityText: IMG, body: `body ${SCRIPT} ${IMG}`,
          attributes: { 'exception.type': IMG, 'exception.message': SCRIPT, 'exception.stacktrace': STACKTRACE, [`attr${SVG}`]: `value${IMG}` },
        },
      ],
      resources: containerId === undefined ? {} : { [SERVICE]: { 'container.id': containerId } },
    });
    // The root links to the child (its own trace) with hostile link attributes, and both
    // spans and the log record come from a scope whose name and version are markup.
    hostile.spans = hostile.spans.map((span) => ({
      ...span,
      instrumentationScope: HOSTILE_SCOPE,
      links: span.spanContext().spanId !== hostile.spanIds.root ? [] : [
        { context: { traceId: hostile.traceId, spanId: hostile.spanIds.child ?? '', traceFlags: TraceFlags.SAMPLED }, attributes: { [`link${IMG}`]: SCRIPT } },
      ],
    }));
    hostile.logs = hostile.logs.map((log) => ({ ...log, instrumentationScope: { name: `logger${IMG}` } }));
    await sendDemoTrace(collector, hostile);
    session = await openBrowser({
      // The container page asks /api/traces?containerId= first; a collector without that filter answers 400.
      ignoreConsole: (message) => message.text().includes('status of 400') && containerId !== undefined,
    });
  });

  afterAll(async () => {
    await session?.close();
    await containers.removeAll();
    if (collector !== undefined) expect(await collector.stop()).toBe(0);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('search results and the scatter plot', async () => {
    await session.step('xss-search', async (page) => {
      await page.goto(`${collector.baseUrl}/search?service=${encodeURIComponent(SERVICE)}`);
      await expect.poll(() => page.getByRole('table', { name: 'Traces' }).locator('tbody tr').count()).toBe(1);
      // Hovering the point draws its tooltip (canvas text).
      const canvas = page.locator('canvas').first();
      const box = await canvas.boundingBox();
      if (box !== null) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await expectInert(page, [`${SERVICE}: GET ${IMG}`]);
    });
  });

  it('the trace: waterfall, span details, events, status and logs', async () => {
    await session.step('xss-trace', async (page) => {
      await page.goto(`${collector.baseUrl}/traces/${hostile.traceId}?span=${hostile.spanIds.child}`);
      await expect.poll(() => page.getByTestId('waterfall-row').count()).toBe(2);
      const details = page.getByTestId('span-details');
      await expect.poll(() => details.innerText()).toContain(`body ${SCRIPT} ${IMG}`);
      await expectInert(page, [`GET ${IMG}`, SCRIPT, `ERROR: ${SVG}`, IMG, `${IMG}: ${SCRIPT}`, `attr${SVG}=value${IMG}`, `logger${IMG}`, `scope${IMG}`]);
      expect(await details.getByRole('region', { name: 'Stack trace' }).textContent()).toBe(STACKTRACE);
      await page.locator(`[data-span-id="${hostile.spanIds.root}"]`).click();
      await expect.poll(() => details.innerText()).toContain(`key${IMG}`);
      await expectInert(page, [`key${IMG}`, SCRIPT, SVG, `link${IMG}`, `this trace, span ${SERVICE}: ${SCRIPT}`]);
      if (containerId !== undefined) {
        expect(await details.innerText()).toContain(`${SCRIPT} / ${IMG}`); // Compose project / service
        await expect.poll(() => page.getByTestId('resource-charts').count()).toBe(1);
      }
    });
  });

  it('services, logs and containers pages', async () => {
    await session.step('xss-pages', async (page) => {
      await page.goto(`${collector.baseUrl}/services`);
      await expect.poll(() => page.getByTestId('services-table').innerText()).toContain(SERVICE);
      await expectInert(page, [SERVICE]);
      await page.goto(`${collector.baseUrl}/logs?traceId=${hostile.traceId}`);
      await expect.poll(() => page.getByRole('table', { name: 'Log records' }).innerText()).toContain(`body ${SCRIPT} ${IMG}`);
      await expectInert(page, [IMG, `${IMG}: ${SCRIPT}`, `attr${SVG}=value${IMG}`, `logger${IMG}`]);
      expect(await page.getByRole('region', { name: 'Stack trace' }).textContent()).toBe(STACKTRACE);
      if (containerId === undefined) return;
      await page.goto(`${collector.baseUrl}/containers?range=15m`);
      await expect.poll(() => page.locator('body').innerText()).toContain(`${SCRIPT} / ${IMG}`);
      await expectInert(page, [`${SCRIPT} / ${IMG}`]);
      // Container lines wait in the queue for an OTLP copy (--log-dedupe-hold-ms, 5 s) before
      // they are stored: open the page once the API has the line.
      const logsUrl = `${collector.baseUrl}/api/logs?containerId=${containerId}&start=${Date.now() - 900_000}`;
      await expect.poll(async () => JSON.stringify(await (await fetch(logsUrl)).json()), { timeout: 20_000 }).toContain('from stdout');
      await page.goto(`${collector.baseUrl}/containers/${containerId}?range=15m`);
      await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain(`${IMG} from stdout`);
      // By container where the API filters by it, else by the container's (hostile) Compose service.
      await expect.poll(() => page.locator('body').innerText()).toMatch(/Traces of Compose service|No trace ran|svc<img/);
      await expectInert(page, [`${IMG} from stdout`]);
      // Its facts name the Docker host it runs on (the engine's own name).
      const engine = (await docker(['info', '--format', '{{.Name}}'])).trim();
      await expect.poll(() => page.locator('dl.facts').first().innerText()).toMatch(new RegExp(`Host\\s+${engine}`));
    });
  });

  it('opened no dialog and logged no page or console error', () => {
    expect(session.problems).toEqual([]);
  });
});
