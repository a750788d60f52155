import type { ContainerRow } from '../../model/rows.js';
import type { ContainerEntry } from './ContainerRegistry.js';
import { SHORT_ID_CHARS, type ContainerMeta } from '../ContainerMeta.js';

/** The state stored for a container Docker no longer has. */
export const REMOVED_STATE = 'removed';

/**
 * The stored form of a registry entry, stamped `updatedAtNs` (retention ages rows by it) and
 * the Docker host it runs on.
 */
export function containerRow(entry: ContainerEntry, updatedAtNs: bigint, host: string): ContainerRow {
  const { meta } = entry;
  return {
    id: meta.id,
    name: meta.name,
    image: meta.image,
    hostname: meta.hostname,
    service: meta.service,
    project: meta.project,
    state: entry.removed ? REMOVED_STATE : meta.state,
    startedAtNs: meta.startedAtNs,
    finishedAtNs: meta.finishedAtNs,
    restartCount: meta.restartCount,
    cpuLimit: meta.cpuLimitCores,
    memoryLimitBytes: meta.memoryLimitBytes,
    labels: meta.labels,
    updatedAtNs,
    host,
  };
}

/**
 * A stored container as metadata, to seed the registry at start-up with containers that
 * are gone but still inside the retention window. What the store does not keep (pid,
 * network mode, TTY) takes its "unknown" value; discovery replaces it for live containers,
 * and until it does, none counts as alive (no sampling, no log stream, no open-ended life).
 */
export function metaFromRow(row: ContainerRow): { meta: ContainerMeta; hostnameIdentifies: boolean } {
  return {
    // Only Docker's default hostname is known to name this container alone: the store
    // does not say whether a custom one was shared with the host.
    hostnameIdentifies: row.hostname === row.id.slice(0, SHORT_ID_CHARS),
    meta: {
      id: row.id,
      name: row.name,
      image: row.image,
      hostname: row.hostname,
      labels: row.labels,
      service: row.service,
      project: row.project,
      state: row.state,
      // Whether it still runs is for discovery to say; until then its life ends at its last update.
      alive: false,
      pid: null,
      createdAtNs: null,
      startedAtNs: row.startedAtNs,
      finishedAtNs: row.finishedAtNs,
      restartCount: row.restartCount,
      cpuLimitCores: row.cpuLimit,
      memoryLimitBytes: row.memoryLimitBytes,
      networkMode: 'unknown',
      sharesHostName: !(row.hostname === row.id.slice(0, SHORT_ID_CHARS)),
      tty: false,
      oomKilled: false,
      exitCode: 0,
      health: null,
      logDriver: 'unknown',
    },
  };
}
