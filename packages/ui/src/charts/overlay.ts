import type { Chart, Plugin } from 'chart.js';

/**
 * What a resource chart draws besides its lines: the intervals of the spans that ran in the
 * container (shaded), the span under the pointer in the waterfall (highlighted), container
 * events (restart, OOM, die) and a focused time (a suspect's evidence) as vertical markers.
 * Kept per chart in a WeakMap and drawn by one plugin, so that hovering a span only redraws
 * the canvas (chart.draw()) instead of rebuilding the chart.
 */
export interface Interval {
  startMs: number;
  endMs: number;
}

export interface Marker {
  t: number;
  label: string;
  tone: 'event' | 'danger' | 'focus';
}

export interface Overlay {
  intervals: readonly Interval[];
  highlight?: Interval;
  markers: readonly Marker[];
  /** A time pointed at on another chart: a thin line, so that all charts read together. */
  cursorMs?: number;
  colors: { shade: string; highlight: string; marker: string; danger: string; focus: string; text: string };
}

const overlays = new WeakMap<Chart, Overlay>();
/** A span of 50 µs in a 60 s window would vanish; it keeps this width at least. */
const MIN_SHADE_PX = 2;
const LABEL_FONT = '11px system-ui, sans-serif';

export function setOverlay(chart: Chart, overlay: Overlay): void {
  overlays.set(chart, overlay);
}

function xOf(chart: Chart, ms: number): number {
  return chart.scales.x?.getPixelForValue(ms) ?? 0;
}

function shade(chart: Chart, interval: Interval, color: string): void {
  const { ctx, chartArea } = chart;
  const left = Math.max(chartArea.left, xOf(chart, interval.startMs));
  const right = Math.min(chartArea.right, xOf(chart, interval.endMs));
  if (right < chartArea.left || left > chartArea.right) return;
  ctx.fillStyle = color;
  ctx.fillRect(left, chartArea.top, Math.max(MIN_SHADE_PX, right - left), chartArea.bottom - chartArea.top);
}

const LABEL_ROW_PX = 12;
const LABEL_ROWS = 3;
const LABEL_GAP_PX = 4;

/** Where each label row is free again (x in px), so that close markers stack their labels. */
type LabelRows = number[];

function verticalLine(chart: Chart, ms: number, color: string, dash: number[], label?: string, rows?: LabelRows): void {
  const { ctx, chartArea } = chart;
  const x = xOf(chart, ms);
  if (x < chartArea.left || x > chartArea.right) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(x, chartArea.top);
  ctx.lineTo(x, chartArea.bottom);
  ctx.stroke();
  if (label !== undefined && label !== '') {
    ctx.font = LABEL_FONT;
    ctx.fillStyle = color;
    ctx.textBaseline = 'top';
    const widthPx = ctx.measureText(label).width;
    const left = Math.min(x + 3, chartArea.right - widthPx);
    const row = rows === undefined ? 0 : rows.findIndex((freeAt) => freeAt <= left);
    // With every row taken, a label would only cover another: the line alone marks the time.
    if (row !== -1) {
      if (rows !== undefined) rows[row] = left + widthPx + LABEL_GAP_PX;
      ctx.fillText(label, left, chartArea.top + 2 + row * LABEL_ROW_PX);
    }
  }
  ctx.restore();
}

export const overlayPlugin: Plugin = {
  id: 'tracedockOverlay',
  beforeDatasetsDraw(chart) {
    const overlay = overlays.get(chart);
    if (overlay === undefined) return;
    chart.ctx.save();
    for (const interval of overlay.intervals) shade(chart, interval, overlay.colors.shade);
    if (overlay.highlight !== undefined) shade(chart, overlay.highlight, overlay.colors.highlight);
    chart.ctx.restore();
  },
  afterDatasetsDraw(chart) {
    const overlay = overlays.get(chart);
    if (overlay === undefined) return;
    const rows: LabelRows = new Array<number>(LABEL_ROWS).fill(-Infinity);
    const byTime = [...overlay.markers].sort((a, b) => a.t - b.t);
    for (const marker of byTime) {
      const color = marker.tone === 'danger' ? overlay.colors.danger : marker.tone === 'focus' ? overlay.colors.focus : overlay.colors.marker;
      verticalLine(chart, marker.t, color, marker.tone === 'focus' ? [] : [4, 3], marker.label, rows);
    }
    if (overlay.cursorMs !== undefined) verticalLine(chart, overlay.cursorMs, overlay.colors.text, [2, 2]);
  },
};
