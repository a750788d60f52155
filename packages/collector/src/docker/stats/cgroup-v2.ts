import { memoryWorkingSetBytes, microsToMs } from './docker-formulas.js';
import {
  parseCpuMax,
  parseFlatKeyed,
  parseIoStat,
  parseMemoryLimit,
  parseSingleValue,
} from './parse-cgroup.js';
import { readPressure, type CgroupReading, type ReadFile } from './reading.js';

const NS_PER_MICRO = 1_000;

/**
 * One container's cgroup v2 directory (kernel Documentation/admin-guide/cgroup-v2.rst: cpu.stat
 * usage_usec / nr_periods / nr_throttled / throttled_usec; cpu.max; memory.current, memory.stat,
 * memory.max, memory.events; io.stat; pids.current; cpu/memory/io.pressure). null when the
 * directory's CPU and memory files are gone: the container ended. Controllers not enabled for
 * the subtree (e.g. no cpu.max without the cpu controller) leave their fields null.
 */
export function readCgroupV2(dir: string, read: ReadFile): CgroupReading | null {
  const file = (name: string): string | null => read(`${dir}/${name}`);

  const cpuStatText = file('cpu.stat');
  const memoryCurrentText = file('memory.current');
  if (cpuStatText === null && memoryCurrentText === null) return null;

  const cpuStat = cpuStatText === null ? null : parseFlatKeyed(cpuStatText);
  const usageMicros = cpuStat?.get('usage_usec');
  const cpuMax = file('cpu.max');
  const memoryCurrent = memoryCurrentText === null ? undefined : parseSingleValue(memoryCurrentText);
  const memoryStatText = file('memory.stat');
  const memoryStat = memoryStatText === null ? new Map<string, number>() : parseFlatKeyed(memoryStatText);
  const memoryMax = file('memory.max');
  const eventsText = file('memory.events');
  const events = eventsText === null ? null : parseFlatKeyed(eventsText);
  const ioText = file('io.stat');
  const io = ioText === null ? null : parseIoStat(ioText);
  const pids = file('pids.current');
  const pidsValue = pids === null ? undefined : parseSingleValue(pids);

  return {
    cpuUsageNs: usageMicros === undefined ? null : usageMicros * NS_PER_MICRO,
    values: {
      cpuThrottledMs: microsToMs(cpuStat?.get('throttled_usec')),
      cpuPeriods: cpuStat?.get('nr_periods') ?? null,
      cpuThrottledPeriods: cpuStat?.get('nr_throttled') ?? null,
      cpuLimitCores: cpuMax === null ? null : parseCpuMax(cpuMax),
      memoryBytes: typeof memoryCurrent === 'number' ? memoryWorkingSetBytes(memoryCurrent, memoryStat) : null,
      memoryLimitBytes: memoryMax === null ? null : parseMemoryLimit(memoryMax),
      // dockerd reports memory.events "oom" as failcnt on v2; the same here keeps both sources equal.
      memoryFailcnt: events?.get('oom') ?? null,
      memoryOomKills: events?.get('oom_kill') ?? null,
      // io.stat lists only devices with I/O: an empty file is zero bytes, not unknown.
      blkReadBytes: io?.readBytes ?? null,
      blkWriteBytes: io?.writeBytes ?? null,
      pids: typeof pidsValue === 'number' ? pidsValue : null,
      ...readPressure(dir, read),
    },
  };
}
