import { describe, expect, it } from 'vitest';
import { sampleWindow } from './sample-window.js';
import { at, sample } from './testing/rows.js';

const times = (list: readonly { timeNs: bigint }[]): bigint[] => list.map((s) => s.timeNs);
const every = [0, 1000, 2000, 3000, 4000].map((ms) => sample(ms));

describe('sampleWindow', () => {
  it('takes the samples inside the span and the nearest one on each side', () => {
    const w = sampleWindow(every, at(1200), at(2500));
    expect(times(w?.samples ?? [])).toEqual([at(1000), at(2000), at(3000)]);
    // The sample at 1000 only closes the interval before the span: no rates from it.
    expect(times(w?.rateSamples ?? [])).toEqual([at(2000), at(3000)]);
    expect([w?.startNs, w?.endNs]).toEqual([at(1000), at(3000)]);
  });

  it('brackets a span that falls between two samples', () => {
    const w = sampleWindow(every, at(1200), at(1700));
    expect(times(w?.samples ?? [])).toEqual([at(1000), at(2000)]);
    expect(times(w?.rateSamples ?? [])).toEqual([at(2000)]);
  });

  it('treats samples exactly at the span ends as the outer ones', () => {
    const w = sampleWindow(every, at(1000), at(2000));
    expect(times(w?.samples ?? [])).toEqual([at(1000), at(2000)]);
    expect(times(w?.rateSamples ?? [])).toEqual([at(2000)]);
  });

  it('keeps what there is when the next sample has not been taken yet', () => {
    const w = sampleWindow(every, at(3500), at(4800));
    expect(times(w?.samples ?? [])).toEqual([at(3000), at(4000)]);
  });

  it('gives the latest sample alone when all are before the span (gauges, no rates)', () => {
    const w = sampleWindow(every, at(5200), at(5400));
    expect(times(w?.samples ?? [])).toEqual([at(4000)]);
    expect(w?.rateSamples).toEqual([]);
  });

  it('starts at the first sample when the container was first sampled during the span', () => {
    const w = sampleWindow(every, at(-500), at(1500));
    expect(times(w?.samples ?? [])).toEqual([at(0), at(1000), at(2000)]);
  });

  it('has no window without samples', () => {
    expect(sampleWindow([], at(0), at(1))).toBeNull();
  });
});
