import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTwoSpanReport } from './clients/reports.js';
import { killRunningClients, lastJsonLine, runClient } from './clients/run-client.js';
import { expectTwoSpanTraceAndLogs } from './clients/two-span-checks.js';
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

    await expectTwoSpanTraceAndLogs(collector.baseUrl, sent, {
      service: 'go-checkout',
      parent: {
        name: 'GET /cart',
        attributes: {
          'http.request.method': 'GET',
          'http.response.status_code': 200,
          'cart.total': 42.5,
          'cart.empty': false,
          'cart.skus': ['sku-1', 'sku-2'],
          'cart.quantities': [1, 3],
        },
      },
      child: {
        name: 'SELECT carts',
        statusMessage: 'slow query',
        attributes: { 'db.system.name': 'postgresql', 'db.response.returned_rows': 2 },
        // The Go client stamps the event with the wall clock, so only its shape is known.
        events: [{ name: 'rows fetched', timeNs: expect.stringMatching(/^\d{19}$/), attributes: { rows: 2 } }],
      },
      resource: { 'service.name': 'go-checkout', 'service.version': '0.0.1-test' },
      logs: {
        parent: { severityNumber: 9, severityText: 'INFO', attributes: { 'cart.id': 'c-42' } },
        child: { severityNumber: 13, severityText: 'WARN', attributes: { 'db.duration_ms': 5 } },
      },
    });
  });
});
