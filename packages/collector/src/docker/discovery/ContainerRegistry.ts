import type { ContainerCandidate, ContainerLookup } from '../../correlate/ContainerLookup.js';
import type { ContainerMeta } from '../ContainerMeta.js';
import { SHORT_ID_CHARS } from '../ContainerMeta.js';
import { candidateOf, earlier, evictionVictim, isAlive, type ContainerEntry, type EvictionReason } from './ContainerEntry.js';
import { IndexMap } from './index-map.js';

export type { ContainerEntry, EvictionReason };

export interface ContainerRegistryOptions {
  maxContainers: number;
  onEvicted?: (entry: ContainerEntry, reason: EvictionReason) => void;
}


/**
 * Every container discovery knows, running and dead, with the indexes the join reads
 * (id prefix, hostname, Compose service). Bounded: beyond maxContainers the longest-dead
 * entry goes first; dead entries also go once the retention window has passed.
 * @example
 * const registry = new ContainerRegistry({ maxContainers: 10_000 });
 * registry.upsert(meta, nowNs);
 * registry.byComposeService('orders'); // [{ id, aliveFromNs, aliveUntilNs }]
 */
export class ContainerRegistry implements ContainerLookup {
  readonly #options: ContainerRegistryOptions;
  readonly #entries = new Map<string, ContainerEntry>();
  readonly #byShortId = new IndexMap();
  readonly #byHostname = new IndexMap();
  readonly #byService = new IndexMap();

  constructor(options: ContainerRegistryOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): ContainerEntry | undefined {
    return this.#entries.get(id);
  }

  /** Containers running, paused or restarting now. */
  alive(): ContainerEntry[] {
    return [...this.#entries.values()].filter(isAlive);
  }

  entries(): IterableIterator<ContainerEntry> {
    return this.#entries.values();
  }

  /**
   * Records what inspect said; `hostnameIdentifies` defaults to "not shared with the host".
   * An entry is updated in place (log followers hold it and move its lastLogNs on); returns
   * it and the metadata it had before (null when new).
   */
  upsert(meta: ContainerMeta, nowNs: bigint, hostnameIdentifies = !meta.sharesHostName): { entry: ContainerEntry; previous: ContainerMeta | null } {
    const existing = this.#entries.get(meta.id);
    if (existing !== undefined) {
      const previous = existing.meta;
      this.#unindex(existing);
      existing.meta = meta;
      existing.firstStartedAtNs = earlier(existing.firstStartedAtNs, meta.startedAtNs);
      existing.removed = false;
      existing.hostnameIdentifies = hostnameIdentifies;
      existing.lastSeenNs = nowNs;
      existing.candidate = candidateOf(existing);
      this.#index(existing);
      return { entry: existing, previous };
    }
    this.#makeRoom();
    const fields = { meta, firstStartedAtNs: meta.startedAtNs, removed: false, hostnameIdentifies, lastLogNs: null, lastSeenNs: nowNs };
    const entry: ContainerEntry = { ...fields, candidate: candidateOf(fields) };
    this.#entries.set(meta.id, entry);
    this.#index(entry);
    return { entry, previous: null };
  }

  /** A destroyed container: kept (dead) for the join; returns it, or undefined when unknown. */
  markRemoved(id: string, atNs: bigint): ContainerEntry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    entry.removed = true;
    entry.lastSeenNs = atNs;
    entry.meta = { ...entry.meta, alive: false, pid: null, finishedAtNs: entry.meta.finishedAtNs ?? atNs };
    entry.candidate = candidateOf(entry);
    return entry;
  }

  /** Drops dead containers last heard of before `cutNs` (the retention window); returns how many. */
  evictDeadBefore(cutNs: bigint): number {
    let evicted = 0;
    for (const entry of [...this.#entries.values()]) {
      if (isAlive(entry) || (entry.meta.finishedAtNs ?? entry.lastSeenNs) >= cutNs || entry.lastSeenNs >= cutNs) continue;
      this.#remove(entry, 'expired');
      evicted += 1;
    }
    return evicted;
  }

  byIdPrefix(hexPrefix: string): readonly ContainerCandidate[] {
    if (hexPrefix.length < SHORT_ID_CHARS) return [];
    const ids = this.#byShortId.get(hexPrefix.slice(0, SHORT_ID_CHARS));
    return this.#candidates(ids, (id) => id.startsWith(hexPrefix));
  }

  byHostname(hostname: string): readonly ContainerCandidate[] {
    return this.#candidates(this.#byHostname.get(hostname));
  }

  byComposeService(service: string): readonly ContainerCandidate[] {
    return this.#candidates(this.#byService.get(service));
  }

  #candidates(ids: ReadonlySet<string> | undefined, keep?: (id: string) => boolean): ContainerCandidate[] {
    if (ids === undefined) return [];
    const out: ContainerCandidate[] = [];
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry !== undefined && (keep === undefined || keep(id))) out.push(entry.candidate);
    }
    return out;
  }

  #index(entry: ContainerEntry): void {
    const { id, hostname, service } = entry.meta;
    this.#byShortId.add(id.slice(0, SHORT_ID_CHARS), id);
    if (entry.hostnameIdentifies && hostname !== '') this.#byHostname.add(hostname, id);
    if (service !== null) this.#byService.add(service, id);
  }

  #unindex(entry: ContainerEntry): void {
    const { id, hostname, service } = entry.meta;
    this.#byShortId.delete(id.slice(0, SHORT_ID_CHARS), id);
    this.#byHostname.delete(hostname, id);
    if (service !== null) this.#byService.delete(service, id);
  }

  #remove(entry: ContainerEntry, reason: EvictionReason): void {
    this.#unindex(entry);
    this.#entries.delete(entry.meta.id);
    this.#options.onEvicted?.(entry, reason);
  }

  /** Before adding one: the longest-dead entry goes, else (all alive) the least recently seen. */
  #makeRoom(): void {
    if (this.#entries.size < this.#options.maxContainers) return;
    const victim = evictionVictim(this.#entries.values());
    if (victim !== undefined) this.#remove(victim, isAlive(victim) ? 'capacity_alive' : 'capacity_dead');
  }
}
