/**
 * What real clients send beyond names and times, in real Chromium against a real collector
 * child process fed over OTLP/HTTP protobuf (the OpenTelemetry serializers): a consumer span
 * that links to its producer's trace (and to a trace the collector never received), sent with
 * a W3C trace state by an instrumentation scope with a version, and an error log record with
 * exception.type / exception.message / exception.stacktrace as Python's and Java's logging
 * handlers send it. The span details show the scope, the trace state and the links (a link
 * opens the linked trace); the log rows show the exception, the stack trace preformatted, and
 * the other attributes, on the trace page and on the logs page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTraceState, SpanKind, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoTrace, type DemoTrace } from './fixtures/ui/demo-trace.js';
import { sendDemoTrace } from './fixtures/ui/send.js';
import { chromiumAvailable, openBrowser, requireUiBuild, type BrowserSession } from './support/browser.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { randomSpanId, randomTraceId } from './support/otlp-requests.js';

const SCOPE = { name: 'ui-links-messaging', version: '2.3.4' };
const TRACE_STATE = 'vendor=abc123,tracedock=t61rcWkgMzE';
const LINK_TRACE_STATE = 'producer=p1';
const LOGGER = 'checkout.payments';
const STACKTRACE = [
  'Traceback (most recent call last):',
  '  File "/app/payments.py", line 12, in charge',
  '    raise ValueError("card declined")',
  'ValueError: card declined',
].join('\n');
/** A trace the collector never receives: its link still shows, and its page says not found. */
const MISSING_TRACE_ID = randomTraceId();
const MISSING_SPAN_ID = randomSpanId();

let collector: CollectorProcess;
let session: BrowserSession;
let dataDir: string;
let producer: DemoTrace;
let consumer: DemoTrace;

/** The consumer's root span as a messaging SDK sends it: links, trace state, its own scope. */
function withLinksAndState(span: ReadableSpan): ReadableSpan {
  const context = span.spanContext();
  return {
    ...span,
    spanContext: () => ({ ...context, traceState: createTraceState(TRACE_STATE) }),
    instrumentationScope: SCOPE,
    links: [
      {
        context: { traceId: producer.traceId, spanId: producer.spanIds.publish ?? '', traceFlags: TraceFlags.SAMPLED, traceState: createTraceState(LINK_TRACE_STATE) },
        attributes: { 'messaging.operation.type': 'process', 'messaging.message.id': 'm-17' },
      },
      { context: { traceId: MISSING_TRACE_ID, spanId: MISSING_SPAN_ID, traceFlags: TraceFlags.SAMPLED }, attributes: {} },
    ],
  };
}

