import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Fake cgroup and /proc trees in a temp folder, built from the recorded fixtures, in the
 * layouts Docker uses: so that path discovery and the sources run on files, as on a host.
 */

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const V1_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'blkio', 'pids'] as const;

export interface Trees {
  cgroupRoot: string;
  procRoot: string;
  remove(): void;
}

export function makeTrees(): Trees {
  const base = mkdtempSync(join(tmpdir(), 'tracedock-cgroup-'));
  const cgroupRoot = join(base, 'cgroup');
  const procRoot = join(base, 'proc');
  mkdirSync(cgroupRoot);
  mkdirSync(procRoot);
  cpSync(join(FIXTURES, 'proc', 'stat'), join(procRoot, 'stat'));
  cpSync(join(FIXTURES, 'proc', 'meminfo'), join(procRoot, 'meminfo'));
  return { cgroupRoot, procRoot, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/**
 * A v1 host; `coMounted` puts cpu and cpuacct in one "cpu,cpuacct" hierarchy with the usual
 * symlinks; `hybrid` adds the unified v2 hierarchy (where PSI lives).
 */
export function makeV1Host(trees: Trees, options: { coMounted: boolean; hybrid: boolean }): void {
  for (const controller of V1_CONTROLLERS) {
    if (options.coMounted && (controller === 'cpu' || controller === 'cpuacct')) continue;
    mkdirSync(join(trees.cgroupRoot, controller));
  }
  if (options.coMounted) {
    mkdirSync(join(trees.cgroupRoot, 'cpu,cpuacct'));
    symlinkSync('cpu,cpuacct', join(trees.cgroupRoot, 'cpu'));
    symlinkSync('cpu,cpuacct', join(trees.cgroupRoot, 'cpuacct'));
  }
  if (options.hybrid) {
    mkdirSync(join(trees.cgroupRoot, 'unified'));
    writeFileSync(join(trees.cgroupRoot, 'unified', 'cgroup.controllers'), '\n');
  }
}

/** Copies a recorded v1 container (fixtures/cgroup-v1/<name>) to `relative` in every hierarchy. */
export function addV1Container(trees: Trees, fixture: string, relative: string): void {
  for (const controller of [...V1_CONTROLLERS, 'unified'] as const) {
    const hierarchy = join(trees.cgroupRoot, controller);
    if (controller === 'unified' && !existsSync(hierarchy)) continue;
    const to = join(hierarchy, relative);
    mkdirSync(to, { recursive: true });
    cpSync(join(FIXTURES, 'cgroup-v1', fixture, controller), to, { recursive: true });
  }
}

export function makeV2Host(trees: Trees): void {
  writeFileSync(join(trees.cgroupRoot, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
}

/** Copies a written v2 container (fixtures/cgroup-v2/<name>) to `relative` under the root. */
export function addV2Container(trees: Trees, fixture: string, relative: string): string {
  const to = join(trees.cgroupRoot, relative);
  mkdirSync(to, { recursive: true });
  cpSync(join(FIXTURES, 'cgroup-v2', fixture), to, { recursive: true });
  return to;
}

/** A process in /proc: its cgroup file and its network namespace's counters. */
export function addProcess(trees: Trees, pid: number, cgroupText: string): void {
  const dir = join(trees.procRoot, String(pid));
  mkdirSync(join(dir, 'net'), { recursive: true });
  writeFileSync(join(dir, 'cgroup'), cgroupText);
  cpSync(join(FIXTURES, 'proc', 'net-dev-host'), join(dir, 'net', 'dev'));
}

/** Moves the host's CPU clock forward: `ticks` of 1/100 s added to the idle column of the cpu line. */
export function advanceHostClock(trees: Trees, ticks: number): void {
  const path = join(trees.procRoot, 'stat');
  const text = readFileSync(path, 'latin1');
  writeFileSync(path, text.replace(/^cpu (\s*\d+ \d+ \d+ )(\d+)/m, (_all, head: string, idle: string) => `cpu ${head}${Number(idle) + ticks}`));
}
