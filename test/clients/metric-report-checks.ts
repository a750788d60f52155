/**
 * Checks a metric client's report (metric-report.ts) before the API is asked anything: the
 * client sent the instruments the test names, and its SDK aggregated the recorded
 * measurements as the OpenTelemetry data model says. A failure here is about the client or
 * its SDK, not the collector.
 */
import { expect } from 'vitest';
import type { MetricClientReport, ReportMetric, ReportMetricType, ReportSeries } from './metric-report.js';

/** What the test file says its client sends for one instrument. */
export interface ExpectedMetric {
  name: string;
  type: ReportMetricType;
  unit: string;
  description: string;
  monotonic: boolean;
  seriesCount: number;
}

/** The temporality a point of this type carries (gauges have none). */
export function temporalityOf(type: ReportMetricType): string {
  return type === 'gauge' ? 'unspecified' : 'cumulative';
}

const total = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Base-2 exponential bucket index of v > 0 at `scale`: bucket i covers (base^i, base^(i+1)]
 * with base = 2^(2^-scale). Exact for powers of two, whose log2 is exact.
 */
function exponentialIndex(v: number, scale: number): number {
  return Math.ceil(Math.log2(v) * 2 ** scale) - 1;
}

/** Non-zero buckets as index → count, so that leading/trailing zero buckets do not matter. */
export function nonZeroBuckets(offset: number, counts: readonly number[]): Record<number, number> {
  const out: Record<number, number> = {};
  counts.forEach((c, i) => {
    if (c !== 0) out[offset + i] = c;
  });
  return out;
}

export function bucketsOfRecorded(recorded: readonly number[], scale: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (const v of recorded.filter((x) => x > 0)) {
    const i = exponentialIndex(v, scale);
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}

/** Explicit buckets: counts[i] holds values in (bounds[i-1], bounds[i]], the last one above every bound. */
function explicitCounts(recorded: readonly number[], bounds: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of recorded) {
    const i = bounds.findIndex((b) => v <= b);
    const at = i === -1 ? bounds.length : i;
    counts[at] = (counts[at] ?? 0) + 1;
  }
  return counts;
}

function checkSeries(metric: ReportMetric, s: ReportSeries): void {
  const where = `${metric.name} ${JSON.stringify(s.attributes)}`;
  const d = s.data;
  if (d.kind === 'number') {
    const expected = metric.type === 'gauge' ? s.recorded.at(-1) : total(s.recorded);
    expect(d.value, `${where}: exported value`).toBe(expected);
    return;
  }
  expect({ count: d.count, sum: d.sum, min: d.min, max: d.max }, `${where}: exported count/sum/min/max`).toEqual({
    count: s.recorded.length,
    sum: total(s.recorded),
    min: Math.min(...s.recorded),
    max: Math.max(...s.recorded),
  });
  if (d.kind === 'explicit') {
    expect(d.bucketCounts, `${where}: exported bucket counts`).toEqual(explicitCounts(s.recorded, d.bounds));
    return;
  }
  expect(d.zeroCount, `${where}: exported zero count`).toBe(s.recorded.filter((v) => v === 0).length);
  expect(nonZeroBuckets(d.positive.offset, d.positive.counts), `${where}: exported positive buckets`).toEqual(
    bucketsOfRecorded(s.recorded, d.scale),
  );
  expect(nonZeroBuckets(d.negative.offset, d.negative.counts), `${where}: exported negative buckets`).toEqual({});
}

/**
 * The report names exactly the expected instruments, with their identity, and each exported
 * point agrees with what was recorded on its attribute set.
 * @example expectReportAsRecorded(report, 'py-metrics-http', PYTHON_METRICS)
 */
export function expectReportAsRecorded(report: MetricClientReport, service: string, expected: readonly ExpectedMetric[]): void {
  expect(report.service).toBe(service);
  const identity = (m: ExpectedMetric | ReportMetric) => ({
    name: m.name,
    type: m.type,
    unit: m.unit,
    description: m.description,
    monotonic: m.monotonic,
    temporality: temporalityOf(m.type),
    seriesCount: 'seriesCount' in m ? m.seriesCount : m.series.length,
  });
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  expect([...report.metrics].sort(byName).map((m) => ({ ...identity(m), temporality: m.temporality }))).toEqual(
    [...expected].sort(byName).map(identity),
  );
  for (const metric of report.metrics) {
    for (const s of metric.series) checkSeries(metric, s);
  }
}
