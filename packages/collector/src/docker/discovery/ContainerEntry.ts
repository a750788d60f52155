import type { ContainerCandidate } from '../../correlate/ContainerLookup.js';
import type { ContainerMeta } from '../ContainerMeta.js';

/** One container as the registry keeps it. */
export interface ContainerEntry {
  meta: ContainerMeta;
  /** The first start seen: Docker's StartedAt moves on each restart, the join wants the whole life. */
  firstStartedAtNs: bigint | null;
  /** Destroyed: no longer in Docker, kept for the join until the retention window passes. */
  removed: boolean;
  /** Whether the hostname names this container only (own UTS namespace, or Docker's default). */
  hostnameIdentifies: boolean;
  /** Time of the last container log line read, to resume after a reconnect without duplicates. */
  lastLogNs: bigint | null;
  /** When discovery last heard of it; orders eviction among the dead. */
  lastSeenNs: bigint;
  candidate: ContainerCandidate;
}

export type EvictionReason = 'expired' | 'capacity_dead' | 'capacity_alive';

/** Running, paused or restarting, and not destroyed. */
export function isAlive(entry: Pick<ContainerEntry, 'meta' | 'removed'>): boolean {
  return entry.meta.alive && !entry.removed;
}

/** What the join sees of an entry: its whole life, open-ended while it is alive. */
export function candidateOf(entry: Omit<ContainerEntry, 'candidate'>): ContainerCandidate {
  if (isAlive(entry)) return { id: entry.meta.id, aliveFromNs: entry.firstStartedAtNs, aliveUntilNs: null };
  const { startedAtNs, finishedAtNs } = entry.meta;
  // Docker keeps the previous exit in FinishedAt after a restart: older than StartedAt, it
  // says nothing about the end, and the last time the container was seen stands in.
  const finished = finishedAtNs !== null && (startedAtNs === null || finishedAtNs >= startedAtNs) ? finishedAtNs : null;
  return { id: entry.meta.id, aliveFromNs: entry.firstStartedAtNs, aliveUntilNs: finished ?? entry.lastSeenNs };
}

/** The earlier of two optional times (the first start seen). */
export function earlier(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/** What a full registry gives up first: the longest-dead entry, else the least recently seen alive one. */
export function evictionVictim(entries: Iterable<ContainerEntry>): ContainerEntry | undefined {
  let victim: ContainerEntry | undefined;
  let victimAlive = true;
  for (const entry of entries) {
    const alive = isAlive(entry);
    const older = victim === undefined || (entry.meta.finishedAtNs ?? entry.lastSeenNs) < (victim.meta.finishedAtNs ?? victim.lastSeenNs);
    if ((victimAlive && !alive) || (alive === victimAlive && older)) {
      victim = entry;
      victimAlive = alive;
    }
  }
  return victim;
}
