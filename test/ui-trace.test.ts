/**
 * The UI in real Chromium against a real collector child process fed over OTLP/HTTP
 * (protobuf from the OpenTelemetry serializers): search by service, open the trace, check
 * every span and its nesting in the waterfall, open a span (attributes, scope, logs), collapse and
 * walk the tree by keyboard, then the services page. Screenshots of the search, trace and
 * services pages go to test-results/screenshots/ (CI keeps them as artifacts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedDepths, makeDemoTrace, type DemoSpanSpec, type DemoTrace } from './fixtures/ui/demo-trace.js';
import { sendDemoTrace } from './fixtures/ui/send.js';
import { chromiumAvailable, openBrowser, requireUiBuild, type BrowserSession } from './support/browser.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';

let collector: CollectorProcess;
let session: BrowserSession;
let dataDir: string;
let checkout: DemoTrace;
const BIG_TRACE_SPANS = 5000;

describe.skipIf(!chromiumAvailable())('UI: search → trace → span → services', () => {
  beforeAll(async () => {
    requireUiBuild();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-ui-'));
    // Docker off: this test is about traces, and a container of another test must not be joined to its spans.
    collector = await startCollectorProcess({ dataDir, env: { TRACEDOCK_DOCKER: 'off' } });
    checkout = makeDemoTrace();
    // A trace of another service, which the service filter must leave out.
    const other = makeDemoTrace({
      specs: [{ key: 'root', service: 'ui-billing', name: 'POST /invoices', kind: SpanKind.SERVER, startMs: 0, endMs: 40 }],
      logs: [],
    });
    await sendDemoTrace(collector, checkout);
    await sendDemoTrace(collector, other);
    session = await openBrowser();
  });

  afterAll(async () => {
    await session?.close();
    if (collector !== undefined) expect(await collector.stop()).toBe(0);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('finds the trace by service and lists it with its figures', async () => {
    await session.step('search', async (page) => {
      await page.goto(`${collector.baseUrl}/search`);
      await page.getByRole('combobox', { name: 'Service' }).selectOption('ui-gateway');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/[?&]service=ui-gateway/);
      const list = page.getByRole('table', { name: 'Traces' });
      await expect.poll(() => list.locator('tbody tr').count()).toBe(1);
      const row = list.locator('tbody tr').first();
      expect(await row.innerText()).toContain('ui-gateway: GET /checkout');
      expect(await row.innerText()).toContain('8'); // span count
      expect(await list.innerText()).not.toContain('ui-billing');
      // The scatter plot is drawn (a canvas) next to the list.
      expect(await page.locator('canvas[aria-label^="Duration over time"]').count()).toBe(1);
      await session.screenshot('search');
    });
  });

  it('opens the trace and shows every span with its nesting', async () => {
    await session.step('trace', async (page) => {
      await page.getByRole('link', { name: /ui-gateway: GET \/checkout/ }).click();
      await page.waitForURL(new RegExp(`/traces/${checkout.traceId}`));
      const rows = page.getByTestId('waterfall-row');
      await expect.poll(() => rows.count()).toBe(checkout.specs.length);
      const depths = expectedDepths(checkout.specs);
      for (const spec of checkout.specs) {
        const row = page.locator(`[data-testid="waterfall-row"][data-span-id="${checkout.spanIds[spec.key]}"]`);
        expect(await row.getAttribute('aria-level'), spec.name).toBe(String((depths.get(spec.key) ?? 0) + 1));
        expect(await row.innerText()).toContain(spec.name);
      }
      // Depth-first order: each span comes after its parent.
      const order = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-span-id')));
      for (const spec of checkout.specs) {
        if (spec.parent === undefined) continue;
        expect(order.indexOf(checkout.spanIds[spec.key] ?? '')).toBeGreaterThan(order.indexOf(checkout.spanIds[spec.parent] ?? ''));
      }
      // Errors are marked; the failing chain is on the critical path.
      const inventoryRow = page.locator(`[data-span-id="${checkout.spanIds.inventory}"]`);
      expect(await inventoryRow.getAttribute('class')).toContain('error');
      expect(await inventoryRow.locator('.wf-bar.critical').count()).toBe(1);
    });
  });

  it('opens a span and shows its attributes, status, events and logs', async () => {
    await session.step('span', async (page) => {
      await page.locator(`[data-span-id="${checkout.spanIds.inventory}"]`).click();
      await page.waitForURL(new RegExp(`span=${checkout.spanIds.inventory}`));
      const details = page.getByTestId('span-details');
      await expect.poll(() => details.locator('h2').innerText()).toContain('GET /stock/:sku');
      const attributes = details.getByRole('table', { name: 'Attributes' });
      expect(await attributes.innerText()).toMatch(/inventory\.sku\s+sku-42/);
      expect(await details.innerText()).toContain('ERROR: out of stock: sku-42');
      // Sent by the fixture's instrumentation scope, with no trace state and no links.
      expect(await details.getByTestId('span-scope').innerText()).toMatch(/tracedock-ui-test\s+version 1\.0\.0/);
      expect(await details.getByTestId('span-trace-state').innerText()).toBe('—');
      expect(await details.innerText()).toContain('No links.');
      const logs = details.getByRole('table', { name: 'Logs of this span' });
      await expect.poll(() => logs.innerText()).toContain('Out Of Stock for sku 42');
      expect(await logs.innerText()).toContain('ERROR');
      await page.locator(`[data-span-id="${checkout.spanIds.orders}"]`).click();
      await expect.poll(() => details.innerText()).toContain('order.validated');
      await expect.poll(() => details.getByRole('table', { name: 'Logs of this span' }).innerText()).toContain('order o-1001 received');
      await session.screenshot('trace');
    });
  });

  it('collapses a subtree and walks the tree by keyboard', async () => {
    await session.step('keyboard', async (page) => {
      const rows = page.getByTestId('waterfall-row');
      const ordersRow = page.locator(`[data-span-id="${checkout.spanIds.orders}"]`);
      await ordersRow.getByRole('button', { name: /Collapse/ }).click();
      await expect.poll(() => rows.count()).toBe(3);
      await page.getByRole('tree').focus();
      await page.keyboard.press('ArrowRight'); // expands the selected, collapsed "POST /orders"
      await expect.poll(() => rows.count()).toBe(checkout.specs.length);
      await page.keyboard.press('ArrowDown');
      await page.waitForURL(new RegExp(`span=${checkout.spanIds.validate}`));
      await page.keyboard.press('ArrowLeft'); // a leaf: goes to its parent
      await page.waitForURL(new RegExp(`span=${checkout.spanIds.orders}`));
    });
  });

  it('says that no container served the trace when none matched', async () => {
    await session.step('resources-empty', async (page) => {
      const panel = page.getByTestId('resources-panel');
      expect(await panel.innerText()).toContain('No span of this trace was matched to a container');
    });
  });

  it('shows the services with their latency and error rate; a service opens its search', async () => {
    await session.step('services', async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
      const table = page.getByTestId('services-table');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
      const text = await table.innerText();
      for (const service of ['ui-gateway', 'ui-orders', 'ui-inventory', 'ui-billing']) expect(text).toContain(service);
      const map = page.getByTestId('service-map');
      expect(await map.locator('.map-node').count()).toBe(4);
      expect(await map.locator('.map-edge').count()).toBeGreaterThanOrEqual(2);
      await session.screenshot('services');
      await table.getByRole('link', { name: 'ui-inventory' }).click();
      await page.waitForURL(/\/search\?service=ui-inventory/);
      await expect.poll(() => page.getByRole('table', { name: 'Traces' }).locator('tbody tr').count()).toBe(1);
    });
  });

  it('opens a 5,000-span trace with only the visible rows in the DOM, and reaches its last span by keyboard', async () => {
    await session.step('big-trace', async (page) => {
      const specs: DemoSpanSpec[] = [{ key: 's0', service: 'ui-big', name: 'GET /big', kind: SpanKind.SERVER, startMs: 0, endMs: 5000 }];
      for (let i = 1; i < BIG_TRACE_SPANS; i++) {
        specs.push({ key: `s${i}`, service: `ui-big-${i % 4}`, name: `step ${i}`, kind: SpanKind.INTERNAL, parent: `s${Math.floor((i - 1) / 4)}`, startMs: i / 1000, endMs: i / 1000 + 1 });
      }
      const big = makeDemoTrace({ specs, logs: [] });
      await sendDemoTrace(collector, big);
      await page.goto(`${collector.baseUrl}/traces/${big.traceId}`);
      const waterfall = page.getByTestId('waterfall');
      await expect.poll(() => waterfall.getAttribute('data-span-count'), { timeout: 30_000 }).toBe(String(BIG_TRACE_SPANS));
      const inDom = await page.getByTestId('waterfall-row').count();
      expect(inDom).toBeGreaterThan(10);
      expect(inDom).toBeLessThan(100);
      await page.getByRole('tree').focus();
      await page.keyboard.press('End');
      const lastRow = await page.getByRole('tree').evaluate((tree) => tree.getAttribute('aria-activedescendant'));
      await expect.poll(() => page.locator(`#${lastRow}`).getAttribute('aria-selected')).toBe('true');
      expect(await page.getByTestId('span-details').locator('h2').innerText()).toMatch(/step \d+/);
    });
  });

  it('logged no dialog, page error or console error', () => {
    expect(session.problems).toEqual([]);
  });
});
