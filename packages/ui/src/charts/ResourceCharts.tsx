import type { ComponentChildren } from 'preact';
import { useMemo, useRef } from 'preact/hooks';
import { api, type TimeWindow } from '../api/endpoints.js';
import { useApi } from '../api/useApi.js';
import type { WireContainerEvent, WireSample } from '../api/wire.js';
import { ErrorView, Loading } from '../components/States.js';
import { chartTheme } from '../format/chart-theme.js';
import { formatBytes, formatBytesPerSecond, formatDateTime, formatPercent } from '../format/units.js';
import { ChartCanvas } from './ChartCanvas.js';
import { lineConfig, type LineSeries } from './line-config.js';
import type { Interval, Marker, Overlay } from './overlay.js';
import { describeSeries, resourceSeries } from './resource-series.js';

const CHART_HEIGHT_PX = 130;
/** Container events that end or break the process, drawn in the danger colour. */
const DANGER_ACTIONS = new Set(['die', 'oom', 'kill', 'restart']);

export interface ResourceChartsProps {
  containerId: string;
  /** The container's Docker host (its metadata), when known: ids are unique per host only. */
  host?: string;
  cpuLimit: number | null;
  /** The container's memory limit from its metadata; null: none (or unknown), no limit line. */
  memoryLimitBytes: number | null;
  window: TimeWindow;
  /** Spans that ran in this container: shaded. */
  intervals: readonly Interval[];
  highlight?: Interval;
  /** A suspect's evidence: its window highlighted, its sample points marked. */
  focus?: { label: string; timeMs: number; window?: Interval; pointsMs: readonly number[] };
  cursorMs?: number;
  onHoverTime?: (timeMs: number | undefined) => void;
  /** Shown right under the charts, before the event list (the services' runtime charts). */
  children?: ComponentChildren;
}

interface Panel {
  title: string;
  series: LineSeries[];
  format: (v: number) => string;
}

