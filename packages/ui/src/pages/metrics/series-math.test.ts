import { describe, expect, it } from 'vitest';
import type { MetricDistribution, WireMetricPoint } from '../../api/wire.js';
import { intervalBuckets } from './histogram-intervals.js';
import { metricLines, seriesLabels, viewOf } from './metric-lines.js';
import { bucketQuantile, exponentialBase, exponentialBuckets, explicitBuckets } from './percentiles.js';
import { cumulativeRate, deltaRate, percentileSeries, sumByTime, summaryQuantiles } from './series-math.js';

const T0 = 1_700_000_000_000;

function point(t: number, fields: Partial<WireMetricPoint> = {}): WireMetricPoint {
  return { t, timeNs: `${t}000000`, startT: T0 - 60_000, value: null, count: null, sum: null, min: null, max: null, distribution: null, ...fields };
}

const BOUNDS = [0, 5, 10, 25, 50];
const explicit = (counts: number[]): MetricDistribution => ({ kind: 'explicit', bounds: BOUNDS, counts });

describe('rates', () => {
  it('turns a cumulative counter into per-second rates and leaves out the interval of a restart', () => {
    const points = [
      point(T0, { value: 100 }),
      point(T0 + 2_000, { value: 120 }), // +20 in 2 s
      point(T0 + 4_000, { value: 5 }), // dropped: the process restarted
      point(T0 + 6_000, { value: 35 }), // +30 in 2 s since the restart's first point
    ];
    expect(cumulativeRate(points)).toEqual([
      { x: T0 + 2_000, y: 10 },
      { x: T0 + 4_000, y: null },
      { x: T0 + 6_000, y: 15 },
    ]);
  });

  it('sees a restart by its new start time even when the total grew past the old one', () => {
    const points = [point(T0, { value: 10 }), point(T0 + 1_000, { value: 50, startT: T0 + 500 })];
    expect(cumulativeRate(points)).toEqual([{ x: T0 + 1_000, y: null }]);
  });

  it('divides delta values by their own interval', () => {
    const points = [point(T0, { value: 30, startT: T0 - 10_000 }), point(T0 + 5_000, { value: 10, startT: null })];
    expect(deltaRate(points)).toEqual([
      { x: T0, y: 3 },
      { x: T0 + 5_000, y: 2 }, // no start time: since the previous point
    ]);
  });
});

describe('histogram percentiles', () => {
  it('interpolates linearly inside the bucket that holds the rank', () => {
    // 40 observations: 10 in (0,5], 20 in (5,10], 10 in (10,25].
    const buckets = explicitBuckets({ kind: 'explicit', bounds: BOUNDS, counts: [0, 10, 20, 10, 0, 0] });
    expect(bucketQuantile(buckets, 0.5)).toBeCloseTo(7.5); // rank 20: half-way through (5,10]
    expect(bucketQuantile(buckets, 0.95)).toBeCloseTo(22); // rank 38: 8/10 of (10,25]
    expect(bucketQuantile(buckets, 0.99)).toBeCloseTo(24.4);
    expect(bucketQuantile(explicitBuckets({ kind: 'explicit', bounds: BOUNDS, counts: [0, 0, 0, 0, 0, 0] }), 0.5)).toBeNull();
  });

  it('never reads beyond the highest bound, unless the point says its max', () => {
    const top = { kind: 'explicit' as const, bounds: [1, 2], counts: [0, 0, 4] };
    expect(bucketQuantile(explicitBuckets(top), 0.99)).toBe(2);
    expect(bucketQuantile(explicitBuckets(top, { max: 6 }), 0.5)).toBeCloseTo(4);
  });

  it('takes each interval from the difference of consecutive cumulative points, and skips a reset', () => {
    const points = [
      point(T0, { count: 10, distribution: explicit([0, 10, 0, 0, 0, 0]) }),
      point(T0 + 1_000, { count: 50, distribution: explicit([0, 20, 20, 10, 0, 0]) }), // the interval: 10, 20, 10
      point(T0 + 2_000, { count: 4, distribution: explicit([0, 4, 0, 0, 0, 0]) }), // reset
      point(T0 + 3_000, { count: 8, distribution: explicit([0, 4, 4, 0, 0, 0]) }), // the interval: 4 in (5,10]
    ];
    const [p50, p95] = percentileSeries(points, 'cumulative');
    expect(p50?.points.map((p) => p.y)).toEqual([7.5, null, 7.5]);
    expect(p95?.points[0]?.y).toBeCloseTo(22);
    expect(p95?.points[2]?.y).toBeCloseTo(9.75);
    expect(p50?.points.map((p) => p.x)).toEqual([T0 + 1_000, T0 + 2_000, T0 + 3_000]);
  });

  it('uses delta points as they are', () => {
    const [p50] = percentileSeries([point(T0, { distribution: explicit([0, 10, 20, 10, 0, 0]) })], 'delta');
    expect(p50?.points).toEqual([{ x: T0, y: 7.5 }]);
  });

  it('reads exponential buckets with base 2^(2^-scale), across a downscale', () => {
    expect(exponentialBase(0)).toBe(2);
    expect(exponentialBase(1)).toBeCloseTo(Math.SQRT2);
    // scale 0: bucket 1 = (2, 4], bucket 2 = (4, 8]; 2 + 2 observations.
    const d = { kind: 'exponential' as const, scale: 0, zeroCount: 0, zeroThreshold: 0, positive: { offset: 1, counts: [2, 2] }, negative: { offset: 0, counts: [] } };
    expect(bucketQuantile(exponentialBuckets(d), 0.5)).toBeCloseTo(4);
    expect(bucketQuantile(exponentialBuckets(d), 0.75)).toBeCloseTo(6);
    // The earlier point at scale 1 ((2, 2.83] and (2.83, 4] = bucket 1 at scale 0) had 2: the interval is 2 in (4, 8].
    const before = { ...d, scale: 1, positive: { offset: 2, counts: [1, 1] } };
    const [interval] = intervalBuckets([point(T0, { distribution: before }), point(T0 + 1_000, { distribution: d })], 'cumulative');
    expect(bucketQuantile(interval?.buckets ?? [], 0.5)).toBeCloseTo(6);
  });
});

