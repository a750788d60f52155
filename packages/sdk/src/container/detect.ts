/**
 * The container this process runs in, for the `container.id` resource attribute: cgroup path
 * first (cgroup v1, and v2 without a cgroup namespace), then the bind mounts in mountinfo (v2 with
 * `0::/`). Outside a container both come up empty and the attribute is left out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerIdFromCgroup } from './cgroup.js';
import { containerIdFromMountinfo } from './mountinfo.js';

/** The two /proc files' text; undefined where the file could not be read. */
export interface ProcFiles {
  cgroup: string | undefined;
  mountinfo: string | undefined;
}

export function containerIdFromProcFiles(files: ProcFiles): string | undefined {
  return (files.cgroup === undefined ? undefined : containerIdFromCgroup(files.cgroup))
    ?? (files.mountinfo === undefined ? undefined : containerIdFromMountinfo(files.mountinfo));
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // Not Linux, or /proc hidden: then there is no container id to find.
    return undefined;
  }
}

/**
 * Reads `<procSelfDir>/cgroup` and `<procSelfDir>/mountinfo` (synchronously: two small files read
 * once at start, so that the resource is complete before the first span is exported).
 * @example detectContainerId() // '3f1c…' inside Docker, undefined on a plain host
 */
export function detectContainerId(procSelfDir = '/proc/self'): string | undefined {
  return containerIdFromProcFiles({
    cgroup: readOrUndefined(join(procSelfDir, 'cgroup')),
    mountinfo: readOrUndefined(join(procSelfDir, 'mountinfo')),
  });
}
