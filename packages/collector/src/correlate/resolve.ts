import type { Attributes } from '../model/rows.js';
import type { ContainerCandidate, ContainerLookup } from './ContainerLookup.js';

/**
 * How one resource maps to a container: its container.id (a full id or a 12-digit prefix),
 * else its host.name equal to a container's hostname, else the one container of the Compose
 * service equal to service.name alive then (two alive: none, never a guess). Decided once
 * per resource, except that the hostname and Compose rules depend on each record's time, so
 * they keep their candidates and decide per record.
 */
export type Resolution =
  | { kind: 'fixed'; containerId: string | null }
  | { kind: 'at_time'; byHostname: readonly ContainerCandidate[]; byService: readonly ContainerCandidate[] };

const FULL_ID = /^[0-9a-f]{64}$/;
const ID_PREFIX = /^[0-9a-f]{12,63}$/;
/**
 * Docker records StartedAt once the process already runs, so a process's first span or log
 * line may carry a time a few milliseconds before it; a container counts as alive this much
 * before its start and after its finish.
 */
export const LIFETIME_SLACK_NS = 1_000_000_000n;

const NONE: Resolution = { kind: 'fixed', containerId: null };

function text(resource: Attributes, key: string): string | null {
  const value = resource[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Rule 1 decides whenever `container.id` looks like a container id: a full id is taken as
 * is (its metadata may arrive after its first spans); a 12+ digit prefix must match exactly
 * one known container. A value that is no hex id at all (some SDKs put a pod uid there)
 * counts as missing, and the hostname and Compose rules apply.
 */
export function resolveResource(resource: Attributes, lookup: ContainerLookup): Resolution {
  const rawId = text(resource, 'container.id');
  const id = rawId?.trim().toLowerCase() ?? null;
  if (id !== null && FULL_ID.test(id)) return { kind: 'fixed', containerId: id };
  if (id !== null && ID_PREFIX.test(id)) {
    const matches = lookup.byIdPrefix(id);
    return { kind: 'fixed', containerId: matches.length === 1 && matches[0] !== undefined ? matches[0].id : null };
  }
  const hostname = text(resource, 'host.name');
  const service = text(resource, 'service.name');
  const byHostname = hostname === null ? [] : lookup.byHostname(hostname);
  const byService = service === null ? [] : lookup.byComposeService(service);
  if (byHostname.length === 0 && byService.length === 0) return NONE;
  return { kind: 'at_time', byHostname, byService };
}

function aliveAt(candidate: ContainerCandidate, timeNs: bigint): boolean {
  const { aliveFromNs, aliveUntilNs } = candidate;
  if (aliveFromNs === null || timeNs < aliveFromNs - LIFETIME_SLACK_NS) return false;
  return aliveUntilNs === null || timeNs <= aliveUntilNs + LIFETIME_SLACK_NS;
}

/** The one candidate alive at `timeNs`; `ambiguous` when several were, null when none. */
function onlyAliveAt(candidates: readonly ContainerCandidate[], timeNs: bigint): string | null | 'ambiguous' {
  let found: string | null = null;
  for (const candidate of candidates) {
    if (!aliveAt(candidate, timeNs)) continue;
    if (found !== null) return 'ambiguous';
    found = candidate.id;
  }
  return found;
}

/**
 * The container of a record at `timeNs`. Rule 2: the container with that hostname alive
 * then, when exactly one was (several: no container, the Compose rule is not tried).
 * Rule 3, when no container with that hostname was alive: the one container of that
 * Compose service alive then. Otherwise null, never a guess.
 */
export function containerAt(resolution: Resolution, timeNs: bigint): string | null {
  if (resolution.kind === 'fixed') return resolution.containerId;
  const byHostname = onlyAliveAt(resolution.byHostname, timeNs);
  if (byHostname === 'ambiguous') return null;
  if (byHostname !== null) return byHostname;
  const byService = onlyAliveAt(resolution.byService, timeNs);
  return byService === 'ambiguous' ? null : byService;
}
