/**
 * The JSON line the metric clients print (test/clients/python/send_metrics.py and
 * test/clients/go/metrics): per metric, what the SDK handed to its OTLP exporter (identity,
 * temporality, one data point per attribute set with exact times and values) and what the
 * program recorded on that attribute set, so that a test can check the SDK's export against
 * the measurements and the query API against the export.
 */
import { array, attributes, ns, number, object, string, type JsonValue } from './shape.js';

export type ReportMetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram';
const METRIC_TYPES: readonly ReportMetricType[] = ['gauge', 'sum', 'histogram', 'exponential_histogram'];

export interface ReportBuckets {
  offset: number;
  counts: number[];
}

/** What one point carries beyond its number value, by metric type. */
export type ReportPointData =
  | { kind: 'number'; value: number; valueIsInt: boolean }
  | { kind: 'explicit'; count: number; sum: number; min: number; max: number; bounds: number[]; bucketCounts: number[] }
  | {
      kind: 'exponential';
      count: number;
      sum: number;
      min: number;
      max: number;
      scale: number;
      zeroCount: number;
      zeroThreshold: number;
      positive: ReportBuckets;
      negative: ReportBuckets;
    };

export interface ReportSeries {
  attributes: Record<string, JsonValue>;
  timeNs: string;
  /** "0" when the SDK gave the point no start time. */
  startTimeNs: string;
  /** The measurements made on this attribute set, in order (one observation for gauges). */
  recorded: number[];
  data: ReportPointData;
}

export interface ReportMetric {
  name: string;
  description: string;
  unit: string;
  type: ReportMetricType;
  temporality: string;
  monotonic: boolean;
  series: ReportSeries[];
}

export interface MetricClientReport {
  service: string;
  scope: string;
  metrics: ReportMetric[];
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${path} should be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

const numbers = (v: unknown, path: string): number[] => array(v, path).map((n, i) => number(n, `${path}[${i}]`));

function buckets(v: unknown, path: string): ReportBuckets {
  const o = object(v, path);
  return { offset: number(o.offset, `${path}.offset`), counts: numbers(o.counts, `${path}.counts`) };
}

function pointData(type: ReportMetricType, o: Record<string, unknown>, path: string): ReportPointData {
  if (type === 'gauge' || type === 'sum') {
    return { kind: 'number', value: number(o.value, `${path}.value`), valueIsInt: bool(o.valueIsInt, `${path}.valueIsInt`) };
  }
  const stats = {
    count: number(o.count, `${path}.count`),
    sum: number(o.sum, `${path}.sum`),
    min: number(o.min, `${path}.min`),
    max: number(o.max, `${path}.max`),
  };
  if (type === 'histogram') {
    return { kind: 'explicit', ...stats, bounds: numbers(o.bounds, `${path}.bounds`), bucketCounts: numbers(o.bucketCounts, `${path}.bucketCounts`) };
  }
  return {
    kind: 'exponential',
    ...stats,
    scale: number(o.scale, `${path}.scale`),
    zeroCount: number(o.zeroCount, `${path}.zeroCount`),
    zeroThreshold: number(o.zeroThreshold, `${path}.zeroThreshold`),
    positive: buckets(o.positive, `${path}.positive`),
    negative: buckets(o.negative, `${path}.negative`),
  };
}

function metricType(v: unknown, path: string): ReportMetricType {
  const s = string(v, path);
  const type = METRIC_TYPES.find((t) => t === s);
  if (type === undefined) throw new Error(`${path} should be one of ${METRIC_TYPES.join(', ')}, got ${JSON.stringify(s)}`);
  return type;
}

export function parseMetricReport(v: unknown): MetricClientReport {
  const o = object(v, 'report');
  return {
    service: string(o.service, 'report.service'),
    scope: string(o.scope, 'report.scope'),
    metrics: array(o.metrics, 'report.metrics').map((m, i) => {
      const path = `report.metrics[${i}]`;
      const mo = object(m, path);
      const type = metricType(mo.type, `${path}.type`);
      return {
        name: string(mo.name, `${path}.name`),
        description: string(mo.description, `${path}.description`),
        unit: string(mo.unit, `${path}.unit`),
        type,
        temporality: string(mo.temporality, `${path}.temporality`),
        monotonic: bool(mo.monotonic, `${path}.monotonic`),
        series: array(mo.series, `${path}.series`).map((s, j) => {
          const sp = `${path}.series[${j}]`;
          const so = object(s, sp);
          return {
            attributes: attributes(so.attributes, `${sp}.attributes`),
            timeNs: ns(so.timeNs, `${sp}.timeNs`),
            startTimeNs: ns(so.startTimeNs, `${sp}.startTimeNs`),
            recorded: numbers(so.recorded, `${sp}.recorded`),
            data: pointData(type, so, sp),
          };
        }),
      };
    }),
  };
}
