import type { ContainerEventRow } from '../../model/rows.js';
import type { Finding } from '../Suspect.js';
import { epochMs, windowEvidence } from '../evidence.js';
import type { CheckInput } from './CheckInput.js';

function eventEvidence(events: readonly ContainerEventRow[]): { t: number; action: string; exitCode: string | null }[] {
  return events.map((e) => ({ t: epochMs(e.timeNs), action: e.action, exitCode: e.attributes.exitCode ?? null }));
}

/**
 * A `start` is a restart when the container died before it (a restart policy sends die then
 * start, no `restart`); a container's very first start is not one. `restart` (docker restart)
 * always is.
 */
function restartEvents(input: CheckInput): ContainerEventRow[] {
  const diedEarlier = input.earlierEvents.some((e) => e.action === 'die');
  return input.events.filter((e, i) => {
    if (e.action === 'restart') return true;
    if (e.action !== 'start') return false;
    return diedEarlier || input.events.slice(0, i).some((earlier) => earlier.action === 'die');
  });
}

/**
 * restart: the container was started again during the span or one sample interval around
 * it: its process was new (cold caches, connections being opened) or requests were lost.
 */
export function checkRestart(input: CheckInput): Finding | null {
  const events = restartEvents(input);
  if (events.length === 0) return null;
  return {
    kind: 'restart',
    message: `${input.containerName} restarted around this span (${events.map((e) => e.action).join(', ')})`,
    evidence: {
      window: windowEvidence(input.eventWindow.startNs, input.eventWindow.endNs),
      events: eventEvidence(events),
    },
  };
}

/** died: the container's main process exited during the span or one sample interval around it. */
export function checkDied(input: CheckInput): Finding | null {
  const events = input.events.filter((e) => e.action === 'die');
  if (events.length === 0) return null;
  const codes = events.map((e) => e.attributes.exitCode).filter((c): c is string => c !== undefined);
  const codeText = codes.length === 0 ? '' : ` with exit code ${codes.join(', ')}`;
  return {
    kind: 'died',
    message: `${input.containerName} died${codeText} around this span`,
    evidence: {
      window: windowEvidence(input.eventWindow.startNs, input.eventWindow.endNs),
      events: eventEvidence(events),
    },
  };
}
