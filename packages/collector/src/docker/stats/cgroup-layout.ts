import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseProcCgroup } from './parse-proc.js';

/*
 * Where a Docker container's cgroup files are. Docker places a container at
 *   cgroupfs driver: <hierarchy>/docker/<id>
 *   systemd driver:  <hierarchy>/system.slice/docker-<id>.scope
 * in every v1 controller hierarchy (<root>/memory, <root>/cpuacct, ...) or once in the v2
 * hierarchy (<root> itself). Containers under a --cgroup-parent are found through the
 * /proc/<pid>/cgroup of their main process instead.
 */

export type CgroupVersion = 1 | 2;

/**
 * v2 when the root is a cgroup2 mount (it has cgroup.controllers); v1 when it holds controller
 * hierarchies; null when it is neither (not mounted, or not visible to the collector).
 */
export function detectCgroupVersion(root: string): CgroupVersion | null {
  if (existsSync(join(root, 'cgroup.controllers'))) return 2;
  if (existsSync(join(root, 'memory')) || existsSync(join(root, 'cpuacct'))) return 1;
  return null;
}

/** Paths of a container's cgroup, relative to a hierarchy, in the order Docker's drivers use. */
export function dockerCgroupPaths(id: string): readonly string[] {
  return [`docker/${id}`, `system.slice/docker-${id}.scope`];
}

export const V1_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'blkio', 'pids'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

/** The mount of each v1 controller; `unified` is the v2 hierarchy of a hybrid host (PSI lives there). */
export type V1Mounts = Record<V1Controller, string | null> & { unified: string | null };

/** A container's directory in each v1 hierarchy; null where that controller is not mounted. */
export type V1Dirs = Record<V1Controller, string | null> & { unified: string | null };

/** Finds each controller's hierarchy once: cpu and cpuacct are often co-mounted as "cpu,cpuacct". */
export function findV1Mounts(root: string): V1Mounts {
  const first = (names: readonly string[]): string | null => {
    for (const name of names) if (existsSync(join(root, name))) return join(root, name);
    return null;
  };
  return {
    cpu: first(['cpu', 'cpu,cpuacct', 'cpuacct,cpu']),
    cpuacct: first(['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu']),
    memory: first(['memory']),
    blkio: first(['blkio']),
    pids: first(['pids']),
    unified: existsSync(join(root, 'unified', 'cgroup.controllers')) ? join(root, 'unified') : null,
  };
}

/**
 * A container's v1 directories, from Docker's layouts or else from `procCgroup` (the text of
 * /proc/<pid>/cgroup; read lazily, only when the layouts miss). null when none exists.
 */
export function findV1Dirs(mounts: V1Mounts, id: string, procCgroup: () => string | null): V1Dirs | null {
  const probe = mounts.memory ?? mounts.cpuacct;
  if (probe === null) return null;
  const relative = dockerCgroupPaths(id).find((rel) => existsSync(join(probe, rel)));
  if (relative !== undefined) {
    const dir = (mount: string | null): string | null => (mount === null ? null : join(mount, relative));
    const unified = dir(mounts.unified);
    return {
      cpu: dir(mounts.cpu),
      cpuacct: dir(mounts.cpuacct),
      memory: dir(mounts.memory),
      blkio: dir(mounts.blkio),
      pids: dir(mounts.pids),
      unified: unified !== null && existsSync(unified) ? unified : null,
    };
  }
  const text = procCgroup();
  if (text === null) return null;
  const paths = parseProcCgroup(text);
  const dir = (mount: string | null, path: string | null | undefined): string | null => {
    if (mount === null || path === null || path === undefined || path === '/') return null;
    const full = join(mount, path);
    return existsSync(full) ? full : null;
  };
  const dirs: V1Dirs = {
    cpu: dir(mounts.cpu, paths.v1.get('cpu')),
    cpuacct: dir(mounts.cpuacct, paths.v1.get('cpuacct')),
    memory: dir(mounts.memory, paths.v1.get('memory')),
    blkio: dir(mounts.blkio, paths.v1.get('blkio')),
    pids: dir(mounts.pids, paths.v1.get('pids')),
    unified: dir(mounts.unified, paths.unified),
  };
  return dirs.memory === null && dirs.cpuacct === null ? null : dirs;
}

/** A container's v2 directory, from Docker's layouts or else from /proc/<pid>/cgroup. */
export function findV2Dir(root: string, id: string, procCgroup: () => string | null): string | null {
  for (const rel of dockerCgroupPaths(id)) {
    const dir = join(root, rel);
    if (existsSync(dir)) return dir;
  }
  const text = procCgroup();
  const path = text === null ? null : parseProcCgroup(text).unified;
  if (path === null || path === '/') return null;
  const dir = join(root, path);
  return existsSync(dir) ? dir : null;
}
