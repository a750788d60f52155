/**
 * CPU time and memory of another process from /proc (Linux only), for benches that run the
 * collector as a child: the CPU of every thread (V8, GC, libuv pool, DuckDB) counts.
 *
 *   const before = processCpuSeconds(pid);
 *   ...
 *   const cpuSeconds = processCpuSeconds(pid) - before;
 *   const { peakRssBytes } = processMemory(pid);
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime and stime of a /proc .../stat file, in seconds. Fields are counted after the ')' of comm. */
function statTimes(path) {
  const text = readFileSync(path, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return { user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND, system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND };
}

function statCpuSeconds(path) {
  const { user, system } = statTimes(path);
  return user + system;
}

/** The label threadCpuSeconds() gives the process's main thread (the JS thread in Node). */
export const MAIN_THREAD = 'main (JS)';

/** User + system CPU seconds of the whole process (all its threads) so far. */
export function processCpuSeconds(pid) {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds per thread name so far (threads of one name summed: e.g. DuckDB's workers,
 * the libuv pool), to show whether one thread is the ceiling.
 * `systemSeconds` is the kernel's part (syscalls: socket and file I/O, page faults).
 * @returns {Map<string, { cpuSeconds: number, systemSeconds: number, threads: number }>}
 */
export function threadCpuSeconds(pid) {
  const byName = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      // The main thread carries the process name (node, or MainThread); label it plainly.
      const label = tid === String(pid) ? MAIN_THREAD : name;
      const { user, system } = statTimes(`/proc/${pid}/task/${tid}/stat`);
      const entry = byName.get(label) ?? { cpuSeconds: 0, systemSeconds: 0, threads: 0 };
      entry.cpuSeconds += user + system;
      entry.systemSeconds += system;
      entry.threads += 1;
      byName.set(label, entry);
    } catch {
      // the thread ended between readdir and read
    }
  }
  return byName;
}

/** Per-thread-name CPU seconds between two threadCpuSeconds() snapshots, largest first. */
export function threadCpuDelta(before, after) {
  const out = [];
  for (const [name, entry] of after) {
    const earlier = before.get(name);
    out.push({
      name,
      threads: entry.threads,
      cpuSeconds: entry.cpuSeconds - (earlier?.cpuSeconds ?? 0),
      systemSeconds: entry.systemSeconds - (earlier?.systemSeconds ?? 0),
    });
  }
  return out.sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}

/** VmHWM (peak resident set) and VmRSS of a process, in bytes. */
export function processMemory(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match === null ? NaN : Number(match[1]) * 1024;
  };
  return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
}

/**
 * CPU seconds the whole machine has been busy (every core, every process, the kernel and
 * time stolen by the hypervisor), from the first line of /proc/stat.
 */
export function machineBusyCpuSeconds() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
}
