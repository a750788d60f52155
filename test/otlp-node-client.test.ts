import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTraces, waitForLogs, waitForTrace, spanById, type ApiSpan } from './clients/query-api.js';
import { parseNodeReport, type SentNodeLog, type SentSpan } from './clients/reports.js';
import { killRunningClients, lastJsonLine, runClient } from './clients/run-client.js';
import { startCollectorProcess } from './support/collector-process.js';
import { repoRoot } from './support/env.js';

/**
 * The official OpenTelemetry JS SDK (not @tracedock/sdk), in its own process, sends a 3-level
 * trace across three services plus logs inside the spans, over each OTLP transport the
 * collector receives: HTTP protobuf, HTTP JSON and gRPC. Everything the SDK sent must come
 * back from the query API exactly: ids, parent links, nanosecond times, typed attributes,
 * events, status, resources, the logs' trace/span ids; the sampler's tracestate carried across
 * the hops, the tracer's scope, a span link with its own tracestate, the exception.* attributes
 * of an error log; spans by start and logs by time whatever order they were exported in, and
 * `attr.KEY=VALUE` search by a resource attribute and by a list element.
 */

const CLIENT = join(repoRoot, 'test', 'clients', 'node', 'send-trace.mjs');
const CLIENT_TIMEOUT_MILLIS = 60_000;
const NS_PER_MS = 1_000_000n;
const KINDS = ['proto', 'json', 'grpc'] as const;
/** send-trace.mjs's tracer and logger. */
const SCOPE = { name: 'tracedock.test.node-client', version: '0.0.1' };
/** What its sampler writes into the root's tracestate; the hops carry it to every span. */
const TRACE_STATE = 'ot=th:0,tracedock=js';

type Collector = Awaited<ReturnType<typeof startCollectorProcess>>;

const nowNs = (): bigint => BigInt(Date.now()) * NS_PER_MS;

/** A record's attributes as the SDK sends them: the ones given, and exception.* from the error given. */
const sentLogAttributes = (l: SentNodeLog): Record<string, unknown> =>
  l.exception === null
    ? l.attributes
    : {
        ...l.attributes,
        'exception.type': l.exception.type,
        'exception.message': l.exception.message,
        'exception.stacktrace': l.exception.stacktrace,
      };

function expectTimesAsSent(span: ApiSpan, sent: SentSpan, windowNs: { from: bigint; to: bigint }): void {
  expect({ startNs: span.startNs, endNs: span.endNs }, span.name).toEqual({ startNs: sent.startNs, endNs: sent.endNs });
  // The client's times are "now": a store that shifted or truncated them would fail above,
  // this guards the test itself against comparing two equally wrong values.
  expect(BigInt(span.startNs) >= windowNs.from && BigInt(span.startNs) <= windowNs.to, `${span.name} starts inside the run`).toBe(true);
  expect(span.durationMs).toBeCloseTo(Number(BigInt(sent.endNs) - BigInt(sent.startNs)) / 1e6, 6);
}

