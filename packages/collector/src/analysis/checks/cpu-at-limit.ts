import type { Finding } from '../Suspect.js';
import { durationMs, formatMs, round, sampleTimes, windowEvidence } from '../evidence.js';
import type { CheckInput } from './CheckInput.js';

/**
 * cpu_at_limit: the container used its whole CPU limit — cpuPercent at least cpuAtLimitRatio
 * of limit cores × 100 — in most (more than half) of the samples whose interval overlaps the
 * span. Without a limit there is nothing to be at.
 */
export function checkCpuAtLimit(input: CheckInput): Finding | null {
  const { window, thresholds } = input;
  const limitCores = input.cpuLimitCores;
  if (limitCores === null || limitCores <= 0) return null;
  const measured = window.rateSamples.filter((s) => s.cpuPercent !== null);
  if (measured.length === 0) return null;
  const thresholdPercent = thresholds.cpuAtLimitRatio * limitCores * 100;
  const atLimit = measured.filter((s) => (s.cpuPercent ?? 0) >= thresholdPercent);
  if (atLimit.length * 2 <= measured.length) return null;
  const percents = measured.map((s) => round(s.cpuPercent ?? 0, 1));
  const meanPercent = percents.reduce((a, b) => a + b, 0) / percents.length;
  const spanMs = durationMs(input.span.startNs, input.span.endNs);
  const last = measured[measured.length - 1];
  // The rates of the first measured sample cover the interval before it: start there.
  const windowStartNs = window.samples[0]?.timeNs ?? window.startNs;
  return {
    kind: 'cpu_at_limit',
    message:
      `${input.containerName} ran at its CPU limit of ${round(limitCores, 2)} cores ` +
      `(${round(limitCores * 100, 1)}%): ${round(meanPercent, 1)}% on average, at least ` +
      `${round(thresholdPercent, 1)}% in ${atLimit.length} of ${measured.length} samples around this ${formatMs(spanMs)} span`,
    evidence: {
      window: windowEvidence(windowStartNs, last?.timeNs ?? window.endNs),
      samples: sampleTimes(measured),
      cpuPercent: percents,
      cpuLimitCores: limitCores,
      thresholdPercent: round(thresholdPercent, 1),
      samplesAtLimit: atLimit.length,
      spanDurationMs: round(spanMs, 3),
    },
  };
}
