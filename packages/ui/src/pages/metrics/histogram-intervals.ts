import type { ExplicitBuckets, ExponentialDistribution, MetricTemporality, WireMetricPoint } from '../../api/wire.js';
import { explicitBuckets, exponentialBuckets, type Bucket } from './percentiles.js';

/**
 * The buckets each interval of a histogram observed. Cumulative points hold counts since
 * their start: an interval's counts are the difference of two consecutive points, which
 * needs the same bounds (explicit) or a common scale (exponential: a sender may downscale
 * between points, so both sides are merged down to the coarser one). A count that went
 * down means the process restarted: that interval has no buckets (null).
 */

/** A new stream began between two cumulative points: the process restarted. */
export function restartedBetween(before: WireMetricPoint, now: WireMetricPoint): boolean {
  return now.startT !== null && now.startT > before.t;
}

function explicitDifference(before: ExplicitBuckets, now: ExplicitBuckets): ExplicitBuckets | null {
  const sameBounds = before.bounds.length === now.bounds.length && before.bounds.every((b, i) => b === now.bounds[i]);
  if (!sameBounds || before.counts.length !== now.counts.length) return null;
  const counts = now.counts.map((c, i) => c - (before.counts[i] ?? 0));
  return counts.some((c) => c < 0) ? null : { kind: 'explicit', bounds: now.bounds, counts };
}

/** Bucket counts by index at a coarser scale (a sender may downscale between points). */
function countsAt(side: ExponentialDistribution['positive'], fromScale: number, toScale: number): Map<number, number> {
  const factor = 2 ** (fromScale - toScale);
  const out = new Map<number, number>();
  side.counts.forEach((count, k) => {
    const index = Math.floor((side.offset + k) / factor);
    out.set(index, (out.get(index) ?? 0) + count);
  });
  return out;
}

function sideDifference(before: ExponentialDistribution, now: ExponentialDistribution, side: 'positive' | 'negative', scale: number) {
  const a = countsAt(before[side], before.scale, scale);
  const b = countsAt(now[side], now.scale, scale);
  const indexes = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  if (first === undefined || last === undefined) return { offset: 0, counts: [] };
  const counts: number[] = [];
  for (let index = first; index <= last; index++) counts.push((b.get(index) ?? 0) - (a.get(index) ?? 0));
  return counts.some((c) => c < 0) ? null : { offset: first, counts };
}

function exponentialDifference(before: ExponentialDistribution, now: ExponentialDistribution): ExponentialDistribution | null {
  const scale = Math.min(before.scale, now.scale);
  const positive = sideDifference(before, now, 'positive', scale);
  const negative = sideDifference(before, now, 'negative', scale);
  const zeroCount = now.zeroCount - before.zeroCount;
  if (positive === null || negative === null || zeroCount < 0) return null;
  return { kind: 'exponential', scale, zeroCount, zeroThreshold: now.zeroThreshold, positive, negative };
}

/** The buckets of what one point observed by itself: its min/max bound the open outer buckets. */
function bucketsOf(point: WireMetricPoint, ownInterval: boolean): Bucket[] | null {
  const d = point.distribution;
  const extremes = ownInterval ? { min: point.min ?? undefined, max: point.max ?? undefined } : {};
  if (d?.kind === 'explicit') return explicitBuckets(d, extremes);
  if (d?.kind === 'exponential') return exponentialBuckets(d);
  return null;
}

function differenceBuckets(before: WireMetricPoint, now: WireMetricPoint): Bucket[] | null {
  const a = before.distribution;
  const b = now.distribution;
  if (restartedBetween(before, now) || a === null || b === null) return null;
  if (a.kind === 'explicit' && b.kind === 'explicit') {
    const d = explicitDifference(a, b);
    return d === null ? null : explicitBuckets(d);
  }
  if (a.kind === 'exponential' && b.kind === 'exponential') {
    const d = exponentialDifference(a, b);
    return d === null ? null : exponentialBuckets(d);
  }
  return null;
}

/**
 * The buckets of each interval: delta points as they are; cumulative points as the
 * difference from the previous point (from the second point on; null across a restart).
 */
export function intervalBuckets(points: readonly WireMetricPoint[], temporality: MetricTemporality): { t: number; buckets: Bucket[] | null }[] {
  if (temporality === 'delta') return points.map((p) => ({ t: p.t, buckets: bucketsOf(p, true) }));
  const out: { t: number; buckets: Bucket[] | null }[] = [];
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1];
    const now = points[i];
    if (before !== undefined && now !== undefined) out.push({ t: now.t, buckets: differenceBuckets(before, now) });
  }
  return out;
}
