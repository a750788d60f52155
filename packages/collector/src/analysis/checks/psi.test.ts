import { describe, expect, it } from 'vitest';
import { inputFor, sample, tOf } from '../testing/rows.js';
import { checkPsiStall } from './psi.js';

describe('checkPsiStall', () => {
  it('names each resource whose "some" stall time grew enough over the span', () => {
    const finding = checkPsiStall(inputFor({
      span: [1200, 1700],
      samples: [
        sample(1000, { cpuPressureSomeMs: 1000, memoryPressureSomeMs: 50, ioPressureSomeMs: 7 }),
        sample(2000, { cpuPressureSomeMs: 1320, memoryPressureSomeMs: 60, ioPressureSomeMs: 140 }),
      ],
    }));
    expect(finding?.kind).toBe('psi_stall');
    expect(finding?.message).toBe(
      'orders had tasks waiting for cpu for 320 ms, io for 133 ms (PSI some) in the 1000 ms around this 500 ms span',
    );
    expect(finding?.evidence).toMatchObject({
      samples: [tOf(1000), tOf(2000)],
      stallMs: { cpu: 320, io: 133 },
      thresholdMs: 100,
    });
  });

  it('names nothing below 20% of the span or 20 ms', () => {
    const some = [sample(1000, { cpuPressureSomeMs: 0 }), sample(2000, { cpuPressureSomeMs: 90 })];
    expect(checkPsiStall(inputFor({ span: [1200, 1700], samples: some }))).toBeNull();
    const short = [sample(1000, { ioPressureSomeMs: 0 }), sample(2000, { ioPressureSomeMs: 19 })];
    expect(checkPsiStall(inputFor({ span: [1200, 1210], samples: short }))).toBeNull();
  });

  it('names nothing where the host exposes no PSI, or from one sample', () => {
    expect(checkPsiStall(inputFor({ span: [1200, 1700], samples: [sample(1000), sample(2000)] }))).toBeNull();
    expect(checkPsiStall(inputFor({ span: [1200, 1700], samples: [sample(2000, { cpuPressureSomeMs: 5000 })] }))).toBeNull();
  });

  it('survives a counter reset after a restart', () => {
    const reset = [sample(1000, { cpuPressureSomeMs: 9000 }), sample(2000, { cpuPressureSomeMs: 30 })];
    expect(checkPsiStall(inputFor({ span: [1200, 1700], samples: reset }))).toBeNull();
  });
});
