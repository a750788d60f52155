/**
 * The collector's one backoff formula, for the store write retries (write-retry.ts) and the
 * Docker reconnect loop alike: capped exponential with full jitter ("Exponential Backoff And
 * Jitter", AWS Architecture Blog, 2015). The wait before retry n (0 for the first retry) is
 *
 *   random(0, min(maxMillis, initialMillis · 2^n))
 *
 * Full jitter rather than the OpenTelemetry Collector's randomization factor (interval · [0.5,
 * 1.5]) or "equal jitter" ([ceiling/2, ceiling]): both keep a floor that holds clients that failed
 * together partly in step, and in Brooker's measurements full jitter finished contended work with
 * the fewest calls. A wait near 0 costs one cheap early attempt; the ceiling still doubles.
 * The SDK (packages/sdk/src/export/backoff.ts) uses the same formula.
 */
export interface BackoffPolicy {
  /** The ceiling of the first wait. */
  initialMillis: number;
  /** The ceiling never grows beyond this. */
  maxMillis: number;
}

/** Doublings past this cannot matter: 2^30 ms is twelve days, beyond any cap (and no overflow). */
const MAX_DOUBLINGS = 30;

/**
 * The wait before retry number `retry` (0 for the first), uniform in [0, ceiling].
 * @example backoffMillis(2, { initialMillis: 100, maxMillis: 2_000 }) // in [0, 400]
 */
export function backoffMillis(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMillis, policy.initialMillis * 2 ** Math.min(retry, MAX_DOUBLINGS));
  return Math.round(random() * ceiling);
}

/**
 * The same formula for a loop that counts its own retries: next() is the wait before the next
 * attempt; reset() after a success starts over from initialMillis.
 * @example const backoff = new Backoff({ initialMillis: 250, maxMillis: 2_000 }); await sleep(backoff.next(), signal); backoff.reset();
 */
export class Backoff {
  readonly #policy: BackoffPolicy;
  readonly #random: () => number;
  #retry = 0;

  constructor(policy: BackoffPolicy, random: () => number = Math.random) {
    this.#policy = policy;
    this.#random = random;
  }

  next(): number {
    const waitMillis = backoffMillis(this.#retry, this.#policy, this.#random);
    this.#retry += 1;
    return waitMillis;
  }

  reset(): void {
    this.#retry = 0;
  }
}
