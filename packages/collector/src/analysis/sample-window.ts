/** The least a sample needs for its place in time. */
export interface Timed {
  timeNs: bigint;
}

/**
 * The samples that say something about a span. A sample at t holds gauges at t and rates
 * over (previous t, t]; counters are cumulative. So the span [startNs, endNs] is covered by
 * the samples inside it plus the nearest one on each side: the one before is the counters'
 * base, the one after closes the last interval.
 */
export interface SampleWindow<S extends Timed> {
  /** Inside the span plus the nearest one on each side, in time order. */
  samples: readonly S[];
  /** Those whose interval overlaps the span (t after its start): what rates are read from. */
  rateSamples: readonly S[];
  /** From the first to the last of `samples`: the time that counter increases cover. */
  startNs: bigint;
  endNs: bigint;
}

/**
 * Picks the window of `sorted` (ascending by time) around [startNs, endNs]; null when there
 * is no sample at all. A single sample is a window too: gauges can be read from it, counters
 * cannot (checks decide).
 * @example sampleWindow(samplesAt([0, 1000, 2000, 3000] ms), 1200 ms, 1700 ms) // samples at 1000 and 2000
 */
export function sampleWindow<S extends Timed>(sorted: readonly S[], startNs: bigint, endNs: bigint): SampleWindow<S> | null {
  if (sorted.length === 0) return null;
  let before = -1;
  while (before + 1 < sorted.length && (sorted[before + 1] as S).timeNs <= startNs) before += 1;
  let after = Math.max(before, 0);
  while (after < sorted.length - 1 && (sorted[after] as S).timeNs < endNs) after += 1;
  // All samples before the span: the latest one is all there is (its gauges, no rates).
  const samples = sorted.slice(Math.max(before, 0), after + 1);
  const head = samples[0] as S;
  const tail = samples[samples.length - 1] as S;
  return {
    samples,
    rateSamples: samples.filter((s) => s.timeNs > startNs),
    startNs: head.timeNs,
    endNs: tail.timeNs,
  };
}
