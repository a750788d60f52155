/**
 * The checks the Go and Python metric client tests share: what a client's SDK exported (its
 * report, already checked against the recorded measurements by metric-report-checks.ts)
 * comes back from GET /api/metrics and GET /api/metrics/series as sent.
 */
import { expect } from 'vitest';
import type { MetricClientReport, ReportMetric, ReportSeries } from './metric-report.js';
import { bucketsOfRecorded, nonZeroBuckets, temporalityOf } from './metric-report-checks.js';
import { getApi, metricSeries, waitForMetrics, type ApiMetricPoint, type ApiMetricSeries } from './query-api.js';

const NS_PER_MS = 1_000_000;
/** `t`/`startT` are ms numbers: exact to the ms, sub-ms digits approximate (api/wire.ts). */
const MS_DIGITS = 2;

/** The point the API should give for one exported point, beside the time fields. */
function expectedPoint(s: ReportSeries): Partial<ApiMetricPoint> {
  const d = s.data;
  if (d.kind === 'number') return { value: d.value, count: null, sum: null, min: null, max: null, distribution: null };
  const stats = { value: null, count: d.count, sum: d.sum, min: d.min, max: d.max };
  if (d.kind === 'explicit') return { ...stats, distribution: { kind: 'explicit', bounds: d.bounds, counts: d.bucketCounts } };
  return stats; // exponential buckets are checked for consistency below, not for equal arrays
}

function checkPoint(metric: ReportMetric, sent: ReportSeries, got: ApiMetricSeries): void {
  const where = `${metric.name} ${JSON.stringify(sent.attributes)}`;
  expect(got.points, `${where}: one point per export`).toHaveLength(1);
  const point = got.points[0]!;
  expect(point.timeNs, `${where}: timeNs`).toBe(sent.timeNs);
  expect(point.t, `${where}: t`).toBeCloseTo(Number(sent.timeNs) / NS_PER_MS, MS_DIGITS);
  if (sent.startTimeNs === '0') expect(point.startT, `${where}: startT without a start time`).toBeNull();
  else expect(point.startT, `${where}: startT`).toBeCloseTo(Number(sent.startTimeNs) / NS_PER_MS, MS_DIGITS);
  expect(point, where).toMatchObject(expectedPoint(sent));

  const d = sent.data;
  if (d.kind !== 'exponential') return;
  const dist = point.distribution;
  if (dist?.kind !== 'exponential') throw new Error(`${where}: distribution should be exponential, got ${JSON.stringify(dist)}`);
  expect({ scale: dist.scale, zeroCount: dist.zeroCount, zeroThreshold: dist.zeroThreshold }, `${where}: exponential header`).toEqual({
    scale: d.scale,
    zeroCount: d.zeroCount,
    zeroThreshold: d.zeroThreshold,
  });
  const positive = nonZeroBuckets(dist.positive.offset, dist.positive.counts);
  expect(positive, `${where}: positive buckets hold the recorded values`).toEqual(bucketsOfRecorded(sent.recorded, dist.scale));
  expect(positive, `${where}: positive buckets as sent`).toEqual(nonZeroBuckets(d.positive.offset, d.positive.counts));
  expect(nonZeroBuckets(dist.negative.offset, dist.negative.counts), `${where}: negative buckets`).toEqual({});
  const bucketTotal = dist.zeroCount + Object.values(positive).reduce((a, b) => a + b, 0);
  expect(bucketTotal, `${where}: buckets add up to the count`).toBe(point.count);
}

async function checkSeriesOf(baseUrl: string, service: string, metric: ReportMetric): Promise<void> {
  const answer = await metricSeries(baseUrl, { name: metric.name, service });
  expect(answer.name).toBe(metric.name);
  expect(answer.truncated).toBe(false);
  expect(answer.metric, `${metric.name}: identity`).toEqual({
    description: metric.description,
    unit: metric.unit,
    type: metric.type,
    temporality: temporalityOf(metric.type),
    monotonic: metric.monotonic,
  });
  expect(answer.series, `${metric.name}: one series per attribute set`).toHaveLength(metric.series.length);
  for (const sent of metric.series) {
    const got = answer.series.find((s) => JSON.stringify(sortKeys(s.attributes)) === JSON.stringify(sortKeys(sent.attributes)));
    if (got === undefined) {
      throw new Error(`${metric.name}: no series with attributes ${JSON.stringify(sent.attributes)}; got ${JSON.stringify(answer.series.map((s) => s.attributes))}`);
    }
    expect(got.attributes).toEqual(sent.attributes);
    expect(got.service).toBe(service);
    expect(got.containerId, `${metric.name}: no container runs this client`).toBeNull();
    checkPoint(metric, sent, got);
  }
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The report's metrics are listed for its service with their identity and counts, and each
 * one's series and points come back as the SDK exported them.
 * @example await expectMetricsAsSent(collector.baseUrl, report, { metric: 'invoices.created', key: 'invoice.currency', value: 'EUR' })
 */
export async function expectMetricsAsSent(
  baseUrl: string,
  report: MetricClientReport,
  attrFilter: { metric: string; key: string; value: string },
): Promise<void> {
  const { service } = report;
  const listed = await waitForMetrics(baseUrl, { service }, report.metrics.map((m) => m.name));
  expect(listed.map((m) => m.service), 'GET /api/metrics?service lists that service only').toEqual(listed.map(() => service));
  expect(listed.map((m) => m.name).sort()).toEqual(report.metrics.map((m) => m.name).sort());
  for (const metric of report.metrics) {
    const summary = listed.find((m) => m.name === metric.name);
    const lastNs = metric.series.map((s) => BigInt(s.timeNs)).reduce((a, b) => (a > b ? a : b));
    expect(summary, `${metric.name}: summary`).toEqual({
      service,
      name: metric.name,
      description: metric.description,
      unit: metric.unit,
      type: metric.type,
      temporality: temporalityOf(metric.type),
      monotonic: metric.monotonic,
      pointCount: metric.series.length,
      seriesCount: metric.series.length,
      lastNs: String(lastNs),
    });
    await checkSeriesOf(baseUrl, service, metric);
  }

  const filtered = await metricSeries(baseUrl, { name: attrFilter.metric, service, [`attr.${attrFilter.key}`]: attrFilter.value });
  expect(filtered.series.map((s) => s.attributes[attrFilter.key]), `attr.${attrFilter.key}=${attrFilter.value}`).toEqual([attrFilter.value]);
}

/** GET /api/metrics/series answers 400 with the API's error JSON when `query` is not valid. */
export async function expectSeriesBadRequest(baseUrl: string, query: string, mentions: string): Promise<void> {
  const answer = await getApi(`${baseUrl}/api/metrics/series${query}`);
  expect(answer.status, `GET /api/metrics/series${query}: ${answer.text.slice(0, 300)}`).toBe(400);
  expect(answer.body).toEqual({ error: { code: 'bad_request', message: expect.stringContaining(mentions) } });
}
