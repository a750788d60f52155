/*
 * The arithmetic of `docker stats`, in one place for both sources, so that a sample means
 * what the docker CLI shows. Source: docker/cli cli/command/container/stats_helpers.go
 * (calculateCPUPercentUnix, calculateMemUsageUnixNoCache) and moby's stats collector (the
 * limit of an unlimited container is the machine's memory).
 */

/** One reading of a container's CPU counter against the host's CPU clock. */
export interface CpuClock {
  /** The container's CPU time so far (cpuacct.usage; v2 usage_usec x 1000), ns. */
  containerNs: number;
  /** All CPUs' time so far (dockerd's system_cpu_usage), ns. */
  systemNs: number;
  onlineCpus: number;
}

const PERCENT = 100;

/**
 * CPU % between two readings: (container delta / system delta) x online CPUs x 100, so 100 is
 * one core busy. null without a previous reading, or when the counters went back (the
 * container restarted) or the host clock did not move. The CLI shows 0 in those cases;
 * null keeps "not known" apart from "idle".
 * @example cpuPercent({ containerNs: 0, systemNs: 0, onlineCpus: 2 }, { containerNs: 2e8, systemNs: 2e9, onlineCpus: 2 }) // 20
 */
export function cpuPercent(previous: CpuClock | null, current: CpuClock): number | null {
  if (previous === null) return null;
  const containerDelta = current.containerNs - previous.containerNs;
  const systemDelta = current.systemNs - previous.systemNs;
  if (systemDelta <= 0 || containerDelta < 0 || current.onlineCpus <= 0) return null;
  return (containerDelta / systemDelta) * current.onlineCpus * PERCENT;
}

/**
 * Memory use without the page cache that the kernel can drop at once: usage minus
 * `total_inactive_file` on cgroup v1, minus `inactive_file` on v2 (docker CLI >= 20.10; 19.03
 * and older subtracted `cache`). `stats` is the memory.stat of the container (v1 or v2 keys).
 * @example memoryWorkingSetBytes(22179840, new Map([['total_inactive_file', 1048576]])) // 21131264
 */
export function memoryWorkingSetBytes(usageBytes: number, stats: ReadonlyMap<string, number>): number {
  const v1 = stats.get('total_inactive_file');
  if (v1 !== undefined && v1 < usageBytes) return usageBytes - v1;
  const v2 = stats.get('inactive_file') ?? 0;
  if (v2 < usageBytes) return usageBytes - v2;
  return usageBytes;
}

/** The limit docker stats shows: the container's own, or the machine's memory when it has none or a larger one. */
export function effectiveMemoryLimitBytes(limitBytes: number | null, hostMemoryBytes: number | null): number | null {
  if (hostMemoryBytes === null || hostMemoryBytes <= 0) return limitBytes;
  return limitBytes === null || limitBytes > hostMemoryBytes ? hostMemoryBytes : limitBytes;
}

const NS_PER_MS = 1e6;
const MICROS_PER_MS = 1e3;

export function nsToMs(ns: number | null | undefined): number | null {
  return ns === null || ns === undefined ? null : ns / NS_PER_MS;
}

export function microsToMs(micros: number | null | undefined): number | null {
  return micros === null || micros === undefined ? null : micros / MICROS_PER_MS;
}
