import type { Interval } from '../../charts/overlay.js';

/**
 * What the pointer is on, shared by the waterfall and the resource charts of a trace:
 * a span (its interval is highlighted on its container's charts) or a time on one
 * container's chart (the spans of that container running then are highlighted).
 */
export interface HoverState {
  spanIndex?: number;
  containerId?: string;
  timeMs?: number;
}

/** A suspect's evidence on its container's charts: the window it looked at and its sample points. */
export interface ChartFocus {
  containerId: string;
  label: string;
  /** Where "show on the charts" points: the last evidence point, else the window's middle. */
  timeMs: number;
  window?: Interval;
  pointsMs: number[];
}
