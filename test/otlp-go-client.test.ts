import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanById, waitForLogs, waitForTrace } from './clients/query-api.js';
import { parseTwoSpanReport } from './clients/reports.js';
import { killRunningClients, lastJsonLine, runClient } from './clients/run-client.js';
import { startCollectorProcess } from './support/collector-process.js';
import { available, fileExists, repoRoot, toolsDir } from './support/env.js';

/**
 * The official OpenTelemetry Go SDK (sdk/trace with otlptracehttp, sdk/log with otlploghttp)
 * sends a parent/child trace and a log record inside each span over OTLP/HTTP protobuf; the
 * query API must return them with the right service, parent link, nanosecond times, typed
 * attributes, event, status and log span ids.
 */

const GO_CLIENT = join(toolsDir, 'otlp-go-client');
const SOURCES = ['main.go', 'go.mod', 'go.sum'].map((f) => join(repoRoot, 'test', 'clients', 'go', f));
const CLIENT_TIMEOUT_MILLIS = 60_000;

/** scripts/setup-dev.sh builds the binary; one older than its sources would test old code. */
function binaryUpToDate(): boolean {
  if (!fileExists(GO_CLIENT)) return false;
  const builtMs = statSync(GO_CLIENT).mtimeMs;
  return SOURCES.every((source) => statSync(source).mtimeMs <= builtMs);
}

const ready = available(
  `the Go OTLP client built from test/clients/go (${GO_CLIENT}, not older than its sources)`,
  binaryUpToDate(),
  'run `TRACEDOCK_SETUP=clients bash scripts/setup-dev.sh` (or scripts/setup-dev.sh for everything); it needs `go` on PATH',
);

type Collector = Awaited<ReturnType<typeof startCollectorProcess>>;

describe.runIf(ready)('official OpenTelemetry Go SDK → collector', () => {
  let collector: Collector | undefined;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-otlp-go-'));
    collector = await startCollectorProcess({ dataDir });
  });

  afterAll(async () => {
    killRunningClients();
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('http/protobuf: parent and child span, with logs inside them, arrive as sent', async () => {
    if (collector === undefined) throw new Error('the collector did not start');
    const label = 'go otlp-go-client';
    const { stdout } = await runClient({ label, command: GO_CLIENT, args: [collector.otlpHttpUrl], timeoutMillis: CLIENT_TIMEOUT_MILLIS });
    const sent = parseTwoSpanReport(lastJsonLine(label, stdout));

    const trace = await waitForTrace(collector.baseUrl, sent.traceId, [sent.spans.parent.spanId, sent.spans.child.spanId]);
    expect(trace.spans).toHaveLength(2);
    const parent = spanById(trace, sent.spans.parent.spanId);
    const child = spanById(trace, sent.spans.child.spanId);

    expect(parent).toMatchObject({
      traceId: sent.traceId,
      parentSpanId: null,
      service: 'go-checkout',
      name: 'GET /cart',
      kind: 'SERVER',
      startNs: sent.spans.parent.startNs,
      endNs: sent.spans.parent.endNs,
      status: { code: 'UNSET' },
      events: [],
      links: [],
    });
    expect(parent.attributes).toEqual({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'cart.total': 42.5,
      'cart.empty': false,
      'cart.skus': ['sku-1', 'sku-2'],
      'cart.quantities': [1, 3],
    });
    expect(child).toMatchObject({
      traceId: sent.traceId,
      parentSpanId: sent.spans.parent.spanId,
      service: 'go-checkout',
      name: 'SELECT carts',
      kind: 'CLIENT',
      startNs: sent.spans.child.startNs,
      endNs: sent.spans.child.endNs,
      status: { code: 'ERROR', message: 'slow query' },
    });
    expect(child.attributes).toEqual({ 'db.system.name': 'postgresql', 'db.response.returned_rows': 2 });
    // The Go client stamps the event with the wall clock, so only its shape is known.
    expect(child.events).toEqual([{ name: 'rows fetched', timeNs: expect.stringMatching(/^\d{19}$/), attributes: { rows: 2 } }]);
    for (const span of [parent, child]) {
      expect(span.resource).toMatchObject({ 'service.name': 'go-checkout', 'service.version': '0.0.1-test' });
    }

    const logs = await waitForLogs(collector.baseUrl, { traceId: sent.traceId }, sent.logs.length);
    expect(logs).toHaveLength(sent.logs.length);
    const bySpan = (spanId: string) => logs.find((l) => l.spanId === spanId);
    expect(bySpan(sent.spans.parent.spanId)).toMatchObject({
      traceId: sent.traceId,
      service: 'go-checkout',
      body: sent.logs[0]?.body,
      severityNumber: 9,
      severityText: 'INFO',
      attributes: { 'cart.id': 'c-42' },
    });
    expect(bySpan(sent.spans.child.spanId)).toMatchObject({
      traceId: sent.traceId,
      service: 'go-checkout',
      body: sent.logs[1]?.body,
      severityNumber: 13,
      severityText: 'WARN',
      attributes: { 'db.duration_ms': 5 },
    });
  });
});
