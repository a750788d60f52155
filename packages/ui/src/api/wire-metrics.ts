import type * as Api from '../../../collector/src/api/wire.js';
import { METRIC_TEMPORALITIES, METRIC_TYPES } from '../../../collector/src/api/wire.js';
import { arrayOf, boolean, decimalString, fields, jsonValue, nullable, number, oneOf, recordOf, refine, string, taggedUnion } from './validate.js';

/** Decoders of /api/metrics and /api/metrics/series, typed as wire.ts says. */

const count = refine(number, (n) => n >= 0, 'a count (>= 0)');
const counts = arrayOf(count);
const maybeNumber = nullable(number);
const exponentialBuckets = fields<Api.WireExponentialDistribution['positive']>({ offset: number, counts });

/** Buckets, exponential buckets or reported quantiles; the counts must fit the bounds. */
export const metricDistribution = taggedUnion<Api.WireMetricDistribution>('kind', {
  explicit: refine(
    fields<Api.WireExplicitBuckets>({ kind: oneOf(['explicit']), bounds: arrayOf(number), counts }),
    (d) => d.counts.length === d.bounds.length + 1 || d.counts.length === 0,
    'explicit buckets with one count more than bounds',
  ),
  exponential: fields<Api.WireExponentialDistribution>({
    kind: oneOf(['exponential']),
    scale: refine(number, Number.isInteger, 'an integer scale'),
    zeroCount: count,
    zeroThreshold: number,
    positive: exponentialBuckets,
    negative: exponentialBuckets,
  }),
  quantiles: fields<Api.WireQuantiles>({
    kind: oneOf(['quantiles']),
    quantiles: arrayOf(fields<Api.WireQuantiles['quantiles'][number]>({
      quantile: refine(number, (q) => q >= 0 && q <= 1, 'a quantile in [0, 1]'),
      value: number,
    })),
  }),
});

export const wireMetricSummary = fields<Api.WireMetricSummary>({
  service: string,
  name: string,
  description: string,
  unit: string,
  type: oneOf(METRIC_TYPES),
  temporality: oneOf(METRIC_TEMPORALITIES),
  monotonic: boolean,
  pointCount: number,
  seriesCount: number,
  lastNs: decimalString,
});

export const wireMetricPoint = fields<Api.WireMetricPoint>({
  t: number,
  timeNs: decimalString,
  startT: maybeNumber,
  value: maybeNumber,
  count: maybeNumber,
  sum: maybeNumber,
  min: maybeNumber,
  max: maybeNumber,
  distribution: nullable(metricDistribution),
});

export const wireMetricSeries = fields<Api.WireMetricSeries>({
  service: string,
  attributes: recordOf(jsonValue),
  containerId: nullable(string),
  points: arrayOf(wireMetricPoint),
});

export const wireMetricIdentity = fields<Api.WireMetricIdentity>({
  description: string,
  unit: string,
  type: oneOf(METRIC_TYPES),
  temporality: oneOf(METRIC_TEMPORALITIES),
  monotonic: boolean,
});

export const metricsResponse = fields<Api.WireMetricsResponse>({ metrics: arrayOf(wireMetricSummary) });
export const metricSeriesResponse = fields<Api.WireMetricSeriesResponse>({
  name: string,
  metric: nullable(wireMetricIdentity),
  series: arrayOf(wireMetricSeries),
  truncated: boolean,
});
