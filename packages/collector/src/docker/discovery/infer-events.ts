import type { ContainerMeta } from '../ContainerMeta.js';
import type { ContainerEvent } from '../wire/event.js';

/** Actions whose real events are remembered, so that an inferred one does not repeat them. */
export type RememberedAction = 'start' | 'die' | 'oom';

/** A real event this close to an inferred one is the same event. */
export const SAME_EVENT_NS = 1_000_000_000n;

/** Answers whether a real event of `action` was recorded for the container near `timeNs`. */
export type RecordedNear = (containerId: string, action: RememberedAction, timeNs: bigint) => boolean;

/**
 * Events the daemon emitted while the collector was not listening (it restarted, or the
 * daemon did and restarted containers before the events stream was back), read from what
 * inspect says now: a StartedAt or FinishedAt inside the outage that no recorded event
 * covers. Marked `inferred: "true"`; their times are Docker's own.
 */
export function inferEvents(meta: ContainerMeta, outageFromNs: bigint, recordedNear: RecordedNear): ContainerEvent[] {
  const events: ContainerEvent[] = [];
  const base = { name: meta.name, image: meta.image, inferred: 'true' };
  const { id, startedAtNs, finishedAtNs } = meta;
  if (finishedAtNs !== null && finishedAtNs >= outageFromNs) {
    if (meta.oomKilled && !recordedNear(id, 'oom', finishedAtNs)) {
      events.push({ containerId: id, timeNs: finishedAtNs, action: 'oom', attributes: base });
    }
    if (!recordedNear(id, 'die', finishedAtNs)) {
      const attributes = { ...base, exitCode: String(meta.exitCode) };
      events.push({ containerId: id, timeNs: finishedAtNs, action: 'die', attributes });
    }
  }
  if (startedAtNs !== null && startedAtNs >= outageFromNs && !recordedNear(id, 'start', startedAtNs)) {
    events.push({ containerId: id, timeNs: startedAtNs, action: 'start', attributes: base });
  }
  return events;
}
