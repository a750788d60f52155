import type { Finding } from '../Suspect.js';
import { counterIncrease } from '../counters.js';
import { formatBytes, round, sampleTimes, windowEvidence } from '../evidence.js';
import type { CheckInput } from './CheckInput.js';
import type { ResourceSample } from './ResourceSample.js';

/**
 * memory_near_limit: usage reached memoryNearLimitRatio of the limit in a sample around the
 * span (the kernel reclaims page cache and may swap there, which stalls allocations), or the
 * cgroup's failcnt grew (usage hit the limit itself). Without a limit there is nothing to near.
 */
export function checkMemoryNearLimit(input: CheckInput): Finding | null {
  const { window, thresholds } = input;
  const peak = peakUsage(window.samples, input.memoryLimitBytes);
  const nearLimit = peak !== null && peak.ratio >= thresholds.memoryNearLimitRatio;
  const failcnt = counterIncrease(window.samples.map((s) => s.memoryFailcnt));
  const hitLimit = failcnt !== null && failcnt.increase > 0;
  if (!nearLimit && !hitLimit) return null;
  const parts: string[] = [];
  if (peak !== null && nearLimit) {
    parts.push(`used ${formatBytes(peak.bytes)} of its ${formatBytes(peak.limitBytes)} memory limit (${round(peak.ratio * 100, 1)}%)`);
  }
  if (failcnt !== null && hitLimit) parts.push(`hit its memory limit ${failcnt.increase} times (failcnt)`);
  return {
    kind: 'memory_near_limit',
    message: `${input.containerName} ${parts.join(' and ')} around this span`,
    evidence: {
      window: windowEvidence(window.startNs, window.endNs),
      samples: sampleTimes(window.samples),
      peakMemoryBytes: peak?.bytes ?? null,
      memoryLimitBytes: peak?.limitBytes ?? input.memoryLimitBytes,
      peakRatio: peak === null ? null : round(peak.ratio, 3),
      thresholdRatio: thresholds.memoryNearLimitRatio,
      peakAt: peak === null ? null : sampleTimes([peak.sample])[0] ?? null,
      failcntIncrease: failcnt?.increase ?? null,
    },
  };
}

interface Peak {
  bytes: number;
  limitBytes: number;
  ratio: number;
  sample: ResourceSample;
}

/**
 * Against the container's declared limit only: without one, a sample's limit is the host's
 * memory, and nearing that is not this container's limit.
 */
function peakUsage(samples: readonly ResourceSample[], limitBytes: number | null): Peak | null {
  if (limitBytes === null || limitBytes <= 0) return null;
  let peak: Peak | null = null;
  for (const sample of samples) {
    if (sample.memoryBytes === null) continue;
    const ratio = sample.memoryBytes / limitBytes;
    if (peak === null || ratio > peak.ratio) peak = { bytes: sample.memoryBytes, limitBytes, ratio, sample };
  }
  return peak;
}
