import type { Finding } from '../Suspect.js';
import { round, sampleTimes, windowEvidence } from '../evidence.js';
import type { CheckInput, NeighbourSamples } from './CheckInput.js';
import type { ResourceSample } from './ResourceSample.js';

interface Usage {
  containerId: string;
  name: string;
  meanCpuPercent: number;
  samples: readonly ResourceSample[];
}

function meanCpu(samples: readonly ResourceSample[]): number | null {
  const values = samples.map((s) => s.cpuPercent).filter((v): v is number => v !== null);
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * noisy_neighbour: while the span ran, another container on the host used at least
 * neighbourMinShareOfHost of the host's CPU capacity and all containers together at least
 * hostSaturatedRatio of it — the CPUs had a run queue, so this container's threads waited
 * for them. Neighbour samples are those within half a sample interval of this container's
 * (sources sample every container in one round, so times match to the interval).
 */
export function checkNoisyNeighbour(input: CheckInput): Finding | null {
  const cores = input.hostCpuCores;
  if (cores === null || cores <= 0) return null;
  const own = input.window.rateSamples.filter((s) => s.cpuPercent !== null);
  const ownMean = meanCpu(own);
  const first = own[0];
  const last = own[own.length - 1];
  if (ownMean === null || first === undefined || last === undefined) return null;
  const tolNs = input.sampleIntervalNs / 2n;
  const fromNs = first.timeNs - tolNs;
  const toNs = last.timeNs + tolNs;
  const usages = input.neighbours.map((n) => usageIn(n, fromNs, toNs)).filter((u): u is Usage => u !== null);
  const top = usages.reduce<Usage | null>((best, u) => (best === null || u.meanCpuPercent > best.meanCpuPercent ? u : best), null);
  if (top === null) return null;
  const capacityPercent = cores * 100;
  const totalPercent = ownMean + usages.reduce((sum, u) => sum + u.meanCpuPercent, 0);
  const { neighbourMinShareOfHost, hostSaturatedRatio } = input.thresholds;
  if (top.meanCpuPercent < neighbourMinShareOfHost * capacityPercent) return null;
  if (totalPercent < hostSaturatedRatio * capacityPercent) return null;
  const topShare = top.meanCpuPercent / capacityPercent;
  const totalShare = totalPercent / capacityPercent;
  // The rates of the first own sample cover the interval before it: the window starts there.
  const windowStartNs = input.window.samples[0]?.timeNs ?? first.timeNs;
  return {
    kind: 'noisy_neighbour',
    message:
      `${top.name} used ${round(top.meanCpuPercent / 100, 2)} of the host's ${cores} cores ` +
      `(${round(topShare * 100, 1)}%) around this span while all containers together used ` +
      `${round(totalShare * 100, 1)}% of the host CPU; ${input.containerName} got ${round(ownMean, 1)}%`,
    evidence: {
      window: windowEvidence(windowStartNs, last.timeNs),
      samples: sampleTimes(own),
      hostCpuCores: cores,
      neighbour: {
        containerId: top.containerId,
        name: top.name,
        cpuPercent: round(top.meanCpuPercent, 1),
        shareOfHost: round(topShare, 3),
        samples: sampleTimes(top.samples),
      },
      hostCpuPercent: round(totalPercent, 1),
      hostShareUsed: round(totalShare, 3),
      ownCpuPercent: round(ownMean, 1),
      thresholdShareOfHost: neighbourMinShareOfHost,
      thresholdHostSaturated: hostSaturatedRatio,
    },
  };
}

function usageIn(neighbour: NeighbourSamples, fromNs: bigint, toNs: bigint): Usage | null {
  const samples = neighbour.samples.filter((s) => s.timeNs >= fromNs && s.timeNs <= toNs);
  const mean = meanCpu(samples);
  if (mean === null) return null;
  return { containerId: neighbour.containerId, name: neighbour.name, meanCpuPercent: mean, samples };
}
