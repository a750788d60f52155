import { join } from 'node:path';
import { describe, it } from 'vitest';
import { parseTwoSpanReport } from './clients/reports.js';
import { pythonVenvReady, PYTHON, suiteCollector } from './clients/prerequisites.js';
import { lastJsonLine, runClient } from './clients/run-client.js';
import { expectTwoSpanTraceAndLogs } from './clients/two-span-checks.js';
import { repoRoot } from './support/env.js';

/**
 * The official OpenTelemetry Python SDK (BatchSpanProcessor, LoggerProvider with
 * BatchLogRecordProcessor, shutdown()) sends a parent/child trace and logs inside both spans
 * over OTLP/HTTP protobuf and over OTLP/gRPC; the query API must return them with the right
 * service, parent link, nanosecond times, typed attributes, event, status and log span ids.
 */

const CLIENT = join(repoRoot, 'test', 'clients', 'python', 'send.py');
const CLIENT_TIMEOUT_MILLIS = 60_000;
const NS_PER_MS = 1_000_000n;
const KINDS = ['http', 'grpc'] as const;

const ready = pythonVenvReady();

describe.runIf(ready)('official OpenTelemetry Python SDK → collector', () => {
  const suite = suiteCollector('otlp-python');

  it.each(KINDS)('%s: parent and child span, with logs inside them, arrive as sent', async (kind) => {
    const collector = suite();
    const endpoint = kind === 'grpc' ? `http://127.0.0.1:${collector.ports.otlpGrpc}` : collector.otlpHttpUrl;
    const label = `python send.py ${kind}`;
    const { stdout } = await runClient({ label, command: PYTHON, args: [CLIENT, kind, endpoint], timeoutMillis: CLIENT_TIMEOUT_MILLIS });
    const sent = parseTwoSpanReport(lastJsonLine(label, stdout));

    await expectTwoSpanTraceAndLogs(collector.baseUrl, sent, {
      service: 'py-billing',
      parent: {
        name: 'POST /invoices',
        attributes: {
          'http.request.method': 'POST',
          'http.response.status_code': 201,
          'invoice.amount': 19.75,
          'invoice.paid': true,
          'invoice.lines': ['line-a', 'line-b'],
        },
      },
      child: {
        name: 'charge card',
        statusMessage: 'card declined',
        attributes: { 'payment.provider': 'fakepay', 'payment.attempt': 2 },
        // send.py stamps the event 1 ms after the child's start.
        events: [
          {
            name: 'card declined',
            timeNs: String(BigInt(sent.spans.child.startNs) + NS_PER_MS),
            attributes: { 'decline.code': 'insufficient_funds' },
          },
        ],
      },
      resource: {
        'service.name': 'py-billing',
        'service.version': '0.0.1-test',
        'tracedock.test.exporter': `python-${kind}`,
      },
      logs: {
        parent: { severityNumber: 9, severityText: 'INFO', attributes: { 'invoice.id': 'inv-7' } },
        child: { severityNumber: 17, severityText: 'ERROR', attributes: { 'payment.attempt': 2 } },
      },
    });
  });
});
