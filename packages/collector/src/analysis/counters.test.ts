import { describe, expect, it } from 'vitest';
import { counterIncrease } from './counters.js';

describe('counterIncrease', () => {
  it('sums the growth of a counter', () => {
    expect(counterIncrease([100, 150, 400])).toEqual({ increase: 300, resets: 0, points: 3 });
  });

  it('counts a drop as a restart from zero (a new cgroup after a container restart)', () => {
    expect(counterIncrease([100, 150, 20, 30])).toEqual({ increase: 80, resets: 1, points: 4 });
  });

  it('skips values the host does not expose', () => {
    expect(counterIncrease([null, 10, undefined, 25, Number.NaN])).toEqual({ increase: 15, resets: 0, points: 2 });
  });

  it('has no answer from fewer than two values', () => {
    expect(counterIncrease([])).toBeNull();
    expect(counterIncrease([42])).toBeNull();
    expect(counterIncrease([null, 42, null])).toBeNull();
  });

  it('reports zero growth for a flat counter', () => {
    expect(counterIncrease([7, 7, 7])).toEqual({ increase: 0, resets: 0, points: 3 });
  });
});
