import type { ContainerMeta } from '../ContainerMeta.js';

/** A running container's metadata for unit tests; `id` is derived from `seed` (64 hex). */
export function testMeta(seed: string, overrides: Partial<ContainerMeta> = {}): ContainerMeta {
  const id = (overrides.id ?? seed.repeat(64)).slice(0, 64);
  return {
    id,
    name: `c-${seed}`,
    image: 'busybox',
    hostname: id.slice(0, 12),
    labels: {},
    service: null,
    project: null,
    state: 'running',
    alive: true,
    pid: 100,
    createdAtNs: 1_000n,
    startedAtNs: 1_000n,
    finishedAtNs: null,
    restartCount: 0,
    cpuLimitCores: null,
    memoryLimitBytes: null,
    networkMode: 'bridge',
    sharesHostName: false,
    tty: false,
    oomKilled: false,
    exitCode: 0,
    health: null,
    logDriver: 'json-file',
    ...overrides,
  };
}

/** A dead container: started at `startedAtNs`, finished at `finishedAtNs`. */
export function deadMeta(seed: string, startedAtNs: bigint, finishedAtNs: bigint, overrides: Partial<ContainerMeta> = {}): ContainerMeta {
  return testMeta(seed, { state: 'exited', alive: false, pid: null, startedAtNs, finishedAtNs, exitCode: 0, ...overrides });
}
