import type { ContainerEventRow } from '../../model/rows.js';
import type { CheckInput, NeighbourSamples } from '../checks/CheckInput.js';
import type { ResourceSample } from '../checks/ResourceSample.js';
import { sampleWindow } from '../sample-window.js';
import { DEFAULT_SUSPECT_THRESHOLDS } from '../thresholds.js';

/*
 * Hand-built rows for the checks' tests. Times are given in ms after T0_NS; samples are one
 * second apart unless a test says otherwise, as the collector takes them by default.
 */

/** 2023-11-14T22:13:20Z. */
export const T0_NS = 1_700_000_000_000_000_000n;
export const INTERVAL_MS = 1000;

export function at(ms: number): bigint {
  return T0_NS + BigInt(Math.round(ms * 1000)) * 1000n;
}

/** The epoch ms that evidence lists for a sample at `ms` after T0. */
export function tOf(ms: number): number {
  return 1_700_000_000_000 + ms;
}

export function sample(ms: number, fields: Partial<ResourceSample> = {}): ResourceSample {
  return {
    timeNs: at(ms),
    cpuPercent: 1,
    cpuThrottledMs: 0,
    cpuThrottledPeriods: 0,
    cpuLimitCores: null,
    memoryBytes: 50 * 1024 * 1024,
    memoryLimitBytes: 512 * 1024 * 1024,
    memoryFailcnt: 0,
    memoryOomKills: 0,
    cpuPressureSomeMs: null,
    memoryPressureSomeMs: null,
    ioPressureSomeMs: null,
    ...fields,
  };
}

export function event(ms: number, action: string, attributes: Record<string, string> = {}): ContainerEventRow {
  return { containerId: 'c1', timeNs: at(ms), action, attributes };
}

export interface InputSpec {
  /** [start, end] in ms after T0. */
  span: [number, number];
  samples?: ResourceSample[];
  events?: ContainerEventRow[];
  neighbours?: NeighbourSamples[];
  cpuLimitCores?: number | null;
  memoryLimitBytes?: number | null;
  hostCpuCores?: number | null;
}

/** A CheckInput as span-suspects.ts builds it, from samples in time order. */
export function inputFor(spec: InputSpec): CheckInput {
  const [startMs, endMs] = spec.span;
  const startNs = at(startMs);
  const endNs = at(endMs);
  const intervalNs = at(INTERVAL_MS) - T0_NS;
  const eventWindow = { startNs: startNs - intervalNs, endNs: endNs + intervalNs };
  return {
    span: { spanId: '00000000000000a1', startNs, endNs },
    containerName: 'orders',
    cpuLimitCores: spec.cpuLimitCores ?? null,
    memoryLimitBytes: spec.memoryLimitBytes ?? null,
    window: sampleWindow(spec.samples ?? [], startNs, endNs) ?? { samples: [], rateSamples: [], startNs, endNs },
    events: (spec.events ?? []).filter((e) => e.timeNs >= eventWindow.startNs && e.timeNs <= eventWindow.endNs),
    eventWindow,
    earlierEvents: (spec.events ?? []).filter((e) => e.timeNs < eventWindow.startNs),
    neighbours: spec.neighbours ?? [],
    hostCpuCores: spec.hostCpuCores ?? null,
    sampleIntervalNs: intervalNs,
    thresholds: DEFAULT_SUSPECT_THRESHOLDS,
  };
}
