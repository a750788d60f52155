import type { ExplicitBuckets, ExponentialDistribution } from '../../api/wire.js';

/**
 * Quantiles of a histogram from its bucket counts, interpolating linearly inside the bucket
 * that holds the rank (as Prometheus' histogram_quantile does). The open outer buckets have
 * no edge: the lowest one starts at 0 (or at `min` where the point's own min is known), the
 * highest one ends at its lower bound (or `max`), so that no value is invented beyond them.
 */

/** One bucket in value order: (lower, upper] holding `count` observations. */
export interface Bucket {
  lower: number;
  upper: number;
  count: number;
}

/** The observed range of the point's own interval, where known (delta points, first points). */
export interface Extremes {
  min?: number;
  max?: number;
}

export function explicitBuckets(d: ExplicitBuckets, extremes: Extremes = {}): Bucket[] {
  const { bounds, counts } = d;
  return counts.map((count, i) => {
    const upperBound = bounds[i];
    const lowerBound = bounds[i - 1];
    if (lowerBound === undefined && upperBound === undefined) return { lower: extremes.min ?? 0, upper: extremes.max ?? 0, count };
    if (lowerBound === undefined) {
      const upper = upperBound ?? 0;
      const lower = extremes.min !== undefined && extremes.min <= upper ? extremes.min : Math.min(0, upper);
      return { lower, upper, count };
    }
    if (upperBound === undefined) {
      const upper = extremes.max !== undefined && extremes.max >= lowerBound ? extremes.max : lowerBound;
      return { lower: lowerBound, upper, count };
    }
    return { lower: lowerBound, upper: upperBound, count };
  });
}

/** base = 2^(2^-scale); bucket index i covers (base^i, base^(i+1)]. */
export function exponentialBase(scale: number): number {
  return 2 ** (2 ** -scale);
}

/** Negative buckets (most negative first), the zero bucket, then positive buckets, in value order. */
export function exponentialBuckets(d: ExponentialDistribution): Bucket[] {
  const base = exponentialBase(d.scale);
  const out: Bucket[] = [];
  for (let k = d.negative.counts.length - 1; k >= 0; k--) {
    const index = d.negative.offset + k;
    out.push({ lower: -(base ** (index + 1)), upper: -(base ** index), count: d.negative.counts[k] ?? 0 });
  }
  if (d.zeroCount > 0) out.push({ lower: -d.zeroThreshold, upper: d.zeroThreshold, count: d.zeroCount });
  d.positive.counts.forEach((count, k) => {
    const index = d.positive.offset + k;
    out.push({ lower: base ** index, upper: base ** (index + 1), count });
  });
  return out;
}

/** The q-quantile (0..1) of buckets in value order; null when they hold no observation. */
export function bucketQuantile(buckets: readonly Bucket[], q: number): number | null {
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (const bucket of buckets) {
    if (bucket.count <= 0) continue;
    if (below + bucket.count >= rank) {
      const fraction = Math.min(1, Math.max(0, (rank - below) / bucket.count));
      return bucket.lower + (bucket.upper - bucket.lower) * fraction;
    }
    below += bucket.count;
  }
  // Rounding left the rank past the last bucket: the top of the highest non-empty one.
  const last = [...buckets].reverse().find((b) => b.count > 0);
  return last === undefined ? null : last.upper;
}
