import { useMemo } from 'preact/hooks';
import { api, type TimeWindow } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import type { MetricSeriesResponse, WireMetricSummary } from '../../api/wire.js';
import { MetricChart } from '../../charts/MetricChart.js';
import { Empty, ErrorView, Loading } from '../../components/States.js';
import { formatMetricValue } from '../../format/metric-units.js';
import { AttributeFilters, filterSeries } from './AttributeFilters.js';
import { drawnPointCount, metricLines, seriesLabels, viewDescription, viewOf, type MetricView } from './metric-lines.js';
import { instrumentKind, UnitText } from './MetricList.js';
import { SeriesTable } from './SeriesTable.js';

const CHART_HEIGHT_PX = 300;
/** More lines than this are unreadable on one chart: filter by an attribute to see the rest. */
const LINES_MAX = 30;
const CAPTIONS: Record<MetricView, string> = { value: 'Value', rate: 'Per second', percentiles: 'p50 · p95 · p99 per interval', quantiles: 'Reported quantiles' };

interface Props {
  service: string;
  name: string;
  summary: WireMetricSummary | undefined;
  window: TimeWindow;
  filters: Record<string, string>;
  onFilters: (next: Record<string, string>) => void;
}

/** One metric: its chart over the window, one line per series (and statistic), and their figures. */
export function MetricDetail({ service, name, summary, window, filters, onFilters }: Props) {
  const key = `${service}:${name}:${window.startMs}:${window.endMs}`;
  const [response, retry] = useApi((signal) => api.metricSeries({ name, service, ...window }, signal), [key]);
  const value = response.state === 'ok' ? response.value : undefined;
  const multiContainer = value !== undefined && new Set(value.series.map((s) => s.containerId)).size > 1;
  // Container names only matter when the service ran in more than one.
  const [containers] = useApi(
    async (signal) => (multiContainer ? api.containers(window, signal) : { ok: true as const, value: [] }),
    [key, multiContainer],
  );
  const containerNames = useMemo(
    () => new Map((containers.state === 'ok' ? containers.value : []).map((c) => [c.id, c.name])),
    [containers],
  );

  if (response.state === 'loading') return <Loading what={`the points of ${name}`} />;
  if (response.state === 'error') return <ErrorView what={`the points of ${name}`} failure={response.failure} onRetry={retry} />;
  const metric = response.value.metric;
  if (metric === null) {
    return (
      <Empty title={`${name} has no point in this time range.`}>
        <p>Widen the time range, or check that {service} still exports metrics.</p>
      </Empty>
    );
  }
  return (
    <MetricBody
      service={service}
      name={name}
      summary={summary}
      response={response.value}
      metric={metric}
      window={window}
      filters={filters}
      onFilters={onFilters}
      containerNames={containerNames}
    />
  );
}

type BodyProps = Omit<Props, 'summary'> & {
  summary: WireMetricSummary | undefined;
  response: MetricSeriesResponse;
  metric: NonNullable<MetricSeriesResponse['metric']>;
  containerNames: ReadonlyMap<string, string>;
};

function MetricBody({ name, summary, response, metric, window, filters, onFilters, containerNames }: BodyProps) {
  const view = viewOf(metric);
  const perSecond = view === 'rate';
  const format = useMemo(() => formatMetricValue(metric.unit, perSecond), [metric.unit, perSecond]);
  const shown = useMemo(() => filterSeries(response.series, filters), [response, filters]);
  const { lines, cut } = useMemo(() => {
    const all = metricLines(metric, shown, seriesLabels(shown, { containerNames }));
    return { lines: all.slice(0, LINES_MAX), cut: Math.max(0, all.length - LINES_MAX) };
  }, [metric, shown, containerNames]);
  const drawn = drawnPointCount(lines, window);
  const description = metric.description !== '' ? metric.description : (summary?.description ?? '');
  return (
    <section class="metric-detail" aria-labelledby="metric-title">
      <h2 id="metric-title" class="mono">
        {name}
      </h2>
      <p class="metric-facts">
        {description !== '' && <span>{description}</span>}
        <span class="muted">
          {instrumentKind(metric)} · <UnitText unit={metric.unit} /> · {viewDescription(view)}
        </span>
      </p>
      <AttributeFilters series={response.series} filters={filters} onChange={onFilters} />
      {response.truncated && (
        <p class="state state-warning" role="status">
          More points than the collector returns at once were in this range: the newest are shown. Narrow the time range to see the
          start.
        </p>
      )}
      {cut > 0 && (
        <p class="muted" role="status">
          {cut} more line{cut === 1 ? '' : 's'} not drawn; filter by an attribute to see them.
        </p>
      )}
      {shown.length === 0 ? (
        <Empty title="No series has these attribute values." />
      ) : (
        <figure class="chart-cell metric-chart" data-testid="metric-chart" data-lines={lines.length} data-points={drawn} data-series={shown.length}>
          <figcaption>{CAPTIONS[view]}</figcaption>
          <MetricChart title={name} lines={lines} window={window} format={format} heightPx={CHART_HEIGHT_PX} />
          {drawn === 0 && (
            <p class="muted" role="status">
              {view === 'rate' || view === 'percentiles'
                ? 'Not enough points yet: a rate or an interval needs two consecutive points of the same series.'
                : 'No value in this window.'}
            </p>
          )}
        </figure>
      )}
      {lines.length > 0 && <SeriesTable lines={lines} format={format} />}
    </section>
  );
}
