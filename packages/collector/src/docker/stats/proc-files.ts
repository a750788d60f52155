import { readFileSync } from 'node:fs';
import type { ReportError } from './errors.js';
import { isGone, type KernelFiles } from './kernel-files.js';
import { parseMemTotalBytes, parseNetDev, parseProcStat, type NetBytes, type SystemCpu } from './parse-proc.js';

/**
 * The host's /proc as the cgroup source needs it: the CPU clock and memory of the host, and a
 * container's network counters and cgroup paths through its main process. `procRoot` is the
 * host's /proc (in a container: a bind mount of it, e.g. /host/proc).
 */
export class ProcFiles {
  readonly #files: KernelFiles;
  readonly #procRoot: string;
  readonly #onError: ReportError;

  constructor(files: KernelFiles, procRoot: string, onError: ReportError) {
    this.#files = files;
    this.#procRoot = procRoot;
    this.#onError = onError;
  }

  /** dockerd's system_cpu_usage and online_cpus, read now. */
  hostCpu(): SystemCpu | null {
    try {
      // Only the cpu lines at the top are needed; on large hosts the whole file exceeds the buffer.
      const text = this.#files.read(`${this.#procRoot}/stat`, true);
      return text === null ? null : parseProcStat(text);
    } catch (error) {
      this.#onError('proc-stat', error);
      return null;
    }
  }

  hostMemoryBytes(): number | null {
    try {
      const text = this.#files.read(`${this.#procRoot}/meminfo`);
      return text === null ? null : parseMemTotalBytes(text);
    } catch (error) {
      this.#onError('proc-meminfo', error);
      return null;
    }
  }

  /** Counters of the network namespace of `pid` (its container's), loopback left out. */
  netOf(pid: number): NetBytes | null {
    const text = this.#files.read(`${this.#procRoot}/${pid}/net/dev`);
    return text === null ? null : parseNetDev(text);
  }

  /** /proc/<pid>/cgroup, read once (only when Docker's usual layouts miss), or null. */
  cgroupOf(pid: number | null): string | null {
    if (pid === null || pid <= 0) return null;
    try {
      return readFileSync(`${this.#procRoot}/${pid}/cgroup`, 'latin1');
    } catch (error) {
      if (isGone(error)) return null;
      throw error;
    }
  }

  /** Where the kept files of `pid` live, to close them when its container goes. */
  dirOf(pid: number): string {
    return `${this.#procRoot}/${pid}`;
  }
}
