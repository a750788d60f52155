import { describe, expect, it } from 'vitest';
import { backoffMillis, DEFAULT_BACKOFF } from '../../src/export/backoff.ts';

describe('backoffMillis (full jitter, as the collector)', () => {
  it('draws each wait between 0 and a ceiling that doubles up to maxMillis', () => {
    const ceilings = [0, 1, 2, 3, 4, 40].map((retry) => backoffMillis(retry, DEFAULT_BACKOFF, () => 1));
    expect(ceilings).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
    expect([0, 0.5].map((r) => backoffMillis(1, DEFAULT_BACKOFF, () => r))).toEqual([0, 500]);
  });

  it('takes its random source from the policy when given one', () => {
    expect(backoffMillis(0, { initialMillis: 60_000, maxMillis: 60_000, random: () => 1 })).toBe(60_000);
  });
});
