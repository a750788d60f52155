import { describe, expect, it } from 'vitest';
import { inputFor, sample, tOf } from '../testing/rows.js';
import { checkCpuThrottled } from './cpu-throttled.js';

describe('checkCpuThrottled', () => {
  it('names the throttled time and periods between the samples around the span', () => {
    const finding = checkCpuThrottled(inputFor({
      span: [1200, 1730],
      cpuLimitCores: 0.2,
      samples: [
        sample(0, { cpuThrottledMs: 1000, cpuThrottledPeriods: 50 }),
        sample(1000, { cpuThrottledMs: 1000, cpuThrottledPeriods: 50 }),
        sample(2000, { cpuThrottledMs: 1412, cpuThrottledPeriods: 55 }),
        sample(3000, { cpuThrottledMs: 1500, cpuThrottledPeriods: 56 }),
      ],
    }));
    expect(finding?.kind).toBe('cpu_throttled');
    expect(finding?.message).toBe(
      'orders was CPU-throttled for 412 ms in 5 CFS periods in the 1000 ms around this 530 ms span (cpu limit 0.2 cores)',
    );
    expect(finding?.evidence).toMatchObject({
      samples: [tOf(1000), tOf(2000)],
      throttledMs: 412,
      throttledPeriods: 5,
      spanDurationMs: 530,
      thresholdMs: 53,
      cpuLimitCores: 0.2,
      counterResets: 0,
    });
    expect(finding?.evidence.window).toEqual({ startNs: '1700000001000000000', endNs: '1700000002000000000' });
  });

  it('names nothing when throttled time did not grow, or grew by less than the thresholds', () => {
    const flat = [sample(1000, { cpuThrottledMs: 300 }), sample(2000, { cpuThrottledMs: 300 })];
    expect(checkCpuThrottled(inputFor({ span: [1200, 1700], samples: flat }))).toBeNull();
    // 40 ms is under 10% of a 500 ms span (50 ms) ...
    const little = [sample(1000, { cpuThrottledMs: 300 }), sample(2000, { cpuThrottledMs: 340 })];
    expect(checkCpuThrottled(inputFor({ span: [1200, 1700], samples: little }))).toBeNull();
    // ... and 4 ms is under the 5 ms floor even for a 10 ms span.
    const tiny = [sample(1000, { cpuThrottledMs: 300 }), sample(2000, { cpuThrottledMs: 304 })];
    expect(checkCpuThrottled(inputFor({ span: [1200, 1210], samples: tiny }))).toBeNull();
  });

  it('needs two samples: one sample, none, or a counter the source does not give is no evidence', () => {
    expect(checkCpuThrottled(inputFor({ span: [1200, 1700], samples: [sample(2000, { cpuThrottledMs: 900 })] }))).toBeNull();
    expect(checkCpuThrottled(inputFor({ span: [1200, 1700], samples: [] }))).toBeNull();
    const unknown = [sample(1000, { cpuThrottledMs: null }), sample(2000, { cpuThrottledMs: null })];
    expect(checkCpuThrottled(inputFor({ span: [1200, 1700], samples: unknown }))).toBeNull();
  });

  it('counts from zero after a counter reset (the container restarted) instead of going negative', () => {
    const finding = checkCpuThrottled(inputFor({
      span: [1200, 2700],
      samples: [
        sample(1000, { cpuThrottledMs: 5000, cpuThrottledPeriods: 400 }),
        sample(2000, { cpuThrottledMs: 200, cpuThrottledPeriods: 10 }),
        sample(3000, { cpuThrottledMs: 450, cpuThrottledPeriods: 20 }),
      ],
    }));
    expect(finding?.evidence).toMatchObject({ throttledMs: 450, throttledPeriods: 20, counterResets: 1 });
    expect(finding?.message).not.toContain('cpu limit');
  });
});
