/**
 * Capped exponential backoff with full jitter, so that many services do not retry against a
 * returning collector in step. The wait before retry n (0 for the first retry) is
 *
 *   random(0, min(maxMillis, initialMillis · 2^n))
 *
 * the same formula as the collector's (packages/collector/src/lifecycle/backoff.ts), which this
 * package cannot import (it is published on its own). Full jitter spreads the retries of clients
 * that failed together best ("Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
 */
export interface BackoffPolicy {
  /** The ceiling of the first wait. */
  initialMillis: number;
  /** The ceiling never grows beyond this. */
  maxMillis: number;
  /** The jitter's random source in [0, 1); Math.random unless a test pins it. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMillis: 500, maxMillis: 5_000 };

/** Doublings past this cannot matter: 2^30 ms is twelve days, beyond any cap (and no overflow). */
const MAX_DOUBLINGS = 30;

/**
 * The wait before retry number `retry` (0 for the first retry), uniform in [0, ceiling].
 * @example backoffMillis(2, DEFAULT_BACKOFF) // in [0, 2_000]
 */
export function backoffMillis(retry: number, policy: BackoffPolicy, random: () => number = policy.random ?? Math.random): number {
  const ceiling = Math.min(policy.maxMillis, policy.initialMillis * 2 ** Math.min(retry, MAX_DOUBLINGS));
  return Math.round(random() * ceiling);
}
