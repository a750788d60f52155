import { describe, expect, it } from 'vitest';
import { inputFor, sample, tOf } from '../testing/rows.js';
import { checkCpuAtLimit } from './cpu-at-limit.js';

describe('checkCpuAtLimit', () => {
  it('names a container that used its whole limit in most samples over the span', () => {
    const finding = checkCpuAtLimit(inputFor({
      span: [1200, 3500],
      cpuLimitCores: 0.5,
      samples: [sample(1000, { cpuPercent: 2 }), sample(2000, { cpuPercent: 49.6 }), sample(3000, { cpuPercent: 50 }), sample(4000, { cpuPercent: 20 })],
    }));
    expect(finding?.kind).toBe('cpu_at_limit');
    // The sample at 1000 closes the interval before the span: its 2% is not counted.
    expect(finding?.evidence).toMatchObject({
      samples: [tOf(2000), tOf(3000), tOf(4000)],
      cpuPercent: [49.6, 50, 20],
      cpuLimitCores: 0.5,
      thresholdPercent: 45,
      samplesAtLimit: 2,
    });
    expect(finding?.message).toBe(
      'orders ran at its CPU limit of 0.5 cores (50%): 39.9% on average, at least 45% in 2 of 3 samples around this 2300 ms span',
    );
  });

  it('names nothing when at the limit in half the samples or fewer', () => {
    const samples = [sample(1000), sample(2000, { cpuPercent: 50 }), sample(3000, { cpuPercent: 10 })];
    expect(checkCpuAtLimit(inputFor({ span: [1200, 2500], cpuLimitCores: 0.5, samples }))).toBeNull();
  });

  it('names nothing without a limit, without rates, or for a busy container under its limit', () => {
    const busy = [sample(1000), sample(2000, { cpuPercent: 150 })];
    expect(checkCpuAtLimit(inputFor({ span: [1200, 1700], cpuLimitCores: null, samples: busy }))).toBeNull();
    expect(checkCpuAtLimit(inputFor({ span: [1200, 1700], cpuLimitCores: 2, samples: busy }))).toBeNull();
    // The first sample of a container has no CPU percentage yet.
    const first = [sample(2000, { cpuPercent: null })];
    expect(checkCpuAtLimit(inputFor({ span: [1200, 1700], cpuLimitCores: 0.2, samples: first }))).toBeNull();
    // Only a sample before the span: its rate is of the time before it.
    const before = [sample(1000, { cpuPercent: 20 })];
    expect(checkCpuAtLimit(inputFor({ span: [1200, 1700], cpuLimitCores: 0.2, samples: before }))).toBeNull();
  });

  it('reads one sample that covers the whole span', () => {
    const single = [sample(2000, { cpuPercent: 19 })];
    expect(checkCpuAtLimit(inputFor({ span: [1200, 1700], cpuLimitCores: 0.2, samples: single }))?.evidence)
      .toMatchObject({ samples: [tOf(2000)], samplesAtLimit: 1 });
  });
});
