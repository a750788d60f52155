import type { Interval } from '../../charts/overlay.js';
import type { TimeWindow } from '../../api/endpoints.js';
import type { TraceModel } from './model.js';

/** Resource charts show the trace with this much around it: samples come every second or so. */
const PAD_MIN_MS = 15_000;
const PAD_RATIO = 0.5;

export function paddedWindow(model: TraceModel): TimeWindow {
  const padMs = Math.max(PAD_MIN_MS, model.durationMs * PAD_RATIO);
  return { startMs: model.startMs - padMs, endMs: model.startMs + model.durationMs + padMs };
}

/**
 * The time a container was busy with this trace: the intervals of its spans, merged where
 * they overlap, so that 5,000 spans shade as a few rectangles.
 */
export function containerIntervals(model: TraceModel, containerId: string): Interval[] {
  return spanIntervals(model, (r) => r.span.containerId === containerId);
}

/** The merged intervals of the spans that `pick` selects (a service's spans, a container's). */
export function spanIntervals(model: TraceModel, pick: (row: TraceModel['rows'][number]) => boolean): Interval[] {
  const intervals = model.rows
    .filter(pick)
    .map((r) => ({ startMs: r.startMs, endMs: r.endMs }))
    .sort((a, b) => a.startMs - b.startMs);
  const merged: Interval[] = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.startMs <= last.endMs) last.endMs = Math.max(last.endMs, interval.endMs);
    else merged.push({ ...interval });
  }
  return merged;
}
