import type { ContainerSampleRow } from '../../model/rows.js';

/** A running container to sample, as discovery knows it. */
export interface SampleTarget {
  /** Full 64-hex container id. */
  id: string;
  /** Host pid of the container's main process (from inspect State.Pid); 0 or null when unknown. */
  pid: number | null;
  /** Whether the container shares the host's network namespace (network_mode host): no own counters. */
  hostNetwork: boolean;
}

/**
 * Where resource samples come from: the cgroup files of the host (cheap, v1 and v2 layouts) or,
 * where the collector cannot see them, the Docker stats API. `sample` is called once per
 * interval with the containers running now; a source keeps whatever state it needs between
 * calls (previous CPU counters for percentages, open API streams) and drops the state of
 * targets that are gone.
 */
export interface StatsSource {
  readonly kind: 'cgroup-v1' | 'cgroup-v2' | 'docker-api';
  sample(targets: readonly SampleTarget[], nowNs: bigint): Promise<ContainerSampleRow[]>;
  /** Closes streams and clears timers; safe to call twice. */
  shutdown(): Promise<void>;
}
