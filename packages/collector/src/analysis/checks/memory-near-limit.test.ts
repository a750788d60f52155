import { describe, expect, it } from 'vitest';
import { inputFor, sample, tOf } from '../testing/rows.js';
import { checkMemoryNearLimit } from './memory-near-limit.js';

const MIB = 1024 * 1024;

describe('checkMemoryNearLimit', () => {
  it('names usage at 90% of the limit or more, with the peak sample', () => {
    const finding = checkMemoryNearLimit(inputFor({
      span: [1200, 1700],
      memoryLimitBytes: 256 * MIB,
      samples: [sample(1000, { memoryBytes: 200 * MIB }), sample(2000, { memoryBytes: 240 * MIB })],
    }));
    expect(finding?.kind).toBe('memory_near_limit');
    expect(finding?.message).toBe('orders used 240 MiB of its 256 MiB memory limit (93.8%) around this span');
    expect(finding?.evidence).toMatchObject({
      peakMemoryBytes: 240 * MIB,
      memoryLimitBytes: 256 * MIB,
      peakRatio: 0.938,
      peakAt: tOf(2000),
      failcntIncrease: 0,
    });
  });

  it('names a limit that was hit (failcnt grew) even when usage was reclaimed below 90%', () => {
    const finding = checkMemoryNearLimit(inputFor({
      span: [1200, 1700],
      memoryLimitBytes: 256 * MIB,
      samples: [sample(1000, { memoryBytes: 100 * MIB, memoryFailcnt: 3 }), sample(2000, { memoryBytes: 120 * MIB, memoryFailcnt: 15 })],
    }));
    expect(finding?.message).toBe('orders hit its memory limit 12 times (failcnt) around this span');
    expect(finding?.evidence).toMatchObject({ failcntIncrease: 12, peakRatio: 0.469 });
  });

  it('names nothing below 90% without failcnt growth', () => {
    const samples = [sample(1000, { memoryBytes: 200 * MIB }), sample(2000, { memoryBytes: 230 * MIB })];
    expect(checkMemoryNearLimit(inputFor({ span: [1200, 1700], memoryLimitBytes: 256 * MIB, samples }))).toBeNull();
  });

  it("names nothing for a container without a limit, though the sample's limit (the host's memory) is near", () => {
    const samples = [sample(2000, { memoryBytes: 15 * 1024 * MIB, memoryLimitBytes: 16 * 1024 * MIB })];
    expect(checkMemoryNearLimit(inputFor({ span: [1200, 1700], memoryLimitBytes: null, samples }))).toBeNull();
  });

  it('names nothing without samples or without memory figures', () => {
    expect(checkMemoryNearLimit(inputFor({ span: [1200, 1700], memoryLimitBytes: 256 * MIB }))).toBeNull();
    const unknown = [sample(2000, { memoryBytes: null, memoryFailcnt: null })];
    expect(checkMemoryNearLimit(inputFor({ span: [1200, 1700], memoryLimitBytes: 256 * MIB, samples: unknown }))).toBeNull();
  });
});
