import type { ContainerSampleRow } from '../../model/rows.js';

/**
 * The fields of a container sample that the checks read (ContainerSampleRow documents each):
 * the checks take this narrower shape so that their tests build only what they look at.
 * Counters are cumulative since the cgroup was created; null where not exposed.
 */
export type ResourceSample = Pick<
  ContainerSampleRow,
  | 'timeNs'
  | 'cpuPercent'
  | 'cpuThrottledMs'
  | 'cpuThrottledPeriods'
  | 'cpuLimitCores'
  | 'memoryBytes'
  | 'memoryLimitBytes'
  | 'memoryFailcnt'
  | 'memoryOomKills'
  | 'cpuPressureSomeMs'
  | 'memoryPressureSomeMs'
  | 'ioPressureSomeMs'
>;
