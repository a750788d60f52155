import { useMemo, useRef } from 'preact/hooks';
import type { TimeWindow } from '../api/endpoints.js';
import { chartTheme } from '../format/chart-theme.js';
import { lineColor } from '../format/service-colors.js';
import { ChartCanvas } from './ChartCanvas.js';
import { lineConfig } from './line-config.js';
import type { Overlay } from './overlay.js';
import { describeSeries, type Point } from './resource-series.js';

export interface ChartLine {
  label: string;
  points: Point[];
}

interface Props {
  title: string;
  /** Built with useMemo by the caller: a new array rebuilds the chart. */
  lines: readonly ChartLine[];
  window: TimeWindow;
  format: (value: number) => string;
  heightPx: number;
  overlay?: Overlay;
  onHoverTime?: (timeMs: number | undefined) => void;
}

/**
 * A metric's lines over a fixed window (the x axis is the window even where points lie
 * beyond it, so that charts side by side line up). The text alternative says each line's
 * max and last value.
 */
export function MetricChart({ title, lines, window, format, heightPx, overlay, onHoverTime }: Props) {
  const theme = useMemo(chartTheme, []);
  const hoverRef = useRef(onHoverTime);
  hoverRef.current = onHoverTime;
  const config = useMemo(
    () =>
      lineConfig({
        series: lines.map((line, i) => ({ label: line.label, points: line.points, color: lineColor(i) })),
        window,
        formatY: format,
        theme,
        onHoverTime: (t) => hoverRef.current?.(t),
      }),
    // The window is compared by value: a new object for the same window must not rebuild the chart.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lines, window.startMs, window.endMs, format, theme],
  );
  const label = `${title}: ${lines.map((l) => `${l.label} ${describeSeries(l.points, format)}`).join('; ')}`;
  return <ChartCanvas config={config} overlay={overlay} label={label} heightPx={heightPx} onPointerLeave={() => hoverRef.current?.(undefined)} />;
}
