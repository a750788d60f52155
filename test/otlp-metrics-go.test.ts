import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expectMetricsAsSent } from './clients/metric-api-checks.js';
import { parseMetricReport } from './clients/metric-report.js';
import { expectReportAsRecorded, type ExpectedMetric } from './clients/metric-report-checks.js';
import { goBinaryReady, suiteCollector } from './clients/prerequisites.js';
import { lastJsonLine, runClient } from './clients/run-client.js';
import { toolsDir } from './support/env.js';

/**
 * The official OpenTelemetry Go SDK (sdk/metric, a periodic reader that exports once at
 * Shutdown, otlpmetrichttp and otlpmetricgrpc) sends a counter, an up-down counter, an
 * explicit-bucket and a base-2 exponential histogram and two observable gauges; the query API
 * must list them with their identity and give back every series' attributes (a string slice
 * among them) and values as sent.
 */

const GO_CLIENT = join(toolsDir, 'otlp-go-metrics');
const CLIENT_TIMEOUT_MILLIS = 60_000;
const KINDS = ['http', 'grpc'] as const;

/** What test/clients/go/metrics creates; its report gives the attribute sets, times and values. */
const METRICS: readonly ExpectedMetric[] = [
  { name: 'cart.checkouts', type: 'sum', unit: '{checkout}', description: 'Checkouts completed.', monotonic: true, seriesCount: 2 },
  { name: 'cart.open', type: 'sum', unit: '{cart}', description: 'Carts not yet checked out.', monotonic: false, seriesCount: 2 },
  { name: 'cart.request.duration', type: 'histogram', unit: 'ms', description: 'Time to answer a cart request.', monotonic: false, seriesCount: 2 },
  { name: 'cart.payload.size', type: 'exponential_histogram', unit: 'By', description: 'Size of a cart payload.', monotonic: false, seriesCount: 2 },
  { name: 'cart.exchange.rate', type: 'gauge', unit: '1', description: 'EUR in USD.', monotonic: false, seriesCount: 1 },
  { name: 'cart.workers.busy', type: 'gauge', unit: '{worker}', description: 'Busy checkout workers.', monotonic: false, seriesCount: 1 },
];

const ready = goBinaryReady(GO_CLIENT, ['metrics/main.go', 'go.mod', 'go.sum'], `the Go OTLP metrics client built from test/clients/go/metrics`);

describe.runIf(ready)('official OpenTelemetry Go SDK metrics → collector', () => {
  const suite = suiteCollector('otlp-metrics-go');

  it.each(KINDS)('%s: counter, up-down counter, histograms and gauges arrive as sent', async (kind) => {
    const collector = suite();
    const endpoint = kind === 'grpc' ? `http://127.0.0.1:${collector.ports.otlpGrpc}` : collector.otlpHttpUrl;
    const label = `go otlp-go-metrics ${kind}`;
    const { stdout } = await runClient({ label, command: GO_CLIENT, args: [kind, endpoint], timeoutMillis: CLIENT_TIMEOUT_MILLIS });
    const report = parseMetricReport(lastJsonLine(label, stdout));

    expectReportAsRecorded(report, `go-metrics-${kind}`, METRICS);
    await expectMetricsAsSent(collector.baseUrl, report, { metric: 'cart.checkouts', key: 'cart.currency', value: 'EUR' });
  });
});
