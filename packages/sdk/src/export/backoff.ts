/** Exponential backoff with jitter, so that many services do not retry against a returning collector in step. */
export interface BackoffPolicy {
  initialMillis: number;
  maxMillis: number;
  multiplier: number;
  /** Each wait is scaled by a random factor in [1 - jitterRatio, 1 + jitterRatio]. */
  jitterRatio: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMillis: 500, maxMillis: 5_000, multiplier: 2, jitterRatio: 0.2 };

/** The wait before retry number `retry` (0 for the first retry). */
export function backoffMillis(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.initialMillis * policy.multiplier ** retry, policy.maxMillis);
  const jitter = 1 + (random() * 2 - 1) * policy.jitterRatio;
  return Math.max(0, Math.round(base * jitter));
}
