import { useMemo } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { LogLines } from '../../components/LogLines.js';
import { Empty, ErrorView, Loading, NoDataHelp } from '../../components/States.js';
import { resolveRange } from '../../format/time-range.js';
import type { AppLocation } from '../../router/location.js';
import { useTitle } from '../../router/useTitle.js';
import { LogForm } from './LogForm.js';
import { readLogFilters, toLogSearch } from './log-filters.js';

/** /logs: log records by service, container, severity, text, trace and time; trace ids link to traces. */
export function LogsPage({ location }: { location: AppLocation }) {
  useTitle('Logs');
  const filters = useMemo(() => readLogFilters(location.params), [location.key]);
  const request = useMemo(() => {
    const range = resolveRange(filters.range, Date.now());
    return range.ok ? toLogSearch(filters, range.window) : range;
  }, [filters]);
  const timeWindow = request.ok ? request.search : { startMs: Date.now() - 3_600_000, endMs: Date.now() };
  const [services] = useApi((signal) => api.services(timeWindow, signal), [location.key]);
  const [containers] = useApi((signal) => api.containers(timeWindow, signal), [location.key]);
  const [logs, retry] = useApi(
    async (signal) => (request.ok ? api.logs(request.search, signal) : { ok: true as const, value: [] }),
    [location.key],
  );
  return (
    <section aria-labelledby="logs-title">
      <h1 id="logs-title">Logs</h1>
      <LogForm
        key={location.key}
        initial={filters}
        services={services.state === 'ok' ? services.value : []}
        containers={containers.state === 'ok' ? containers.value : []}
      />
      {!request.ok ? (
        <p class="state state-error" role="alert">
          {request.message}
        </p>
      ) : logs.state === 'loading' ? (
        <Loading what="logs" />
      ) : logs.state === 'error' ? (
        <ErrorView what="logs" failure={logs.failure} onRetry={retry} />
      ) : logs.value.length === 0 ? (
        <Empty title="No log record matches in this time range.">
          {services.state === 'ok' && services.value.length === 0 ? (
            <NoDataHelp />
          ) : (
            <p>Widen the time range, lower the minimum severity or remove a filter.</p>
          )}
        </Empty>
      ) : (
        <>
          <p class="muted" role="status">
            {logs.value.length} record{logs.value.length === 1 ? '' : 's'}
            {logs.value.length === request.search.limit ? ' (the limit; narrow the filters to see the rest)' : ''}
          </p>
          <LogLines logs={logs.value} showTraceLinks label="Log records" />
        </>
      )}
    </section>
  );
}
