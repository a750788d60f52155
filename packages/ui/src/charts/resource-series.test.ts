import { describe, expect, it } from 'vitest';
import type { WireSample } from '../api/wire.js';
import { rateSeries, resourceSeries } from './resource-series.js';

function sample(t: number, fields: Partial<WireSample>): WireSample {
  return {
    t, cpuPercent: null, cpuThrottledMs: null, memoryBytes: null, memoryLimitBytes: null, netRxBytes: null, netTxBytes: null,
    blkReadBytes: null, blkWriteBytes: null, pids: null, cpuLimitCores: undefined, ...fields,
  };
}

describe('resource series', () => {
  it('turns cumulative counters into rates per second, with no negative rate after a restart', () => {
    const samples = [sample(0, { netRxBytes: 0 }), sample(1000, { netRxBytes: 500 }), sample(3000, { netRxBytes: 2500 }), sample(4000, { netRxBytes: 10 })];
    expect(rateSeries(samples, (s) => s.netRxBytes)).toEqual([{ x: 1000, y: 500 }, { x: 3000, y: 1000 }, { x: 4000, y: null }]);
  });

  it('draws the CPU limit at cores × 100 %, from the samples or else the container', () => {
    const samples = [sample(0, { cpuLimitCores: 0.2 }), sample(1000, { cpuLimitCores: null })];
    expect(resourceSeries(samples, 1.5, null).cpuLimitPercent.map((p) => p.y)).toEqual([20, 150]);
    expect(resourceSeries(samples, null, null).cpuLimitPercent.map((p) => p.y)).toEqual([20, null]);
  });
});
