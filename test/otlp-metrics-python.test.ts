import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expectMetricsAsSent, expectSeriesBadRequest } from './clients/metric-api-checks.js';
import { parseMetricReport } from './clients/metric-report.js';
import { expectReportAsRecorded, type ExpectedMetric } from './clients/metric-report-checks.js';
import { pythonVenvReady, PYTHON, suiteCollector } from './clients/prerequisites.js';
import { lastJsonLine, runClient } from './clients/run-client.js';
import { repoRoot } from './support/env.js';

/**
 * The official OpenTelemetry Python SDK (MeterProvider, views for explicit and exponential
 * histograms, one export on force_flush) sends a counter, an up-down counter, two histograms
 * and two observable gauges over OTLP/HTTP protobuf and over OTLP/gRPC; the query API must
 * list them with their identity and give back every series' attributes and values as sent.
 */

const CLIENT = join(repoRoot, 'test', 'clients', 'python', 'send_metrics.py');
const CLIENT_TIMEOUT_MILLIS = 60_000;
const KINDS = ['http', 'grpc'] as const;

/** What send_metrics.py creates; its report gives the attribute sets, times and values. */
const METRICS: readonly ExpectedMetric[] = [
  { name: 'invoices.created', type: 'sum', unit: '{invoice}', description: 'Invoices created.', monotonic: true, seriesCount: 2 },
  { name: 'invoices.open', type: 'sum', unit: '{invoice}', description: 'Invoices not yet paid.', monotonic: false, seriesCount: 2 },
  { name: 'invoice.render.duration', type: 'histogram', unit: 'ms', description: 'Time to render an invoice.', monotonic: false, seriesCount: 2 },
  { name: 'invoice.payload.size', type: 'exponential_histogram', unit: 'By', description: 'Size of a rendered invoice.', monotonic: false, seriesCount: 2 },
  { name: 'billing.exchange.rate', type: 'gauge', unit: '1', description: 'EUR in USD.', monotonic: false, seriesCount: 1 },
  { name: 'billing.workers.busy', type: 'gauge', unit: '{worker}', description: 'Busy render workers.', monotonic: false, seriesCount: 1 },
];

const ready = pythonVenvReady();

describe.runIf(ready)('official OpenTelemetry Python SDK metrics → collector', () => {
  const suite = suiteCollector('otlp-metrics-python');

  it.each(KINDS)('%s: counter, up-down counter, histograms and gauges arrive as sent', async (kind) => {
    const collector = suite();
    const endpoint = kind === 'grpc' ? `http://127.0.0.1:${collector.ports.otlpGrpc}` : collector.otlpHttpUrl;
    const label = `python send_metrics.py ${kind}`;
    const { stdout } = await runClient({ label, command: PYTHON, args: [CLIENT, kind, endpoint], timeoutMillis: CLIENT_TIMEOUT_MILLIS });
    const report = parseMetricReport(lastJsonLine(label, stdout));

    expectReportAsRecorded(report, `py-metrics-${kind}`, METRICS);
    await expectMetricsAsSent(collector.baseUrl, report, { metric: 'invoices.created', key: 'invoice.currency', value: 'EUR' });
  });

  it('GET /api/metrics/series answers 400 without a name or with a bad time', async () => {
    const collector = suite();
    await expectSeriesBadRequest(collector.baseUrl, '?service=py-metrics-http', 'name');
    await expectSeriesBadRequest(collector.baseUrl, '?name=invoices.created&start=yesterday', 'start');
  });
});
