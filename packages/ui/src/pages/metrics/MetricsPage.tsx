import { useMemo, useState } from 'preact/hooks';
import { api, METRICS_LIST_LIMIT, type TimeWindow } from '../../api/endpoints.js';
import { useApi, type Loadable } from '../../api/useApi.js';
import type { WireMetricSummary } from '../../api/wire.js';
import { RangeBar } from '../../components/RangeBar.js';
import { Empty, ErrorView, Loading } from '../../components/States.js';
import { resolveRange } from '../../format/time-range.js';
import { Link } from '../../router/Link.js';
import { navigate, type AppLocation } from '../../router/location.js';
import { useTitle } from '../../router/useTitle.js';
import { MetricDetail } from './MetricDetail.js';
import { MetricList } from './MetricList.js';
import { metricQuery, metricsHref, readMetricParams, type MetricParams } from './metric-params.js';
import { NoMetricsHelp } from './NoMetricsHelp.js';

/**
 * /metrics?service=S&metric=NAME: a service's instruments (name, type, unit, description,
 * points, last seen) and the chart of the one selected, split by its attribute values.
 */
export function MetricsPage({ location }: { location: AppLocation }) {
  const params = useMemo(() => readMetricParams(location.params), [location.key]);
  useTitle(params.service === '' ? 'Metrics' : `Metrics of ${params.service}`);
  const [refresh, setRefresh] = useState(0);
  // By value: picking a metric or an attribute is a navigation too, and must not move a relative range (and refetch).
  const rangeKey = `${params.range.id}|${params.range.start ?? ''}|${params.range.end ?? ''}`;
  const resolved = useMemo(() => resolveRange(params.range, Date.now()), [rangeKey, refresh]);
  const timeWindow = resolved.ok ? resolved.window : undefined;
  // Every service's metrics, for the service picker (a service may send metrics and no spans).
  const [all, retryAll] = useApi(
    async (signal) => (timeWindow === undefined ? { ok: true as const, value: [] } : api.metrics({ ...timeWindow, limit: METRICS_LIST_LIMIT }, signal)),
    [rangeKey, refresh],
  );
  const services = useMemo(() => {
    const names = new Set((all.state === 'ok' ? all.value : []).map((m) => m.service));
    if (params.service !== '') names.add(params.service);
    return [...names].sort();
  }, [all, params.service]);
  const go = (next: Partial<MetricParams>): void => navigate(metricsHref({ ...params, ...next }), { replace: true });

  return (
    <section aria-labelledby="metrics-title">
      <h1 id="metrics-title">Metrics{params.service !== '' && <span class="muted"> · {params.service}</span>}</h1>
      <RangeBar path="/metrics" params={metricQuery(params)} range={params.range} onRefresh={() => setRefresh((n) => n + 1)}>
        <label>
          Service
          <select value={params.service} onChange={(e) => go({ service: e.currentTarget.value, metric: '', filters: {} })}>
            <option value="">Pick a service…</option>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </RangeBar>
      {!resolved.ok ? (
        <p class="state state-error" role="alert">
          {resolved.message}
        </p>
      ) : params.service === '' ? (
        <ServiceChoice all={all} onRetry={retryAll} params={params} />
      ) : (
        <ServiceMetrics params={params} window={resolved.window} refresh={refresh} onFilters={(filters) => go({ filters })} />
      )}
    </section>
  );
}

function ServiceChoice({ all, onRetry, params }: { all: Loadable<WireMetricSummary[]>; onRetry: () => void; params: MetricParams }) {
  if (all.state === 'loading') return <Loading what="metrics" />;
  if (all.state === 'error') return <ErrorView what="metrics" failure={all.failure} onRetry={onRetry} />;
  const counts = new Map<string, number>();
  for (const m of all.value) counts.set(m.service, (counts.get(m.service) ?? 0) + 1);
  if (counts.size === 0) {
    return (
      <Empty title="No service sent metrics in this time range.">
        <NoMetricsHelp />
      </Empty>
    );
  }
  return (
    <>
      <p>Pick a service to see its instruments:</p>
      <ul class="service-choice" aria-label="Services with metrics">
      {[...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([service, count]) => (
        <li key={service}>
          <Link to={metricsHref({ ...params, service, metric: '', filters: {} })}>{service}</Link>{' '}
          <span class="muted">
            {count} metric{count === 1 ? '' : 's'}
          </span>
        </li>
      ))}
      </ul>
    </>
  );
}

function ServiceMetrics({ params, window, refresh, onFilters }: { params: MetricParams; window: TimeWindow; refresh: number; onFilters: (f: Record<string, string>) => void }) {
  const { service } = params;
  const [list, retry] = useApi(
    (signal) => api.metrics({ ...window, service, limit: METRICS_LIST_LIMIT }, signal),
    [service, window.startMs, window.endMs, refresh],
  );
  if (list.state === 'loading') return <Loading what={`the metrics of ${service}`} />;
  if (list.state === 'error') return <ErrorView what={`the metrics of ${service}`} failure={list.failure} onRetry={retry} />;
  if (list.value.length === 0) {
    return (
      <Empty title={`${service} sent no metrics in this time range.`}>
        <NoMetricsHelp />
      </Empty>
    );
  }
  const selected = params.metric;
  return (
    <div class="metrics-layout">
      <div class="metrics-list-pane">
        <MetricList metrics={list.value} selected={selected} hrefOf={(metric) => metricsHref({ ...params, metric, filters: {} })} />
      </div>
      <div class="metrics-chart-pane">
        {selected === '' ? (
          <p class="state muted">Pick an instrument to see it over the time range, one line per attribute set.</p>
        ) : (
          <MetricDetail
            key={`${service}:${selected}`}
            service={service}
            name={selected}
            summary={list.value.find((m) => m.name === selected)}
            window={window}
            filters={params.filters}
            onFilters={onFilters}
          />
        )}
      </div>
    </div>
  );
}
