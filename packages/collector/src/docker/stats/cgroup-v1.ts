import type { V1Dirs } from './cgroup-layout.js';
import { memoryWorkingSetBytes, nsToMs } from './docker-formulas.js';
import {
  coresOf,
  parseBlkioServiceBytes,
  parseFlatKeyed,
  parseMemoryLimit,
  parseSingleValue,
} from './parse-cgroup.js';
import { readPressure, type CgroupReading, type ReadFile } from './reading.js';

function numberIn(text: string | null): number | null {
  if (text === null) return null;
  const value = parseSingleValue(text);
  return typeof value === 'number' ? value : null;
}

/**
 * One container's cgroup v1 files (kernel Documentation/admin-guide/cgroup-v1/: cpuacct.usage;
 * cpu.stat nr_periods / nr_throttled / throttled_time; memory.usage_in_bytes, memory.stat,
 * memory.limit_in_bytes, memory.failcnt, memory.oom_control; blkio.throttle.io_service_bytes;
 * pids.current) plus PSI from the unified hierarchy of a hybrid host. null when neither the CPU
 * nor the memory counter exists any more: the container is gone.
 */
export function readCgroupV1(dirs: V1Dirs, read: ReadFile): CgroupReading | null {
  const file = (dir: string | null, name: string): string | null => (dir === null ? null : read(`${dir}/${name}`));

  const cpuUsageNs = numberIn(file(dirs.cpuacct, 'cpuacct.usage'));
  const memoryUsage = numberIn(file(dirs.memory, 'memory.usage_in_bytes'));
  if (cpuUsageNs === null && memoryUsage === null) return null;

  const cpuStatText = file(dirs.cpu, 'cpu.stat');
  const cpuStat = cpuStatText === null ? null : parseFlatKeyed(cpuStatText);
  const quota = numberIn(file(dirs.cpu, 'cpu.cfs_quota_us'));
  const period = numberIn(file(dirs.cpu, 'cpu.cfs_period_us'));

  const memoryStatText = file(dirs.memory, 'memory.stat');
  const memoryStat = memoryStatText === null ? new Map<string, number>() : parseFlatKeyed(memoryStatText);
  const limitText = file(dirs.memory, 'memory.limit_in_bytes');
  const oomControl = file(dirs.memory, 'memory.oom_control');
  const blkioText = file(dirs.blkio, 'blkio.throttle.io_service_bytes');
  const blkio = blkioText === null ? null : parseBlkioServiceBytes(blkioText);

  return {
    cpuUsageNs,
    values: {
      cpuThrottledMs: nsToMs(cpuStat?.get('throttled_time')),
      cpuPeriods: cpuStat?.get('nr_periods') ?? null,
      cpuThrottledPeriods: cpuStat?.get('nr_throttled') ?? null,
      cpuLimitCores: coresOf(quota ?? undefined, period ?? undefined),
      memoryBytes: memoryUsage === null ? null : memoryWorkingSetBytes(memoryUsage, memoryStat),
      memoryLimitBytes: limitText === null ? null : parseMemoryLimit(limitText),
      memoryFailcnt: numberIn(file(dirs.memory, 'memory.failcnt')),
      // oom_kill is in memory.oom_control since Linux 4.13.
      memoryOomKills: oomControl === null ? null : (parseFlatKeyed(oomControl).get('oom_kill') ?? null),
      blkReadBytes: blkio?.readBytes ?? null,
      blkWriteBytes: blkio?.writeBytes ?? null,
      pids: numberIn(file(dirs.pids, 'pids.current')),
      ...readPressure(dirs.unified, read),
    },
  };
}
