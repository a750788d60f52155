import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTwoSpanReport } from './clients/reports.js';
import { pythonVenvReady, PYTHON, suiteCollector } from './clients/prerequisites.js';
import { lastJsonLine, runClient } from './clients/run-client.js';
import { expectTwoSpanTraceAndLogs } from './clients/two-span-checks.js';
import { repoRoot } from './support/env.js';

/**
 * The official OpenTelemetry Python SDK (BatchSpanProcessor, LoggerProvider with
 * BatchLogRecordProcessor, shutdown()) sends a parent/child trace and logs inside both spans
 * over OTLP/HTTP protobuf and over OTLP/gRPC; the query API must return them with the right
 * service, parent link, nanosecond times, typed attributes, event, status and log span ids,
 * and what real services add: the sampler's tracestate, the tracer's scope, a span link, an
 * error logged with Python's logging (exception.* attributes from the SDK's LoggingHandler);
 * spans by start though the child was exported first, logs by time, and `attr.KEY=VALUE`
 * search by a resource attribute and by a list element.
 */

const CLIENT = join(repoRoot, 'test', 'clients', 'python', 'send.py');
const CLIENT_TIMEOUT_MILLIS = 60_000;
const NS_PER_MS = 1_000_000n;
const KINDS = ['http', 'grpc'] as const;
const SCOPE_NAME = 'tracedock.test.python-client';
/** What send.py's `logger.exception` records: charge_card raised it. */
const EXCEPTION_MESSAGE = 'card declined: insufficient_funds (19.75)';

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
      scope: { name: SCOPE_NAME, version: '0.0.1' },
      traceState: 'ot=th:0,tracedock=python',
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
        links: [
          {
            traceId: '0af7651916cd43dd8448eb211c80319c',
            spanId: 'b7ad6b7169203331',
            // The client sets rojo=00f067aa0ba902b7 on the linked context, but The Python exporter (opentelemetry-exporter-otlp-proto-common 1.45.2, _encode_links)
            // does not encode a link's trace_state; otlp-node-client.test.ts shows the collector keeps one sent.
            traceState: '',
            attributes: { 'messaging.message.id': 'charge-inv-7', 'messaging.delivery.attempt': 2 },
          },
        ],
      },
      resource: {
        'service.name': 'py-billing',
        'service.version': '0.0.1-test',
        'tracedock.test.exporter': `python-${kind}`,
        'deployment.environment': 'staging',
      },
      logs: [
        { severityNumber: 9, severityText: 'INFO', attributes: { 'invoice.id': 'inv-7' }, scope: { name: SCOPE_NAME } },
        { severityNumber: 17, severityText: 'ERROR', attributes: { 'payment.attempt': 2 }, scope: { name: SCOPE_NAME } },
        {
          severityNumber: 17,
          severityText: 'ERROR',
          attributes: {
            'exception.type': 'ValueError',
            'exception.message': EXCEPTION_MESSAGE,
            // traceback.format_exception's text, whole: the raising frame and the message.
            'exception.stacktrace': expect.stringMatching(
              /^Traceback \(most recent call last\):\n[\s\S]*, in charge_card\n[\s\S]*\nValueError: card declined: insufficient_funds \(19\.75\)\n$/,
            ),
            'code.function.name': 'main',
            'code.line.number': expect.any(Number),
            // `extra=` fields of the logging call become attributes too.
            'invoice.id': 'inv-7',
          },
          // The bridge names the scope after the standard-library logger.
          scope: { name: `${SCOPE_NAME}.payments` },
        },
      ],
      search: {
        finds: [
          { service: 'py-billing', 'attr.deployment.environment': 'staging' },
          { 'attr.invoice.lines': 'line-b' },
          // Both on the root span: its resource and its own list attribute.
          { 'attr.deployment.environment': 'staging', 'attr.invoice.lines': 'line-a', 'attr.tracedock.test.exporter': `python-${kind}` },
        ],
        misses: [
          { service: 'py-billing', 'attr.deployment.environment': 'production' },
          { service: 'py-billing', 'attr.invoice.lines': 'line-c' },
        ],
      },
    });
  });
});