function panels(samples: readonly WireSample[], p: ResourceChartsProps, colors: readonly string[], limitColor: string): Panel[] {
  const s = resourceSeries(samples, p.cpuLimit, p.memoryLimitBytes);
  const [a = '#4e79a7', b = '#f28e2b'] = colors;
  const cpu: LineSeries[] = [{ label: 'CPU', points: s.cpuPercent, color: a }];
  if (s.cpuLimitPercent.some((pt) => pt.y !== null)) cpu.push({ label: 'limit', points: s.cpuLimitPercent, color: limitColor, limit: true });
  const memory: LineSeries[] = [{ label: 'memory', points: s.memoryBytes, color: a }];
  // Samples of a container without a limit carry the host's memory as one (docker stats does
  // the same); drawn, it would flatten the usage to a line at zero. Only a real limit is drawn.
  if (p.memoryLimitBytes !== null && s.memoryLimitBytes.some((pt) => pt.y !== null)) memory.push({ label: 'limit', points: s.memoryLimitBytes, color: limitColor, limit: true });
  return [
    { title: 'CPU %', series: cpu, format: formatPercent },
    { title: 'CPU throttled (ms per s)', series: [{ label: 'throttled', points: s.throttledMsPerS, color: a }], format: (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms/s` },
    { title: 'Memory', series: memory, format: formatBytes },
    {
      title: 'Network',
      series: [
        { label: 'rx', points: s.netRxBytesPerS, color: a },
        { label: 'tx', points: s.netTxBytesPerS, color: b },
      ],
      format: formatBytesPerSecond,
    },
    {
      title: 'Block I/O',
      series: [
        { label: 'read', points: s.blkReadBytesPerS, color: a },
        { label: 'write', points: s.blkWriteBytesPerS, color: b },
      ],
      format: formatBytesPerSecond,
    },
  ];
}

function markersOf(events: readonly WireContainerEvent[], focus: ResourceChartsProps['focus']): Marker[] {
  const markers: Marker[] = events.map((e) => ({ t: e.t, label: e.action, tone: DANGER_ACTIONS.has(e.action) ? 'danger' : 'event' }));
  if (focus !== undefined) {
    const points = focus.pointsMs.length > 0 ? focus.pointsMs : [focus.timeMs];
    points.forEach((t, i) => markers.push({ t, label: i === points.length - 1 ? `⚠ ${focus.label}` : '', tone: 'focus' }));
  }
  return markers;
}

/** One container's chart set: CPU (with limit), throttling, memory (with limit), network, block I/O. */
export function ResourceCharts(props: ResourceChartsProps) {
  const { containerId, host, window } = props;
  const key = `${host ?? ''}:${containerId}:${window.startMs}:${window.endMs}`;
  const [samples, retrySamples] = useApi((signal) => api.samples({ id: containerId, host }, window, signal), [key]);
  const [events] = useApi((signal) => api.containerEvents({ id: containerId, host }, window, signal), [key]);
  const hoverRef = useRef(props.onHoverTime);
  hoverRef.current = props.onHoverTime;
  const theme = useMemo(chartTheme, []);
  const sampleList = samples.state === 'ok' ? samples.value : undefined;
  const eventList = events.state === 'ok' ? events.value : [];

  const charts = useMemo(() => {
    if (sampleList === undefined) return [];
    return panels(sampleList, props, theme.series, theme.limit).map((panel) => ({
      panel,
      config: lineConfig({ series: panel.series, window, formatY: panel.format, theme, onHoverTime: (t) => hoverRef.current?.(t) }),
    }));
    // Rebuilt only when the data or window changes; hover state goes through the overlay.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sampleList, key]);

  const overlay = useMemo(
    (): Overlay => ({
      intervals: props.intervals,
      highlight: props.highlight ?? props.focus?.window,
      markers: markersOf(eventList, props.focus),
      cursorMs: props.cursorMs,
      colors: { shade: theme.shade, highlight: theme.highlight, marker: theme.marker, danger: theme.error, focus: theme.focus, text: theme.text },
    }),
    [props.intervals, props.highlight, eventList, props.focus, props.cursorMs, theme],
  );

  if (samples.state === 'loading') return <Loading what="resource samples" />;
  if (samples.state === 'error') return <ErrorView what="resource samples" failure={samples.failure} onRetry={retrySamples} />;
  return (
    <>
      {samples.value.length === 0 && (
        <p class="muted" role="status">
          No resource samples of this container in this window. Samples are taken while the collector is connected to Docker
          and the container runs.
        </p>
      )}
      {/* The overlay is canvas pixels; these attributes let a test (and a curious person) read it. */}
      <div
        class="chart-grid"
        data-testid="resource-charts"
        data-container-id={containerId}
        data-samples={samples.value.length}
        data-shaded-intervals={props.intervals.length}
        data-highlight={overlay.highlight === undefined ? undefined : `${overlay.highlight.startMs}-${overlay.highlight.endMs}`}
        data-focus={props.focus === undefined ? undefined : props.focus.timeMs}
      >
        {charts.map(({ panel, config }) => (
          <figure key={panel.title} class="chart-cell">
            <figcaption>{panel.title}</figcaption>
            <ChartCanvas
              config={config}
              overlay={overlay}
              heightPx={CHART_HEIGHT_PX}
              label={`${panel.title}: ${panel.series.map((s) => `${s.label} ${describeSeries(s.points, panel.format)}`).join('; ')}`}
              onPointerLeave={() => hoverRef.current?.(undefined)}
            />
          </figure>
        ))}
      </div>
      {props.children}
      {eventList.length > 0 && (
        <ul class="container-events" aria-label="Container events">
          {eventList.map((e, i) => (
            <li key={i} class={DANGER_ACTIONS.has(e.action) ? 'error-text' : undefined}>
              {formatDateTime(e.t)} — {e.action}
              {Object.keys(e.attributes).length > 0 ? ` (${Object.entries(e.attributes).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
