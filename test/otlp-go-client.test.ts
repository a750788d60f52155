import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTwoSpanReport } from './clients/reports.js';
import { goBinaryReady, suiteCollector } from './clients/prerequisites.js';
import { lastJsonLine, runClient } from './clients/run-client.js';
import { expectTwoSpanTraceAndLogs } from './clients/two-span-checks.js';
import { toolsDir } from './support/env.js';

/**
 * The official OpenTelemetry Go SDK (sdk/trace with otlptracehttp, sdk/log with otlploghttp)
 * sends a parent/child trace and a log record inside each span over OTLP/HTTP protobuf; the
 * query API must return them with the right service, parent link, nanosecond times, typed
 * attributes, event, status and log span ids.
 */

const GO_CLIENT = join(toolsDir, 'otlp-go-client');
const CLIENT_TIMEOUT_MILLIS = 60_000;

const ready = goBinaryReady(GO_CLIENT, ['main.go', 'go.mod', 'go.sum'], `the Go OTLP client built from test/clients/go`);

describe.runIf(ready)('official OpenTelemetry Go SDK → collector', () => {
  const suite = suiteCollector('otlp-go');

  it('http/protobuf: parent and child span, with logs inside them, arrive as sent', async () => {
    const collector = suite();
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
