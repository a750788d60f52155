import type { WireSample } from '../api/wire.js';

/**
 * Chart series from container samples. CPU % and memory are levels; throttled time, network
 * and block I/O bytes are cumulative counters (as cgroup and the Docker stats API give them),
 * shown as a rate per second between consecutive samples. A counter that goes down (the
 * container restarted) starts again from that sample: no negative rate is drawn.
 */
export interface Point {
  x: number;
  y: number | null;
}

const MS_PER_S = 1000;

export function levelSeries(samples: readonly WireSample[], pick: (s: WireSample) => number | null): Point[] {
  return samples.map((s) => ({ x: s.t, y: pick(s) }));
}

export function rateSeries(samples: readonly WireSample[], pick: (s: WireSample) => number | null): Point[] {
  const out: Point[] = [];
  // Rates start at the second sample; the first point only anchors the x axis.
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1];
    const now = samples[i];
    if (before === undefined || now === undefined) continue;
    const a = pick(before);
    const b = pick(now);
    const seconds = (now.t - before.t) / MS_PER_S;
    out.push({ x: now.t, y: a === null || b === null || b < a || seconds <= 0 ? null : (b - a) / seconds });
  }
  return out;
}

export interface ResourceSeries {
  cpuPercent: Point[];
  /** The quota as a line, per sample (a `docker update --cpus` shows as a step). */
  cpuLimitPercent: Point[];
  throttledMsPerS: Point[];
  memoryBytes: Point[];
  memoryLimitBytes: Point[];
  netRxBytesPerS: Point[];
  netTxBytesPerS: Point[];
  blkReadBytesPerS: Point[];
  blkWriteBytesPerS: Point[];
}

const PERCENT_PER_CPU = 100;

/**
 * cpuPercent counts 100 % per core as `docker stats` does, so a quota of `cpuLimitCores`
 * (0.2 for --cpus 0.2) draws its line at cpuLimitCores × 100 %. Samples carry the quota of
 * their time; `cpuLimit` (the container's, from its metadata) stands in where they do not.
 */
export function resourceSeries(samples: readonly WireSample[], cpuLimit: number | null, memoryLimitBytes: number | null): ResourceSeries {
  return {
    cpuPercent: levelSeries(samples, (s) => s.cpuPercent),
    cpuLimitPercent: levelSeries(samples, (s) => {
      const cores = s.cpuLimitCores ?? cpuLimit;
      return cores === null ? null : cores * PERCENT_PER_CPU;
    }),
    throttledMsPerS: rateSeries(samples, (s) => s.cpuThrottledMs),
    memoryBytes: levelSeries(samples, (s) => s.memoryBytes),
    memoryLimitBytes: levelSeries(samples, (s) => s.memoryLimitBytes ?? memoryLimitBytes),
    netRxBytesPerS: rateSeries(samples, (s) => s.netRxBytes),
    netTxBytesPerS: rateSeries(samples, (s) => s.netTxBytes),
    blkReadBytesPerS: rateSeries(samples, (s) => s.blkReadBytes),
    blkWriteBytesPerS: rateSeries(samples, (s) => s.blkWriteBytes),
  };
}

/** "max 83 %, last 12 %" for a chart's text alternative. */
export function describeSeries(points: readonly Point[], format: (v: number) => string): string {
  const values = points.flatMap((p) => (p.y === null ? [] : [p.y]));
  if (values.length === 0) return 'no samples';
  return `max ${format(Math.max(...values))}, last ${format(values[values.length - 1] ?? 0)}`;
}
