/**
 * The numbers each check compares against. Defaults are deliberately conservative: a
 * suspect a person chases in vain costs more than one that goes unnamed.
 */
export interface SuspectThresholds {
  /** cpu_throttled: throttled time must reach this many ms ... */
  throttledMinMillis: number;
  /** ... and this share of the span's duration (0.1 = 10%). */
  throttledMinShareOfSpan: number;
  /** cpu_at_limit: a sample is "at the limit" at this share of limit cores × 100%. */
  cpuAtLimitRatio: number;
  /** memory_near_limit: usage at this share of the limit. */
  memoryNearLimitRatio: number;
  /** noisy_neighbour: another container's CPU as a share of the host's capacity ... */
  neighbourMinShareOfHost: number;
  /** ... while all containers together used at least this share (the CPUs had a queue). */
  hostSaturatedRatio: number;
  /** psi_stall: "some" stall time (at least one task waited) must reach this many ms ... */
  psiStallMinMillis: number;
  /** ... and this share of the span's duration. */
  psiStallMinShareOfSpan: number;
}

export const DEFAULT_SUSPECT_THRESHOLDS: Readonly<SuspectThresholds> = {
  throttledMinMillis: 5,
  throttledMinShareOfSpan: 0.1,
  cpuAtLimitRatio: 0.9,
  memoryNearLimitRatio: 0.9,
  neighbourMinShareOfHost: 0.5,
  hostSaturatedRatio: 0.9,
  psiStallMinMillis: 20,
  psiStallMinShareOfSpan: 0.2,
};
