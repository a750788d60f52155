import type { ContainerEventRow } from '../../model/rows.js';
import type { Finding } from '../Suspect.js';
import type { SampleWindow } from '../sample-window.js';
import type { SuspectThresholds } from '../thresholds.js';
import type { ResourceSample } from './ResourceSample.js';

/** One span and what its container was doing around it: everything a check may read. */
export interface CheckInput {
  span: { spanId: string; startNs: bigint; endNs: bigint };
  /** The container's name for messages (its short id when the name is unknown). */
  containerName: string;
  /** From container metadata, else the samples; null when unlimited or unknown. */
  cpuLimitCores: number | null;
  /** From container metadata only (a sample's limit is the host's memory when there is none). */
  memoryLimitBytes: number | null;
  /** The container's samples around the span. */
  window: SampleWindow<ResourceSample>;
  /** The container's lifecycle events in `eventWindow` (the span ± one sample interval). */
  events: readonly ContainerEventRow[];
  eventWindow: { startNs: bigint; endNs: bigint };
  /** Its events of the hour before `eventWindow`: whether a `start` there was a first one. */
  earlierEvents: readonly ContainerEventRow[];
  /** Other containers on the host, with their samples over the same time. */
  neighbours: readonly NeighbourSamples[];
  /** The host's CPU capacity in cores (100% per core, as cpuPercent counts it); null when unknown. */
  hostCpuCores: number | null;
  /** How often containers are sampled: neighbour samples within half of it count as simultaneous. */
  sampleIntervalNs: bigint;
  thresholds: SuspectThresholds;
}

export interface NeighbourSamples {
  containerId: string;
  name: string;
  /** In time order. */
  samples: readonly ResourceSample[];
}

/** A check: a pure function of its input; null when there is no evidence. */
export type Check = (input: CheckInput) => Finding | null;
