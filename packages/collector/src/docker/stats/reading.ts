import type { ContainerSampleRow } from '../../model/rows.js';
import { microsToMs } from './docker-formulas.js';
import { parsePressure, type PressureTotals } from './parse-cgroup.js';

/** The sample fields a cgroup reader fills; the source adds CPU %, network and the host memory cap. */
export type CgroupValues = Omit<
  ContainerSampleRow,
  'containerId' | 'timeNs' | 'cpuPercent' | 'netRxBytes' | 'netTxBytes'
>;

/** One read of a container's cgroup files. */
export interface CgroupReading {
  /** The container's CPU time so far, ns; the rate needs two readings. */
  cpuUsageNs: number | null;
  /** memoryLimitBytes here is the cgroup's own limit (null = none), before the host cap. */
  values: CgroupValues;
}

/** Reads one file's text, or null when it is missing (see KernelFiles.read). */
export type ReadFile = (path: string) => string | null;

export type PressureFields = Pick<
  ContainerSampleRow,
  | 'cpuPressureSomeMs'
  | 'cpuPressureFullMs'
  | 'memoryPressureSomeMs'
  | 'memoryPressureFullMs'
  | 'ioPressureSomeMs'
  | 'ioPressureFullMs'
>;

/** Empty pressure fields, for hosts and sources without PSI. */
export const NO_PRESSURE: Readonly<PressureFields> = {
  cpuPressureSomeMs: null,
  cpuPressureFullMs: null,
  memoryPressureSomeMs: null,
  memoryPressureFullMs: null,
  ioPressureSomeMs: null,
  ioPressureFullMs: null,
};

const NO_TOTALS: PressureTotals = { someMicros: null, fullMicros: null };

/** PSI stall totals of one cgroup directory (v2, or the unified hierarchy of a hybrid v1 host). */
export function readPressure(dir: string | null, read: ReadFile): PressureFields {
  if (dir === null) return { ...NO_PRESSURE };
  const file = (name: string): PressureTotals => {
    const text = read(`${dir}/${name}`);
    return text === null ? NO_TOTALS : parsePressure(text);
  };
  const cpu = file('cpu.pressure');
  const memory = file('memory.pressure');
  const io = file('io.pressure');
  return {
    cpuPressureSomeMs: microsToMs(cpu.someMicros),
    cpuPressureFullMs: microsToMs(cpu.fullMicros),
    memoryPressureSomeMs: microsToMs(memory.someMicros),
    memoryPressureFullMs: microsToMs(memory.fullMicros),
    ioPressureSomeMs: microsToMs(io.someMicros),
    ioPressureFullMs: microsToMs(io.fullMicros),
  };
}
