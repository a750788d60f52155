import type { Finding } from '../Suspect.js';
import { counterIncrease } from '../counters.js';
import { epochMs, sampleTimes, windowEvidence } from '../evidence.js';
import type { CheckInput } from './CheckInput.js';

/**
 * oom: the kernel's OOM killer ran in the container around the span — an `oom` event from
 * Docker in the event window, or the cgroup's oom-kill counter grew between the samples.
 * Either alone is evidence; both are reported when both are seen.
 */
export function checkOom(input: CheckInput): Finding | null {
  const { window, eventWindow } = input;
  const oomEvents = input.events.filter((e) => e.action === 'oom');
  const kills = counterIncrease(window.samples.map((s) => s.memoryOomKills));
  const killed = kills !== null && kills.increase > 0;
  if (oomEvents.length === 0 && !killed) return null;
  const parts: string[] = [];
  if (oomEvents.length > 0) parts.push(`${oomEvents.length} oom event${oomEvents.length === 1 ? '' : 's'}`);
  if (kills !== null && killed) parts.push(`${kills.increase} process${kills.increase === 1 ? '' : 'es'} OOM-killed`);
  // The wider of the two windows, so that both kinds of evidence lie inside it.
  const startNs = oomEvents.length > 0 && eventWindow.startNs < window.startNs ? eventWindow.startNs : window.startNs;
  const endNs = oomEvents.length > 0 && eventWindow.endNs > window.endNs ? eventWindow.endNs : window.endNs;
  return {
    kind: 'oom',
    message: `${input.containerName} ran out of memory around this span: ${parts.join(', ')}`,
    evidence: {
      window: windowEvidence(startNs, endNs),
      samples: killed ? sampleTimes(window.samples) : [],
      events: oomEvents.map((e) => ({ t: epochMs(e.timeNs), action: e.action })),
      oomKills: kills?.increase ?? null,
      memoryLimitBytes: input.memoryLimitBytes,
    },
  };
}
