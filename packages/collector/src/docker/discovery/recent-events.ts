import type { ContainerEvent } from '../wire/event.js';
import { SAME_EVENT_NS, type RememberedAction } from './infer-events.js';

/** Enough for every event of a replay after a reconnect (the daemon buffers 256). */
const KEYS_MAX = 1024;
/** Containers whose last start/die/oom times are remembered for inference. */
const CONTAINERS_MAX = 4096;

function keyOf(event: ContainerEvent): string {
  return `${event.timeNs}:${event.containerId}:${event.action}`;
}

function isRemembered(action: string): action is RememberedAction {
  return action === 'start' || action === 'die' || action === 'oom';
}

/**
 * The events seen lately, bounded: to drop the ones a replay (`since` after a reconnect)
 * sends again, and to tell inference which start/die/oom events were recorded for real.
 * Both maps forget their oldest insertions first.
 */
export class RecentEvents {
  readonly #keys = new Set<string>();
  readonly #times = new Map<string, Partial<Record<RememberedAction, bigint>>>();

  /** Records the event; false when it was seen already (a replay). */
  add(event: ContainerEvent): boolean {
    const key = keyOf(event);
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > KEYS_MAX) this.#keys.delete(this.#keys.values().next().value ?? key);
    if (isRemembered(event.action)) {
      const times = this.#times.get(event.containerId) ?? {};
      this.#times.delete(event.containerId);
      times[event.action] = event.timeNs;
      this.#times.set(event.containerId, times);
      if (this.#times.size > CONTAINERS_MAX) this.#times.delete(this.#times.keys().next().value ?? event.containerId);
    }
    return true;
  }

  recordedNear(containerId: string, action: RememberedAction, timeNs: bigint): boolean {
    const seen = this.#times.get(containerId)?.[action];
    if (seen === undefined) return false;
    const gap = seen > timeNs ? seen - timeNs : timeNs - seen;
    return gap <= SAME_EVENT_NS;
  }
}
