import { describe, expect, it } from 'vitest';
import { event, inputFor, sample, tOf } from '../testing/rows.js';
import { checkOom } from './oom.js';

describe('checkOom', () => {
  it('names an oom event in the window', () => {
    const finding = checkOom(inputFor({ span: [1200, 1700], events: [event(1650, 'oom'), event(1660, 'die', { exitCode: '137' })] }));
    expect(finding?.kind).toBe('oom');
    expect(finding?.message).toBe('orders ran out of memory around this span: 1 oom event');
    expect(finding?.evidence).toMatchObject({ events: [{ t: tOf(1650), action: 'oom' }], samples: [] });
  });

  it('names OOM kills counted by the cgroup between the samples', () => {
    const finding = checkOom(inputFor({
      span: [1200, 1700],
      samples: [sample(1000, { memoryOomKills: 1 }), sample(2000, { memoryOomKills: 3 })],
    }));
    expect(finding?.message).toBe('orders ran out of memory around this span: 2 processes OOM-killed');
    expect(finding?.evidence).toMatchObject({ oomKills: 2, samples: [tOf(1000), tOf(2000)] });
  });

  it('names nothing for an oom event outside the window (one interval beyond the span) or flat counters', () => {
    const input = inputFor({
      span: [3200, 3700],
      events: [event(1000, 'oom')],
      samples: [sample(3000, { memoryOomKills: 4 }), sample(4000, { memoryOomKills: 4 })],
    });
    expect(checkOom(input)).toBeNull();
  });

  it('names nothing where the counter is unknown and no event came', () => {
    const samples = [sample(1000, { memoryOomKills: null }), sample(2000, { memoryOomKills: null })];
    expect(checkOom(inputFor({ span: [1200, 1700], samples }))).toBeNull();
  });
});
