import type { AttributeValue } from '../../model/rows.js';
import type { Finding } from '../Suspect.js';
import { counterIncrease } from '../counters.js';
import { durationMs, formatMs, round, sampleTimes, windowEvidence } from '../evidence.js';
import type { CheckInput } from './CheckInput.js';

type PsiField = 'cpuPressureSomeMs' | 'memoryPressureSomeMs' | 'ioPressureSomeMs';

const RESOURCES: readonly { resource: string; field: PsiField }[] = [
  { resource: 'cpu', field: 'cpuPressureSomeMs' },
  { resource: 'memory', field: 'memoryPressureSomeMs' },
  { resource: 'io', field: 'ioPressureSomeMs' },
];

/**
 * psi_stall: the kernel's pressure stall information for the container's cgroup says its
 * tasks waited for CPU, memory or I/O: the "some" stall time (a counter) grew by at least
 * psiStallMinMillis and psiStallMinShareOfSpan of the span's duration in the samples around
 * it. The counter, not avg10: a 10-second average dilutes a half-second stall to nothing.
 * Only where the host exposes PSI per cgroup; elsewhere the fields are null and nothing is said.
 */
export function checkPsiStall(input: CheckInput): Finding | null {
  const { window, thresholds, span } = input;
  const spanMs = durationMs(span.startNs, span.endNs);
  const neededMs = Math.max(thresholds.psiStallMinMillis, thresholds.psiStallMinShareOfSpan * spanMs);
  const stalled: { resource: string; stallMs: number }[] = [];
  for (const { resource, field } of RESOURCES) {
    const stall = counterIncrease(window.samples.map((s) => s[field]));
    if (stall !== null && stall.increase >= neededMs) stalled.push({ resource, stallMs: stall.increase });
  }
  if (stalled.length === 0) return null;
  const windowMs = durationMs(window.startNs, window.endNs);
  const text = stalled.map((s) => `${s.resource} for ${formatMs(s.stallMs)}`).join(', ');
  const stallMs: Record<string, AttributeValue> = {};
  for (const s of stalled) stallMs[s.resource] = round(s.stallMs, 3);
  return {
    kind: 'psi_stall',
    message:
      `${input.containerName} had tasks waiting for ${text} (PSI some) ` +
      `in the ${formatMs(windowMs)} around this ${formatMs(spanMs)} span`,
    evidence: {
      window: windowEvidence(window.startNs, window.endNs),
      samples: sampleTimes(window.samples),
      stallMs,
      spanDurationMs: round(spanMs, 3),
      thresholdMs: round(neededMs, 3),
    },
  };
}