describe('summaries, sums and lines', () => {
  it('draws a summary\'s reported quantiles', () => {
    const q = (p50: number, p99: number): MetricDistribution => ({ kind: 'quantiles', quantiles: [{ quantile: 0.5, value: p50 }, { quantile: 0.99, value: p99 }] });
    const lines = summaryQuantiles([point(T0, { distribution: q(1, 9) }), point(T0 + 1_000, { distribution: q(2, 8) })]);
    expect(lines.map((l) => l.label)).toEqual(['p50', 'p99']);
    expect(lines[1]?.points.map((p) => p.y)).toEqual([9, 8]);
  });

  it('sums lines at equal times (heap spaces)', () => {
    expect(sumByTime([[{ x: 1, y: 10 }, { x: 2, y: 20 }], [{ x: 1, y: 5 }, { x: 2, y: null }], [{ x: 3, y: null }]])).toEqual([
      { x: 1, y: 15 },
      { x: 2, y: 20 },
      { x: 3, y: null },
    ]);
  });

  it('labels series by attributes and by container only when there are several', () => {
    const series = (attrs: Record<string, string>, containerId: string | null) => ({ service: 's', attributes: attrs, containerId, points: [point(T0, { value: 1 })] });
    const names = new Map([['a'.repeat(64), 'orders-1']]);
    expect(seriesLabels([series({ route: '/a', method: 'GET' }, null)], { containerNames: names })).toEqual(['method=GET, route=/a']);
    expect(seriesLabels([series({}, 'a'.repeat(64)), series({}, 'b'.repeat(64))], { containerNames: names })).toEqual(['orders-1', 'bbbbbbbbbbbb']);
    // An attribute with one value in every series tells no line apart.
    expect(seriesLabels([series({ route: '/a', method: 'GET' }, null), series({ route: '/b', method: 'GET' }, null)], { containerNames: names })).toEqual(['route=/a', 'route=/b']);
    const identity = { description: '', unit: 's', type: 'histogram' as const, temporality: 'cumulative' as const, monotonic: false };
    expect(viewOf({ ...identity, type: 'sum', monotonic: true })).toBe('rate');
    expect(viewOf({ ...identity, type: 'sum' })).toBe('value');
    expect(metricLines(identity, [series({ route: '/a' }, null)], ['route=/a']).map((l) => l.label)).toEqual(['route=/a · p50', 'route=/a · p95', 'route=/a · p99']);
  });
});