describe.skipIf(!chromiumAvailable())('UI: span links, scope, trace state and log attributes', () => {
  beforeAll(async () => {
    requireUiBuild();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-ui-links-'));
    collector = await startCollectorProcess({ dataDir, env: { TRACEDOCK_DOCKER: 'off' } });
    producer = makeDemoTrace({
      specs: [
        { key: 'root', service: 'ui-links-orders', name: 'POST /orders', kind: SpanKind.SERVER, startMs: 0, endMs: 30 },
        { key: 'publish', service: 'ui-links-orders', name: 'publish order.created', kind: SpanKind.PRODUCER, parent: 'root', startMs: 10, endMs: 20 },
      ],
      logs: [],
    });
    consumer = makeDemoTrace({
      specs: [
        { key: 'process', service: 'ui-links-payments', name: 'process order.created', kind: SpanKind.CONSUMER, startMs: 100, endMs: 160, error: 'card declined' },
        { key: 'charge', service: 'ui-links-payments', name: 'charge card', kind: SpanKind.INTERNAL, parent: 'process', startMs: 110, endMs: 150, error: 'card declined' },
      ],
      logs: [
        {
          span: 'charge', atMs: 140, severityNumber: 17, severityText: 'ERROR', body: 'payment failed for order o-17',
          attributes: { 'exception.type': 'ValueError', 'exception.message': 'card declined', 'exception.stacktrace': STACKTRACE, 'code.lineno': 12, 'code.function': 'charge' },
        },
      ],
    });
    consumer.spans = consumer.spans.map((span) => (span.spanContext().spanId === consumer.spanIds.process ? withLinksAndState(span) : span));
    consumer.logs = consumer.logs.map((log) => ({ ...log, instrumentationScope: { name: LOGGER } }));
    await sendDemoTrace(collector, producer);
    await sendDemoTrace(collector, consumer);
    session = await openBrowser({
      // Opening the link to the trace the collector does not have asks the API, which answers 404.
      ignoreConsole: (message) => message.text().includes('status of 404') && message.location().url.includes(MISSING_TRACE_ID),
    });
  });

  afterAll(async () => {
    await session?.close();
    if (collector !== undefined) expect(await collector.stop()).toBe(0);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it("shows the span's instrumentation scope with its version, and its trace state", async () => {
    await session.step('links-scope', async (page) => {
      await page.goto(`${collector.baseUrl}/traces/${consumer.traceId}?span=${consumer.spanIds.process}`);
      const details = page.getByTestId('span-details');
      await expect.poll(() => details.locator('h2').innerText()).toContain('process order.created');
      const scope = await details.getByTestId('span-scope').innerText();
      expect(scope, 'scope name').toContain(SCOPE.name);
      expect(scope, 'scope version').toContain(SCOPE.version);
      expect(await details.getByTestId('span-trace-state').innerText()).toBe(TRACE_STATE);
      // The other span of the trace was sent by the fixture's scope, without a trace state.
      await page.locator(`[data-span-id="${consumer.spanIds.charge}"]`).click();
      await expect.poll(() => details.getByTestId('span-scope').innerText()).toContain('tracedock-ui-test');
      expect(await details.getByTestId('span-trace-state').innerText()).toBe('—');
      expect(await details.innerText()).toContain('No links.');
    });
  });

  it("shows an error log record's exception, stack trace preformatted, and its attributes under its row", async () => {
    await session.step('links-log-attributes', async (page) => {
      const logs = page.getByTestId('span-details').getByRole('table', { name: 'Logs of this span' });
      await expect.poll(() => logs.innerText()).toContain('payment failed for order o-17');
      const row = logs.getByTestId('log-line');
      expect(await row.count()).toBe(1);
      expect(await row.innerText(), 'the logger (scope) that emitted it').toContain(LOGGER);
      const detail = logs.getByTestId('log-detail');
      expect(await detail.innerText()).toContain('ValueError: card declined');
      const stacktrace = detail.getByRole('region', { name: 'Stack trace' });
      expect(await stacktrace.textContent(), 'the stack trace as sent').toBe(STACKTRACE);
      // innerText is the text as laid out: equal only if line breaks and indentation are kept on screen.
      expect(await stacktrace.innerText(), 'the stack trace as shown').toBe(STACKTRACE);
      const attributes = detail.getByRole('list', { name: 'Log attributes' });
      expect(await attributes.innerText()).toMatch(/code\.function=charge\s+code\.lineno=12/);
      // The exception attributes are shown once, as the exception, not again as key=value.
      expect(await attributes.innerText()).not.toContain('exception.');
      await detail.scrollIntoViewIfNeeded(); // the screenshot shows the panel scrolled to it
      await session.screenshot('trace-log-attributes');
    });
  });

  it('lists the span links; a link opens the linked trace with the linked span selected', async () => {
    await session.step('links-open', async (page) => {
      await page.locator(`[data-span-id="${consumer.spanIds.process}"]`).click();
      const details = page.getByTestId('span-details');
      const links = details.getByTestId('span-link');
      await expect.poll(() => links.count()).toBe(2);
      const toProducer = links.filter({ hasText: producer.traceId });
      expect(await toProducer.innerText()).toContain(`span ${producer.spanIds.publish}`);
      expect(await toProducer.innerText()).toContain(LINK_TRACE_STATE);
      expect(await toProducer.getByRole('table', { name: 'Link attributes' }).innerText()).toMatch(/messaging\.message\.id\s+m-17/);
      expect(await links.filter({ hasText: MISSING_TRACE_ID }).count(), 'the link to a trace the collector does not have').toBe(1);
      await toProducer.scrollIntoViewIfNeeded();
      await session.screenshot('trace-links');
      await toProducer.getByRole('link', { name: producer.traceId }).click();
      await page.waitForURL(new RegExp(`/traces/${producer.traceId}\\?span=${producer.spanIds.publish}`));
      await expect.poll(() => page.getByTestId('waterfall-row').count()).toBe(2);
      expect(await page.getByTestId('waterfall').innerText()).toContain('POST /orders');
      await expect.poll(() => details.locator('h2').innerText()).toContain('publish order.created');
    });
  });

  it("opens a link to a trace the collector does not have to that trace's not-found page", async () => {
    await session.step('links-missing', async (page) => {
      await page.goBack();
      await page.waitForURL(new RegExp(`/traces/${consumer.traceId}`));
      const link = page.getByTestId('span-details').getByTestId('span-link').filter({ hasText: MISSING_TRACE_ID });
      await link.getByRole('link', { name: MISSING_TRACE_ID }).click();
      await page.waitForURL(new RegExp(`/traces/${MISSING_TRACE_ID}\\?span=${MISSING_SPAN_ID}`));
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.innerText()).toContain(`Could not load trace ${MISSING_TRACE_ID}`);
      expect(await alert.innerText()).toContain('404');
    });
  });

  it('shows the exception and attributes under the record on the logs page too', async () => {
    await session.step('links-logs-page', async (page) => {
      await page.goto(`${collector.baseUrl}/logs?traceId=${consumer.traceId}`);
      const table = page.getByRole('table', { name: 'Log records' });
      await expect.poll(() => table.innerText()).toContain('payment failed for order o-17');
      expect(await table.getByTestId('log-line').innerText()).toContain(LOGGER);
      const detail = table.getByTestId('log-detail');
      expect(await detail.innerText()).toContain('ValueError: card declined');
      expect(await detail.getByRole('region', { name: 'Stack trace' }).textContent()).toBe(STACKTRACE);
      expect(await detail.getByRole('list', { name: 'Log attributes' }).innerText()).toContain('code.lineno=12');
      // The detail row spans the whole table, under its record.
      const [rowBox, detailBox] = await Promise.all([table.getByTestId('log-line').boundingBox(), detail.boundingBox()]);
      expect(detailBox?.width).toBe(rowBox?.width);
      expect(detailBox?.y ?? 0).toBeGreaterThanOrEqual((rowBox?.y ?? 0) + (rowBox?.height ?? 0) - 1);
      await session.screenshot('logs-attributes');
    });
  });

  it('logged no dialog, page error or console error', () => {
    expect(session.problems).toEqual([]);
  });
});
