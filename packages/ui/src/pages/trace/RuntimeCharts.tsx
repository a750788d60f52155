import { useMemo } from 'preact/hooks';
import { api, type TimeWindow } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { MetricChart } from '../../charts/MetricChart.js';
import type { Interval, Overlay } from '../../charts/overlay.js';
import { Loading } from '../../components/States.js';
import { chartTheme } from '../../format/chart-theme.js';
import { drawnPointCount } from '../metrics/metric-lines.js';
import { runtimePanel, type RuntimePanel, type RuntimePanelSpec } from './runtime-series.js';
import { runtimeQueryWindow } from './useRuntimeCatalog.js';

const CHART_HEIGHT_PX = 130;
interface Props {
  service: string;
  /** Where the trace's spans of this service ran; null: not known (all of its series). */
  containerId: string | null;
  plan: readonly RuntimePanelSpec[];
  window: TimeWindow;
  intervals: readonly Interval[];
  highlight?: Interval;
  cursorMs?: number;
  containerNames: ReadonlyMap<string, string>;
  onHoverTime?: (timeMs: number | undefined) => void;
}

/** A service's own event-loop delay, heap, GC time and CPU, on the same time axis as its container's charts. */
export function RuntimeCharts(props: Props) {
  const { service, containerId, plan, window } = props;
  const query = runtimeQueryWindow(window);
  const key = `${service}:${containerId ?? ''}:${plan.map((p) => p.metric).join(',')}:${window.startMs}:${window.endMs}`;
  // One request per chart, all at once; each answer stands alone (a failed one hides its chart).
  const [answers] = useApi(
    async (signal) => ({
      ok: true as const,
      value: await Promise.all(plan.map((spec) => api.metricSeries({ name: spec.metric, service, containerId: containerId ?? undefined, ...query }, signal))),
    }),
    [key],
  );
  const theme = useMemo(chartTheme, []);
  const panels = useMemo((): RuntimePanel[] => {
    if (answers.state !== 'ok') return [];
    return plan.flatMap((spec, i) => {
      const answer = answers.value[i];
      return answer?.ok === true ? [runtimePanel(spec, answer.value, props.containerNames)] : [];
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answers, props.containerNames]);
  const overlay = useMemo(
    (): Overlay => ({
      intervals: props.intervals,
      highlight: props.highlight,
      markers: [],
      cursorMs: props.cursorMs,
      colors: { shade: theme.shade, highlight: theme.highlight, marker: theme.marker, danger: theme.error, focus: theme.focus, text: theme.text },
    }),
    [props.intervals, props.highlight, props.cursorMs, theme],
  );

  if (answers.state === 'loading') return <Loading what={`the runtime metrics of ${service}`} />;
  const shown = panels.map((panel) => ({ panel, drawn: drawnPointCount(panel.lines, window) })).filter((p) => p.drawn > 0);
  const where = containerId === null ? '' : ' in this container';
  if (shown.length === 0) {
    return (
      <p class="muted runtime-hint" role="status" data-testid="runtime-empty" data-service={service}>
        {service} reports runtime metrics, but none{where} around this trace (they are exported every 60 s by default).
      </p>
    );
  }
  return (
    <div class="runtime" data-testid="runtime-charts" data-service={service} data-container-id={containerId ?? undefined}>
      <h4>
        {service} runtime <span class="muted small">(its own metrics{where})</span>
      </h4>
      <div class="chart-grid">
        {shown.map(({ panel, drawn }) => (
          <figure key={panel.spec.id} class="chart-cell" data-runtime-metric={panel.spec.metric} data-points={drawn}>
            <figcaption>{panel.spec.title}</figcaption>
            <MetricChart
              title={`${service} ${panel.spec.title}`}
              lines={panel.lines}
              window={window}
              format={panel.format}
              heightPx={CHART_HEIGHT_PX}
              overlay={overlay}
              onHoverTime={props.onHoverTime}
            />
          </figure>
        ))}
      </div>
    </div>
  );
}
