import type { Finding } from '../Suspect.js';
import { counterIncrease } from '../counters.js';
import { durationMs, formatMs, round, sampleTimes, windowEvidence } from '../evidence.js';
import type { CheckInput } from './CheckInput.js';

/**
 * cpu_throttled: the CFS quota stopped the container's threads (throttled time grew) in the
 * samples around the span, by at least throttledMinMillis and throttledMinShareOfSpan of the
 * span's duration — less is noise of a busy neighbour period, not a reason for slowness.
 * Needs two samples: throttled time is a counter.
 */
export function checkCpuThrottled(input: CheckInput): Finding | null {
  const { window, span, thresholds } = input;
  const throttled = counterIncrease(window.samples.map((s) => s.cpuThrottledMs));
  if (throttled === null) return null;
  const spanMs = durationMs(span.startNs, span.endNs);
  const neededMs = Math.max(thresholds.throttledMinMillis, thresholds.throttledMinShareOfSpan * spanMs);
  if (throttled.increase < neededMs) return null;
  const periods = counterIncrease(window.samples.map((s) => s.cpuThrottledPeriods));
  const windowMs = durationMs(window.startNs, window.endNs);
  const limit = input.cpuLimitCores === null ? '' : ` (cpu limit ${round(input.cpuLimitCores, 2)} cores)`;
  const periodsText = periods === null ? '' : ` in ${periods.increase} CFS periods`;
  return {
    kind: 'cpu_throttled',
    message:
      `${input.containerName} was CPU-throttled for ${formatMs(throttled.increase)}${periodsText} ` +
      `in the ${formatMs(windowMs)} around this ${formatMs(spanMs)} span${limit}`,
    evidence: {
      window: windowEvidence(window.startNs, window.endNs),
      samples: sampleTimes(window.samples),
      spanDurationMs: round(spanMs, 3),
      throttledMs: round(throttled.increase, 3),
      throttledPeriods: periods === null ? null : periods.increase,
      thresholdMs: round(neededMs, 3),
      cpuLimitCores: input.cpuLimitCores,
      counterResets: throttled.resets,
    },
  };
}