describe('official OpenTelemetry JS SDK (separate process) → collector', () => {
  let collector: Collector | undefined;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-otlp-node-'));
    collector = await startCollectorProcess({ dataDir });
  });

  afterAll(async () => {
    killRunningClients();
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it.each(KINDS)('%s: a 3-service trace and its logs arrive exactly as sent', async (kind) => {
    if (collector === undefined) throw new Error('the collector did not start');
    const { baseUrl } = collector;
    const endpoint = kind === 'grpc' ? `http://127.0.0.1:${collector.ports.otlpGrpc}` : `http://127.0.0.1:${collector.ports.otlpHttp}`;
    const label = `node send-trace.mjs ${kind}`;
    const from = nowNs();
    const { stdout } = await runClient({
      label,
      command: process.execPath,
      args: [CLIENT, kind, endpoint],
      timeoutMillis: CLIENT_TIMEOUT_MILLIS,
      cwd: repoRoot,
    });
    const to = nowNs();
    const sent = parseNodeReport(lastJsonLine(label, stdout));
    const { frontend, orders, inventory } = sent.spans;

    const trace = await waitForTrace(baseUrl, sent.traceId, [frontend.spanId, orders.spanId, inventory.spanId]);
    expect(trace.traceId).toBe(sent.traceId);
    expect(trace.spans, 'exactly the three spans, none twice').toHaveLength(3);
    // Three providers flushed at once, in any order: the detail lists spans by start.
    expect(trace.spans.map((s) => s.spanId), 'spans by start, root first').toEqual([frontend.spanId, orders.spanId, inventory.spanId]);

    const root = spanById(trace, frontend.spanId);
    const child = spanById(trace, orders.spanId);
    const grandchild = spanById(trace, inventory.spanId);
    for (const span of [root, child, grandchild]) {
      expect(span.traceId).toBe(sent.traceId);
      expect(span.traceState, `${span.name}: tracestate`).toBe(TRACE_STATE);
      expect(span.scope, `${span.name}: instrumentation scope`).toEqual(SCOPE);
      // No container runs these services: the join must say so rather than guess.
      expect(span.containerId).toBeNull();
    }
    expect(root.links).toEqual([]);
    expect(child.links).toEqual([]);
    expect(grandchild.links).toEqual([
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceState: 'rojo=00f067aa0ba902b7',
        attributes: { 'link.reason': 'waits for', 'restock.batch': 7 },
      },
    ]);

    expect(root).toMatchObject({ parentSpanId: null, service: frontend.service, name: 'GET /checkout', kind: 'SERVER' });
    expect(child).toMatchObject({ parentSpanId: frontend.spanId, service: orders.service, name: 'POST /orders', kind: 'SERVER' });
    expect(grandchild).toMatchObject({ parentSpanId: orders.spanId, service: inventory.service, name: 'reserve stock', kind: 'INTERNAL' });
    const window = { from, to };
    expectTimesAsSent(root, frontend, window);
    expectTimesAsSent(child, orders, window);
    expectTimesAsSent(grandchild, inventory, window);

    // Every attribute type OTLP has for spans, arrays of each included; ints stay ints.
    expect(root.attributes).toEqual({
      'http.request.method': 'GET',
      'http.response.status_code': 500,
      'checkout.cart_value': 99.95,
      'checkout.logged_in': true,
      'checkout.skus': ['sku-1', 'sku-2'],
      'checkout.quantities': [1, 2],
      'checkout.weights_kg': [0.5, 1.25],
      'checkout.gift_flags': [true, false],
    });
    expect(child.attributes).toEqual({ 'order.id': 'o-1001', 'order.line_count': 2 });
    expect(grandchild.attributes).toEqual({ 'inventory.sku': 'sku-2', 'inventory.available': 0 });

    expect(child.events).toEqual([
      { name: 'order.validated', timeNs: sent.ordersEventTimeNs, attributes: { 'order.valid': true, 'order.line_count': 2 } },
    ]);
    expect(root.events).toEqual([]);
    expect(grandchild.status).toEqual({ code: 'ERROR', message: 'out of stock: sku-2' });
    expect(root.status.code).toBe('UNSET');
    expect(child.status.code).toBe('UNSET');

    for (const [span, service] of [[root, frontend.service], [child, orders.service], [grandchild, inventory.service]] as const) {
      expect(span.resource, `${span.name} resource`).toMatchObject({
        'service.name': service,
        'service.version': '1.2.3',
        'deployment.environment.name': 'test',
        'tracedock.test.run': sent.runId,
      });
    }

    // Logs went through the SDK's own OTLP log exporter of the same transport.
    const logs = await waitForLogs(baseUrl, { traceId: sent.traceId }, sent.logs.length);
    expect(logs).toHaveLength(sent.logs.length);
    expect(sent.logs.filter((l) => l.exception !== null), 'the report names the error log').toHaveLength(1);
    const byTime = [...logs].sort((a, b) => (BigInt(a.timeNs) < BigInt(b.timeNs) ? -1 : 1));
    const received = byTime.map((l) => ({
      timeNs: l.timeNs,
      traceId: l.traceId,
      spanId: l.spanId,
      severityNumber: l.severityNumber,
      severityText: l.severityText,
      body: l.body,
      attributes: l.attributes,
      service: l.service,
      scope: l.scope,
    }));
    const expectedLogs = sent.logs.map((l) => ({
      timeNs: l.timeNs,
      traceId: sent.traceId,
      spanId: l.spanId,
      severityNumber: l.severityNumber,
      severityText: l.severityText,
      body: l.body,
      attributes: sentLogAttributes(l),
      service: l.service,
      scope: { name: SCOPE.name },
    }));
    expect(received).toEqual(expectedLogs);
    for (const log of logs) expect(log.resource['tracedock.test.run']).toBe(sent.runId);

    // The trace view shows the same records beside its spans, oldest first (sent in time order).
    const withLogs = await waitForTrace(baseUrl, sent.traceId, [frontend.spanId]);
    expect(
      withLogs.logs.map((l) => ({ timeNs: l.timeNs, body: l.body, attributes: l.attributes })),
      'trace detail logs, oldest first',
    ).toEqual(expectedLogs.map((l) => ({ timeNs: l.timeNs, body: l.body, attributes: l.attributes })));

    // attr.KEY=VALUE finds the trace by a resource attribute and by one element of a list,
    // both on the root span; a value the span lacks does not.
    const run = { 'attr.tracedock.test.run': sent.runId };
    const found = async (query: Record<string, string>): Promise<string[]> =>
      (await searchTraces(baseUrl, query)).map((t) => t.traceId);
    expect(await found(run), 'attr.tracedock.test.run (resource)').toEqual([sent.traceId]);
    expect(await found({ ...run, 'attr.checkout.skus': 'sku-2' }), 'attr.checkout.skus=sku-2').toEqual([sent.traceId]);
    expect(await found({ ...run, 'attr.checkout.quantities': '2' }), 'attr.checkout.quantities=2').toEqual([sent.traceId]);
    expect(await found({ ...run, 'attr.checkout.skus': 'sku-3' }), 'attr.checkout.skus=sku-3').toEqual([]);
  });
});
