/*
 * Pure parsers of the /proc files the samples need (proc(5)): the host's CPU clock from
 * /proc/stat, its memory from /proc/meminfo, a container's network counters from
 * /proc/<pid>/net/dev and a process's cgroup paths from /proc/<pid>/cgroup.
 */

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture dockerd supports. */
const CLOCK_TICKS_PER_SECOND = 100;
const NS_PER_SECOND = 1e9;
/** user nice system idle iowait irq softirq: the seven fields dockerd sums (not steal, not guest). */
const SYSTEM_CPU_FIELDS = 7;

export interface SystemCpu {
  /** All CPUs' time since boot in ns, as dockerd's `system_cpu_usage`. */
  systemNs: number;
  /** Lines cpu0..cpuN, as dockerd's `online_cpus`. */
  onlineCpus: number;
}

/**
 * The host's CPU clock, computed as dockerd computes `system_cpu_usage` and `online_cpus`
 * (moby daemon/stats_collector getSystemCPUUsage), so that CPU % matches `docker stats`.
 * @example parseProcStat('cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 10 0 10 80 0 0 0 0 0 0\n') // { systemNs: 1e9, onlineCpus: 1 }
 */
export function parseProcStat(text: string): SystemCpu | null {
  let systemNs: number | null = null;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) break; // cpu lines come first; the rest (intr, ctxt...) is not needed
    if (line[3] === ' ') {
      const fields = line.split(/\s+/).slice(1, 1 + SYSTEM_CPU_FIELDS).map(Number);
      if (fields.length < SYSTEM_CPU_FIELDS || fields.some((f) => !Number.isFinite(f))) return null;
      const ticks = fields.reduce((sum, f) => sum + f, 0);
      systemNs = (ticks * NS_PER_SECOND) / CLOCK_TICKS_PER_SECOND;
    } else if (line[3] !== undefined && line[3] >= '0' && line[3] <= '9') {
      onlineCpus += 1;
    }
  }
  return systemNs === null || onlineCpus === 0 ? null : { systemNs, onlineCpus };
}

/** MemTotal of /proc/meminfo in bytes: dockerd's "machine memory", the limit it reports for unlimited containers. */
export function parseMemTotalBytes(text: string): number | null {
  const match = /^MemTotal:\s+(\d+) kB$/m.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]) * 1024;
}

export interface NetBytes {
  rxBytes: number;
  txBytes: number;
}

/**
 * Receive and transmit bytes summed over a network namespace's interfaces except loopback,
 * from /proc/<pid>/net/dev ("  eth0: rxBytes rxPackets ... txBytes ..."; 8 receive columns).
 */
export function parseNetDev(text: string): NetBytes {
  const totals: NetBytes = { rxBytes: 0, txBytes: 0 };
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo' || name.includes('|')) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    const rx = fields[0];
    const tx = fields[8];
    if (rx === undefined || tx === undefined || !Number.isFinite(rx) || !Number.isFinite(tx)) continue;
    totals.rxBytes += rx;
    totals.txBytes += tx;
  }
  return totals;
}

export interface ProcCgroups {
  /** The path in the v2 (unified) hierarchy, line "0::/path"; null without one. */
  unified: string | null;
  /** v1 controller name -> path ("4:memory:/docker/<id>"; "cpu,cpuacct" gives both names). */
  v1: Map<string, string>;
}

/**
 * /proc/<pid>/cgroup: where a process sits in each hierarchy. Paths are relative to the
 * reader's cgroup namespace, so they name host paths only when the collector shares the host's.
 */
export function parseProcCgroup(text: string): ProcCgroups {
  const result: ProcCgroups = { unified: null, v1: new Map() };
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (!path.startsWith('/')) continue;
    if (controllers === '') result.unified = path;
    else for (const name of controllers.split(',')) result.v1.set(name, path);
  }
  return result;
}
