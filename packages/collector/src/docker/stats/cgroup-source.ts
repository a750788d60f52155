import type { ContainerSampleRow } from '../../model/rows.js';
import { detectCgroupVersion, findV1Dirs, findV1Mounts, findV2Dir } from './cgroup-layout.js';
import type { CgroupVersion, V1Dirs, V1Mounts } from './cgroup-layout.js';
import { readCgroupV1 } from './cgroup-v1.js';
import { readCgroupV2 } from './cgroup-v2.js';
import { cpuPercent, effectiveMemoryLimitBytes, type CpuClock } from './docker-formulas.js';
import type { ReportError } from './errors.js';
import { KernelFiles } from './kernel-files.js';
import type { SystemCpu } from './parse-proc.js';
import { ProcFiles } from './proc-files.js';
import type { CgroupReading } from './reading.js';
import type { SampleTarget, StatsSource } from './StatsSource.js';

export interface CgroupSourceOptions {
  /** The host's cgroup mount (config cgroupRoot). */
  cgroupRoot: string;
  /** The host's /proc (config procRoot). */
  procRoot: string;
  /** Detected from cgroupRoot when omitted. */
  version?: CgroupVersion;
  onError?: ReportError;
  /** Descriptors kept open across samples (~16 per container); beyond it files are reopened per read. */
  maxOpenFiles?: number;
}

/** What one call saw: rows, and targets whose cgroup was never found (for a fallback source). */
export interface CgroupSampleResult {
  rows: ContainerSampleRow[];
  unresolved: SampleTarget[];
}

interface TargetState {
  pid: number | null;
  /** null once the container's files vanished: it is ending; not "unresolved". */
  dirs: V1Dirs | string | null;
  previous: CpuClock | null;
}

const DEFAULT_MAX_OPEN_FILES = 8_192;
/** memory.stat is ~1.5 KiB; io.stat and blkio grow with devices. 64 KiB bounds all of them. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * Samples containers from the host's cgroup files: no request to dockerd at all, ~15 small
 * reads per container. Values follow `docker stats` (see docker-formulas.ts).
 * @example const source = new CgroupStatsSource({ cgroupRoot: '/sys/fs/cgroup', procRoot: '/proc' });
 */
export class CgroupStatsSource implements StatsSource {
  readonly kind: 'cgroup-v1' | 'cgroup-v2';
  readonly #root: string;
  readonly #proc: ProcFiles;
  readonly #v1Mounts: V1Mounts | null;
  readonly #files: KernelFiles;
  readonly #onError: ReportError;
  readonly #states = new Map<string, TargetState>();
  readonly #readFile = (path: string): string | null => this.#files.read(path);

  constructor(options: CgroupSourceOptions) {
    const version = options.version ?? detectCgroupVersion(options.cgroupRoot);
    if (version === null) {
      throw new Error(`cgroupRoot ${JSON.stringify(options.cgroupRoot)} holds no cgroup v1 or v2 hierarchy`);
    }
    this.kind = version === 1 ? 'cgroup-v1' : 'cgroup-v2';
    this.#root = options.cgroupRoot;
    this.#v1Mounts = version === 1 ? findV1Mounts(options.cgroupRoot) : null;
    this.#files = new KernelFiles({ maxOpenFiles: options.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES, maxFileBytes: MAX_FILE_BYTES });
    this.#onError = options.onError ?? (() => undefined);
    this.#proc = new ProcFiles(this.#files, options.procRoot, this.#onError);
  }

  get openFiles(): number {
    return this.#files.openFiles;
  }

  sample(targets: readonly SampleTarget[], nowNs: bigint): Promise<ContainerSampleRow[]> {
    return Promise.resolve(this.sampleDetailed(targets, nowNs).rows);
  }

  /** Synchronous: every read is of an in-memory kernel file (see KernelFiles). */
  sampleDetailed(targets: readonly SampleTarget[], nowNs: bigint): CgroupSampleResult {
    this.#forgetAllBut(targets);
    const cpu = this.#proc.hostCpu();
    const hostMemoryBytes = this.#proc.hostMemoryBytes();
    const result: CgroupSampleResult = { rows: [], unresolved: [] };
    for (const target of targets) {
      try {
        const state = this.#stateOf(target);
        if (state === null) {
          result.unresolved.push(target);
          continue;
        }
        const reading = this.#read(state);
        if (reading === null) {
          this.#closeFiles(state);
          state.dirs = null;
          continue;
        }
        result.rows.push(this.#row(target, state, reading, cpu, hostMemoryBytes, nowNs));
      } catch (error) {
        this.#onError('cgroup-read', error);
      }
    }
    return result;
  }

  shutdown(): Promise<void> {
    this.#files.closeAll();
    this.#states.clear();
    return Promise.resolve();
  }

  #row(
    target: SampleTarget,
    state: TargetState,
    reading: CgroupReading,
    cpu: SystemCpu | null,
    hostMemoryBytes: number | null,
    nowNs: bigint,
  ): ContainerSampleRow {
    const clock: CpuClock | null =
      reading.cpuUsageNs === null || cpu === null
        ? null
        : { containerNs: reading.cpuUsageNs, systemNs: cpu.systemNs, onlineCpus: cpu.onlineCpus };
    const percent = clock === null ? null : cpuPercent(state.previous, clock);
    state.previous = clock;
    const net = target.hostNetwork || target.pid === null || target.pid <= 0 ? null : this.#proc.netOf(target.pid);
    return {
      containerId: target.id,
      timeNs: nowNs,
      cpuPercent: percent,
      ...reading.values,
      memoryLimitBytes: effectiveMemoryLimitBytes(reading.values.memoryLimitBytes, hostMemoryBytes),
      netRxBytes: net?.rxBytes ?? null,
      netTxBytes: net?.txBytes ?? null,
    };
  }

  /** The target's state; null when its cgroup cannot be found. A new pid means a restart: fresh files and counters. */
  #stateOf(target: SampleTarget): TargetState | null {
    const known = this.#states.get(target.id);
    if (known !== undefined && known.pid === target.pid) return known;
    if (known !== undefined) this.#closeFiles(known);
    const procCgroup = (): string | null => this.#proc.cgroupOf(target.pid);
    const dirs = this.#v1Mounts !== null
      ? findV1Dirs(this.#v1Mounts, target.id, procCgroup)
      : findV2Dir(this.#root, target.id, procCgroup);
    if (dirs === null) {
      this.#states.delete(target.id);
      return null;
    }
    const state: TargetState = { pid: target.pid, dirs, previous: null };
    this.#states.set(target.id, state);
    return state;
  }

  #read(state: TargetState): CgroupReading | null {
    if (state.dirs === null) return null;
    return typeof state.dirs === 'string' ? readCgroupV2(state.dirs, this.#readFile) : readCgroupV1(state.dirs, this.#readFile);
  }

  #forgetAllBut(targets: readonly SampleTarget[]): void {
    if (this.#states.size === 0) return;
    const live = new Set(targets.map((t) => t.id));
    for (const [id, state] of this.#states) {
      if (live.has(id)) continue;
      this.#closeFiles(state);
      this.#states.delete(id);
    }
  }

  #closeFiles(state: TargetState): void {
    const dirs = state.dirs;
    if (typeof dirs === 'string') this.#files.closeUnder(dirs);
    else if (dirs !== null) for (const dir of Object.values(dirs)) if (dir !== null) this.#files.closeUnder(dir);
    if (state.pid !== null) this.#files.closeUnder(this.#proc.dirOf(state.pid));
  }
}
