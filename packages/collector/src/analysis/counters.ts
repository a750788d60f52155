/** How much a cumulative counter grew over a series, and whether it restarted on the way. */
export interface CounterIncrease {
  increase: number;
  /** Drops seen: the cgroup was recreated (container restarted), so counting began again at 0. */
  resets: number;
  /** Non-null values the increase was computed from. */
  points: number;
}

/**
 * The growth of a cumulative counter (throttled time, failcnt, oom_kill) across samples in
 * time order, as Prometheus' increase() without extrapolation: a value lower than the one
 * before means the counter restarted from zero, so the new value is all growth. Null values
 * (not exposed on this host) are skipped; fewer than two values give null — no evidence.
 *
 * @example counterIncrease([100, 150, 20, 30]) // { increase: 80, resets: 1, points: 4 }
 */
export function counterIncrease(values: readonly (number | null | undefined)[]): CounterIncrease | null {
  let previous: number | undefined;
  let increase = 0;
  let resets = 0;
  let points = 0;
  for (const value of values) {
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    points += 1;
    if (previous !== undefined) {
      if (value >= previous) increase += value - previous;
      else {
        resets += 1;
        increase += value;
      }
    }
    previous = value;
  }
  return points < 2 ? null : { increase, resets, points };
}
