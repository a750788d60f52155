import type { ChartConfiguration, ChartEvent } from 'chart.js';
import type { TimeWindow } from '../api/endpoints.js';
import type { ChartTheme } from '../format/chart-theme.js';
import { formatClock } from '../format/units.js';
import type { Point } from './resource-series.js';

export interface LineSeries {
  label: string;
  points: Point[];
  color: string;
  /** A limit drawn dashed, without points. */
  limit?: boolean;
}

export interface LineSpec {
  series: LineSeries[];
  window: TimeWindow;
  formatY: (value: number) => string;
  theme: ChartTheme;
  /** The time under the pointer, for the waterfall to highlight the spans running then. */
  onHoverTime?: (timeMs: number) => void;
}

const TICKS_X_MAX = 6;
const TICKS_Y_MAX = 4;
const POINT_RADIUS_PX = 1.5;

/**
 * A time-series line chart over a fixed window (every chart of a trace shares it, so their
 * x axes line up). Points are {x: ms since the epoch, y}; parsing is off as the data is
 * already in chart.js' internal format, which keeps large series cheap.
 */
export function lineConfig(spec: LineSpec): ChartConfiguration<'line', Point[]> {
  const { theme } = spec;
  return {
    type: 'line',
    data: {
      datasets: spec.series.map((s) => ({
        label: s.label,
        data: s.points,
        borderColor: s.color,
        backgroundColor: s.color,
        borderWidth: s.limit === true ? 1.5 : 1.75,
        borderDash: s.limit === true ? [6, 4] : [],
        pointRadius: s.limit === true ? 0 : POINT_RADIUS_PX,
        pointHoverRadius: s.limit === true ? 0 : 4,
        spanGaps: false,
        stepped: s.limit === true ? 'before' : false,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: spec.window.startMs,
          max: spec.window.endMs,
          ticks: { color: theme.text, maxTicksLimit: TICKS_X_MAX, callback: (v) => formatClock(Number(v)).slice(0, 8) },
          grid: { color: theme.grid },
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          ticks: { color: theme.text, maxTicksLimit: TICKS_Y_MAX, callback: (v) => spec.formatY(Number(v)) },
          grid: { color: theme.grid },
        },
      },
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: theme.text, boxWidth: 12, boxHeight: 2 } },
        tooltip: {
          callbacks: {
            title: (items) => formatClock(items[0]?.parsed.x ?? 0),
            label: (item) => `${item.dataset.label ?? ''}: ${item.parsed.y === null ? '—' : spec.formatY(item.parsed.y)}`,
          },
        },
      },
      onHover: (event: ChartEvent, _elements, chart) => {
        if (spec.onHoverTime === undefined || event.x === null) return;
        const timeMs = chart.scales.x?.getValueForPixel(event.x);
        if (timeMs !== undefined) spec.onHoverTime(timeMs);
      },
    },
  };
}
