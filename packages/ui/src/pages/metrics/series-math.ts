import type { MetricTemporality, WireMetricPoint } from '../../api/wire.js';
import type { Point } from '../../charts/resource-series.js';
import { intervalBuckets, restartedBetween } from './histogram-intervals.js';
import { bucketQuantile } from './percentiles.js';

/**
 * What a chart draws from OTLP points, by kind. Cumulative points are running totals since
 * their start time: a rate or an interval's distribution is the difference of two
 * consecutive points, and a total that goes down (or a start time after the previous
 * point) means the process restarted, so that interval is left out (null: a gap) rather
 * than drawn as a negative spike. Delta points each cover their own interval already.
 */

const MS_PER_S = 1000;

type Pick = (p: WireMetricPoint) => number | null;
const pickValue: Pick = (p) => p.value;

/** gauge, non-monotonic cumulative sum: the value as reported. */
export function valueSeries(points: readonly WireMetricPoint[], pick: Pick = pickValue): Point[] {
  return points.map((p) => ({ x: p.t, y: pick(p) }));
}

/** Monotonic cumulative totals → change per second between consecutive points. */
export function cumulativeRate(points: readonly WireMetricPoint[], pick: Pick = pickValue): Point[] {
  const out: Point[] = [];
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1];
    const now = points[i];
    if (before === undefined || now === undefined) continue;
    const a = pick(before);
    const b = pick(now);
    const seconds = (now.t - before.t) / MS_PER_S;
    const broken = a === null || b === null || seconds <= 0 || b < a || restartedBetween(before, now);
    out.push({ x: now.t, y: broken ? null : (b - a) / seconds });
  }
  return out;
}

/** The interval a delta point covers, in seconds: from its start time, else from the previous point. */
function deltaSeconds(point: WireMetricPoint, previous: WireMetricPoint | undefined): number | null {
  const startMs = point.startT !== null && point.startT < point.t ? point.startT : previous?.t;
  if (startMs === undefined || startMs >= point.t) return null;
  return (point.t - startMs) / MS_PER_S;
}

/** Delta values → value per second of each point's interval. */
export function deltaRate(points: readonly WireMetricPoint[], pick: Pick = pickValue): Point[] {
  return points.map((p, i) => {
    const value = pick(p);
    const seconds = deltaSeconds(p, points[i - 1]);
    return { x: p.t, y: value === null || seconds === null ? null : value / seconds };
  });
}

/** Change per second of a counter-like field (a sum's value, a histogram's sum or count). */
export function rateOf(points: readonly WireMetricPoint[], temporality: MetricTemporality, pick: Pick = pickValue): Point[] {
  return temporality === 'delta' ? deltaRate(points, pick) : cumulativeRate(points, pick);
}

export const PERCENTILES = [
  { label: 'p50', q: 0.5 },
  { label: 'p95', q: 0.95 },
  { label: 'p99', q: 0.99 },
] as const;

/** p50/p95/p99 per interval of a histogram (explicit or exponential buckets). */
export function percentileSeries(points: readonly WireMetricPoint[], temporality: MetricTemporality): { label: string; points: Point[] }[] {
  const intervals = intervalBuckets(points, temporality);
  return PERCENTILES.map(({ label, q }) => ({
    label,
    points: intervals.map(({ t, buckets }) => ({ x: t, y: buckets === null ? null : bucketQuantile(buckets, q) })),
  }));
}

/** A summary's reported quantiles, one line per quantile it reports ("p99", "max" for 1, "min" for 0). */
export function summaryQuantiles(points: readonly WireMetricPoint[]): { label: string; points: Point[] }[] {
  const quantiles = new Set<number>();
  for (const p of points) if (p.distribution?.kind === 'quantiles') for (const q of p.distribution.quantiles) quantiles.add(q.quantile);
  return [...quantiles].sort((a, b) => a - b).map((q) => ({
    label: quantileLabel(q),
    points: points.map((p) => {
      const found = p.distribution?.kind === 'quantiles' ? p.distribution.quantiles.find((x) => x.quantile === q) : undefined;
      return { x: p.t, y: found?.value ?? null };
    }),
  }));
}

export function quantileLabel(q: number): string {
  if (q === 0) return 'min';
  if (q === 1) return 'max';
  return `p${Number((q * 100).toFixed(2))}`;
}

/** Sums lines point by point at equal times (heap spaces, GC kinds); a time where all are null stays null. */
export function sumByTime(lines: readonly (readonly Point[])[]): Point[] {
  const sums = new Map<number, number | null>();
  for (const line of lines) {
    for (const { x, y } of line) {
      const sofar = sums.get(x);
      sums.set(x, y === null ? (sofar ?? null) : (sofar ?? 0) + y);
    }
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y }));
}
