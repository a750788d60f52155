/**
 * Capped exponential backoff with jitter: min, 2·min, 4·min, ... up to max, each scaled by a
 * random factor in [0.5, 1] so that collectors restarted together do not reconnect in step.
 * @example const backoff = new Backoff(250, 2_000); await sleep(backoff.next()); backoff.reset();
 */
export class Backoff {
  readonly #minMillis: number;
  readonly #maxMillis: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(minMillis: number, maxMillis: number, random: () => number = Math.random) {
    this.#minMillis = minMillis;
    this.#maxMillis = maxMillis;
    this.#random = random;
  }

  next(): number {
    const ceiling = Math.min(this.#maxMillis, this.#minMillis * 2 ** Math.min(this.#attempt, 30));
    this.#attempt += 1;
    return Math.round(ceiling * (0.5 + this.#random() / 2));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
