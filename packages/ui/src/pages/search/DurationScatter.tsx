import type { ChartConfiguration, ChartEvent, ActiveElement } from 'chart.js';
import { useMemo } from 'preact/hooks';
import type { TimeWindow } from '../../api/endpoints.js';
import type { WireTraceSummary } from '../../api/wire.js';
import { ChartCanvas } from '../../charts/ChartCanvas.js';
import { chartTheme } from '../../format/chart-theme.js';
import { formatClock, formatDurationMs, nsToMs } from '../../format/units.js';
import { navigate } from '../../router/location.js';

const HEIGHT_PX = 180;
const POINT_RADIUS_PX = 4;

interface Point {
  x: number;
  y: number;
  traceId: string;
  title: string;
}

/** Duration over start time, one point per trace; clicking a point opens that trace. */
/** x spans the searched window, so that where the points sit says when in it they happened. */
export function DurationScatter({ traces, window }: { traces: readonly WireTraceSummary[]; window: TimeWindow }) {
  const config = useMemo((): ChartConfiguration<'scatter', Point[]> => {
    const theme = chartTheme();
    const point = (t: WireTraceSummary): Point => ({
      x: nsToMs(t.startNs),
      y: t.durationMs,
      traceId: t.traceId,
      title: `${t.rootService}: ${t.rootName}`,
    });
    const ok = traces.filter((t) => t.errorCount === 0).map(point);
    const failed = traces.filter((t) => t.errorCount > 0).map(point);
    const pointAt = (elements: ActiveElement[]): Point | undefined => {
      const hit = elements[0];
      return hit === undefined ? undefined : (hit.datasetIndex === 0 ? ok : failed)[hit.index];
    };
    return {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'OK', data: ok, backgroundColor: theme.series[0], pointRadius: POINT_RADIUS_PX },
          { label: 'With errors', data: failed, backgroundColor: theme.error, pointRadius: POINT_RADIUS_PX, pointStyle: 'triangle' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', min: window.startMs, max: window.endMs, ticks: { color: theme.text, callback: (v) => formatClock(Number(v)).slice(0, 8), maxTicksLimit: 8 }, grid: { color: theme.grid } },
          y: {
            type: 'linear',
            beginAtZero: true,
            title: { display: true, text: 'duration', color: theme.text },
            ticks: { color: theme.text, callback: (v) => formatDurationMs(Number(v)) },
            grid: { color: theme.grid },
          },
        },
        plugins: {
          legend: { labels: { color: theme.text } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const p = (item.datasetIndex === 0 ? ok : failed)[item.dataIndex];
                return p === undefined ? '' : `${p.title} — ${formatDurationMs(p.y)} at ${formatClock(p.x)}`;
              },
            },
          },
        },
        onHover: (event: ChartEvent, elements: ActiveElement[]) => {
          const target = event.native?.target;
          if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 ? 'pointer' : 'default';
        },
        onClick: (_event: ChartEvent, elements: ActiveElement[]) => {
          const p = pointAt(elements);
          if (p !== undefined) navigate(`/traces/${p.traceId}`);
        },
      },
    };
  }, [traces, window]);
  return (
    <ChartCanvas
      config={config}
      heightPx={HEIGHT_PX}
      label={`Duration over time of ${traces.length} traces; each point opens its trace. The list below has the same traces.`}
    />
  );
}
