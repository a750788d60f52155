/**
 * What the join needs to know about containers: who had an id prefix, a hostname or a
 * Compose service, and when each was alive. The Docker registry implements it from
 * discovery; lookups are in-memory index reads, with no I/O.
 */
export interface ContainerCandidate {
  /** Full 64-hex id. */
  readonly id: string;
  /** First start seen; null when it never started (so never alive). */
  readonly aliveFromNs: bigint | null;
  /** When it stopped for good; null while it runs (or is paused or restarting). */
  readonly aliveUntilNs: bigint | null;
}

export interface ContainerLookup {
  /** Known containers whose id starts with `hexPrefix` (12 to 64 lowercase hex digits). */
  byIdPrefix(hexPrefix: string): readonly ContainerCandidate[];
  /** Containers whose hostname identifies them (not shared with the host) and equals `hostname`. */
  byHostname(hostname: string): readonly ContainerCandidate[];
  /** Containers whose Compose service label equals `service`. */
  byComposeService(service: string): readonly ContainerCandidate[];
}
