import { describe, expect, it } from 'vitest';
import type { MetricSeriesResponse, WireMetricPoint } from '../../api/wire.js';
import { runtimePanel, runtimePlan } from './runtime-series.js';

const T0 = 1_700_000_000_000;

function point(t: number, fields: Partial<WireMetricPoint>): WireMetricPoint {
  return { t, timeNs: `${t}000000`, startT: T0 - 60_000, value: null, count: null, sum: null, min: null, max: null, distribution: null, ...fields };
}

function response(unit: string, type: 'gauge' | 'histogram', series: MetricSeriesResponse['series']): MetricSeriesResponse {
  return { name: 'm', metric: { description: '', unit, type, temporality: type === 'gauge' ? 'unspecified' : 'cumulative', monotonic: false }, series, truncated: false };
}

describe('runtime charts', () => {
  it('asks only for what the service reports, with the best event-loop statistic', () => {
    expect(runtimePlan(new Set(['http.server.request.duration']))).toEqual([]);
    const plan = runtimePlan(new Set(['nodejs.eventloop.delay.mean', 'nodejs.eventloop.delay.max', 'v8js.gc.duration']));
    expect(plan.map((p) => p.metric)).toEqual(['nodejs.eventloop.delay.max', 'v8js.gc.duration']);
  });

  it('sums heap used over heap spaces per point time', () => {
    const space = (name: string, values: number[]) => ({
      service: 'orders', attributes: { 'v8js.heap.space.name': name }, containerId: null,
      points: values.map((value, i) => point(T0 + i * 1_000, { value })),
    });
    const panel = runtimePanel(runtimePlan(new Set(['v8js.memory.heap.used']))[0]!, response('By', 'gauge', [space('new_space', [1, 2]), space('old_space', [10, 20])]), new Map());
    expect(panel.lines).toHaveLength(1);
    expect(panel.lines[0]?.points).toEqual([{ x: T0, y: 11 }, { x: T0 + 1_000, y: 22 }]);
    expect(panel.format(2 * 1024 * 1024)).toBe('2 MiB');
  });

  it('turns the GC duration histogram into GC seconds per second, summed over GC kinds', () => {
    const kind = (name: string, sums: number[]) => ({
      service: 'orders', attributes: { 'v8js.gc.type': name }, containerId: 'c'.repeat(64),
      points: sums.map((sum, i) => point(T0 + i * 2_000, { sum, count: i + 1 })),
    });
    const plan = runtimePlan(new Set(['v8js.gc.duration']))[0]!;
    const panel = runtimePanel(plan, response('s', 'histogram', [kind('major', [0.1, 0.14]), kind('minor', [0.01, 0.03])]), new Map());
    expect(panel.lines[0]?.points).toHaveLength(1);
    expect(panel.lines[0]?.points[0]?.y).toBeCloseTo(0.03); // (0.04 + 0.02) s in 2 s
    expect(panel.format(0.03)).toBe('30 ms/s');
  });
});
