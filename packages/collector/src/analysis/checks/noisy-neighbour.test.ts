import { describe, expect, it } from 'vitest';
import type { NeighbourSamples } from './CheckInput.js';
import { inputFor, sample, tOf } from '../testing/rows.js';
import { checkNoisyNeighbour } from './noisy-neighbour.js';

function neighbour(name: string, cpu: Record<number, number | null>): NeighbourSamples {
  return {
    containerId: `${name}-id`,
    name,
    samples: Object.entries(cpu).map(([ms, cpuPercent]) => sample(Number(ms), { cpuPercent })),
  };
}

const own = [sample(1000, { cpuPercent: 5 }), sample(2000, { cpuPercent: 18 }), sample(3000, { cpuPercent: 20 })];

describe('checkNoisyNeighbour', () => {
  it('names the neighbour that took most of a saturated host, with its numbers', () => {
    const finding = checkNoisyNeighbour(inputFor({
      span: [1200, 2500],
      hostCpuCores: 2,
      samples: own,
      neighbours: [
        neighbour('burner', { 1000: 10, 2000: 176, 3000: 180, 9000: 0 }),
        neighbour('idle', { 2000: 1, 3000: 1 }),
      ],
    }));
    expect(finding?.kind).toBe('noisy_neighbour');
    expect(finding?.message).toBe(
      "burner used 1.78 of the host's 2 cores (89%) around this span while all containers together " +
        'used 99% of the host CPU; orders got 19%',
    );
    expect(finding?.evidence).toMatchObject({
      samples: [tOf(2000), tOf(3000)],
      hostCpuCores: 2,
      neighbour: { containerId: 'burner-id', name: 'burner', cpuPercent: 178, shareOfHost: 0.89, samples: [tOf(2000), tOf(3000)] },
      hostCpuPercent: 198,
      hostShareUsed: 0.99,
      ownCpuPercent: 19,
    });
  });

  it('matches neighbour samples taken up to half an interval off', () => {
    const finding = checkNoisyNeighbour(inputFor({
      span: [1200, 1700], hostCpuCores: 2, samples: own, neighbours: [neighbour('burner', { 1600: 190 })],
    }));
    expect(finding?.evidence).toMatchObject({ neighbour: { samples: [tOf(1600)] } });
  });

  it('names nothing while the host had CPU to spare, however busy one neighbour was', () => {
    const input = inputFor({ span: [1200, 1700], hostCpuCores: 4, samples: own, neighbours: [neighbour('burner', { 2000: 200 })] });
    expect(checkNoisyNeighbour(input)).toBeNull();
  });

  it('names nothing when the host was saturated by many small ones (none took most of it)', () => {
    const input = inputFor({
      span: [1200, 1700],
      hostCpuCores: 2,
      samples: own,
      neighbours: ['a', 'b', 'c', 'd'].map((name) => neighbour(name, { 2000: 48 })),
    });
    expect(checkNoisyNeighbour(input)).toBeNull();
  });

  it('names nothing without host capacity, own rates, or neighbour samples in the window', () => {
    const burner = [neighbour('burner', { 2000: 195 })];
    expect(checkNoisyNeighbour(inputFor({ span: [1200, 1700], hostCpuCores: null, samples: own, neighbours: burner }))).toBeNull();
    expect(checkNoisyNeighbour(inputFor({ span: [1200, 1700], hostCpuCores: 2, samples: [sample(1000)], neighbours: burner }))).toBeNull();
    const late = [neighbour('burner', { 5000: 195 })];
    expect(checkNoisyNeighbour(inputFor({ span: [1200, 1700], hostCpuCores: 2, samples: own, neighbours: late }))).toBeNull();
    const unknown = [neighbour('burner', { 2000: null })];
    expect(checkNoisyNeighbour(inputFor({ span: [1200, 1700], hostCpuCores: 2, samples: own, neighbours: unknown }))).toBeNull();
  });
});
