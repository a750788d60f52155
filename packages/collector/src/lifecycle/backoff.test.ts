import { describe, expect, it } from 'vitest';
import { Backoff, backoffMillis } from './backoff.js';

const POLICY = { initialMillis: 100, maxMillis: 1_000 };

describe('backoffMillis (full jitter)', () => {
  it('doubles the ceiling from initialMillis up to maxMillis', () => {
    const ceilings = [0, 1, 2, 3, 4, 5].map((retry) => backoffMillis(retry, POLICY, () => 1));
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('draws the wait uniformly between 0 and the ceiling', () => {
    expect([0, 0.25, 0.5, 0.999].map((r) => backoffMillis(2, POLICY, () => r))).toEqual([0, 100, 200, 400]);
  });

  it('stays at the cap however many retries there were', () => {
    expect(backoffMillis(10_000, POLICY, () => 1)).toBe(1_000);
    expect(backoffMillis(10_000, { initialMillis: 0, maxMillis: 0 }, () => 1)).toBe(0);
  });
});

describe('Backoff', () => {
  it('counts its retries and starts over after reset', () => {
    const backoff = new Backoff(POLICY, () => 1);
    expect([1, 2, 3].map(() => backoff.next())).toEqual([100, 200, 400]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
    expect(new Backoff(POLICY, () => 0).next()).toBe(0);
  });
});
