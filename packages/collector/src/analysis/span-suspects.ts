import type { AttributeValue } from '../model/rows.js';
import type { ResourceSuspect } from './Suspect.js';
import { ALL_CHECKS } from './checks/all.js';
import type { CheckInput, NeighbourSamples } from './checks/CheckInput.js';
import { durationMs, round } from './evidence.js';
import type { ContainerContext } from './load-context.js';
import { shortId } from './load-context.js';
import { sampleWindow } from './sample-window.js';
import type { PickReason, PickedSpan } from './slow-spans.js';
import type { SuspectThresholds } from './thresholds.js';

export interface SpanCheckOptions {
  hostCpuCores: number | null;
  sampleIntervalNs: bigint;
  thresholds: SuspectThresholds;
}

/**
 * Runs every check for one picked span against its container's rows; each finding becomes
 * a suspect that also says why the span was checked at all.
 */
export function suspectsOfSpan(
  picked: PickedSpan,
  context: ContainerContext,
  hostSamples: readonly NeighbourSamples[],
  options: SpanCheckOptions,
): ResourceSuspect[] {
  const input = checkInput(picked, context, hostSamples, options);
  const spanEvidence = spanSummary(picked);
  const suspects: ResourceSuspect[] = [];
  for (const check of ALL_CHECKS) {
    const finding = check(input);
    if (finding === null) continue;
    suspects.push({
      spanId: picked.span.spanId,
      containerId: picked.span.containerId,
      kind: finding.kind,
      message: finding.message,
      evidence: { ...finding.evidence, span: spanEvidence },
    });
  }
  return suspects;
}

export function checkInput(
  picked: PickedSpan,
  context: ContainerContext,
  hostSamples: readonly NeighbourSamples[],
  options: SpanCheckOptions,
): CheckInput {
  const { span } = picked;
  const { container, samples } = context;
  const eventWindow = { startNs: span.startNs - options.sampleIntervalNs, endNs: span.endNs + options.sampleIntervalNs };
  // No samples still leaves the events: an empty window lets every sample check find nothing.
  const window = sampleWindow(samples, span.startNs, span.endNs) ?? {
    samples: [], rateSamples: [], startNs: span.startNs, endNs: span.endNs,
  };
  const lastSample = samples[samples.length - 1];
  return {
    span: { spanId: span.spanId, startNs: span.startNs, endNs: span.endNs },
    containerName: container?.name.replace(/^\//, '') || shortId(span.containerId),
    cpuLimitCores: container?.cpuLimit ?? lastSample?.cpuLimitCores ?? null,
    memoryLimitBytes: container?.memoryLimitBytes ?? null,
    window,
    events: context.events.filter((e) => e.timeNs >= eventWindow.startNs && e.timeNs <= eventWindow.endNs),
    eventWindow,
    earlierEvents: context.events.filter((e) => e.timeNs < eventWindow.startNs),
    neighbours: hostSamples.filter((n) => n.containerId !== span.containerId),
    hostCpuCores: options.hostCpuCores,
    sampleIntervalNs: options.sampleIntervalNs,
    thresholds: options.thresholds,
  };
}

function spanSummary({ span, why }: PickedSpan): { [key: string]: AttributeValue } {
  const summary: { [key: string]: AttributeValue } = {
    startNs: span.startNs.toString(),
    endNs: span.endNs.toString(),
    durationMs: round(durationMs(span.startNs, span.endNs), 3),
    checkedBecause: why.reason,
  };
  return { ...summary, ...reasonNumbers(why) };
}

function reasonNumbers(why: PickReason): { [key: string]: AttributeValue } {
  if (why.reason === 'slower_than_p95') return { p95Ms: round(why.p95Ms, 3), baselineSpans: why.baselineSpans };
  if (why.reason === 'slower_than_threshold') return { thresholdMs: why.thresholdMs };
  return {};
}
