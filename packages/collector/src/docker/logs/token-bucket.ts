/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up. Each container
 * log stream has one, so a flooding container spends its own budget, not the others'.
 * @example const bucket = new TokenBucket(1_000, 5_000, performance.now()); if (!bucket.take(performance.now())) drop();
 */
export class TokenBucket {
  readonly #ratePerMilli: number;
  readonly #burst: number;
  #tokens: number;
  #lastMillis: number;

  constructor(ratePerSecond: number, burst: number, nowMillis: number) {
    this.#ratePerMilli = ratePerSecond / 1_000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#lastMillis = nowMillis;
  }

  take(nowMillis: number): boolean {
    const elapsed = Math.max(0, nowMillis - this.#lastMillis);
    this.#lastMillis = nowMillis;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#ratePerMilli);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
