import { useMemo } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { Empty, ErrorView, Loading, NoDataHelp } from '../../components/States.js';
import { resolveRange } from '../../format/time-range.js';
import type { AppLocation } from '../../router/location.js';
import { useTitle } from '../../router/useTitle.js';
import { DurationScatter } from './DurationScatter.js';
import { readSearchFilters, toTraceSearch } from './search-filters.js';
import { SearchForm } from './SearchForm.js';
import { TraceList } from './TraceList.js';

/** /search: filters, a duration-over-time scatter and the list of matching traces. */
export function SearchPage({ location }: { location: AppLocation }) {
  useTitle('Search traces');
  const filters = useMemo(() => readSearchFilters(location.params), [location.key]);
  // A relative range ("last hour") means the hour before the URL was opened or submitted.
  const request = useMemo(() => {
    const range = resolveRange(filters.range, Date.now());
    return range.ok ? toTraceSearch(filters, range.window) : range;
  }, [filters]);
  const timeWindow = request.ok ? request.search : { startMs: Date.now() - 3_600_000, endMs: Date.now() };
  const [services] = useApi((signal) => api.services(timeWindow, signal), [location.key]);
  const [traces, retry] = useApi(
    async (signal) => (request.ok ? api.traces(request.search, signal) : { ok: true as const, value: [] }),
    [location.key],
  );
  const serviceList = services.state === 'ok' ? services.value : [];

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search traces</h1>
      <SearchForm key={location.key} initial={filters} services={serviceList} />
      {!request.ok ? (
        <p class="state state-error" role="alert">
          {request.message}
        </p>
      ) : traces.state === 'loading' ? (
        <Loading what="traces" />
      ) : traces.state === 'error' ? (
        <ErrorView what="traces" failure={traces.failure} onRetry={retry} />
      ) : traces.value.length === 0 ? (
        services.state === 'ok' && services.value.length === 0 ? (
          <Empty title="No service sent any span in this time range.">
            <NoDataHelp />
          </Empty>
        ) : (
          <Empty title="No trace matches these filters.">
            <p>Widen the time range, remove a filter, or lower the minimum duration.</p>
          </Empty>
        )
      ) : (
        <>
          <p class="muted" role="status">
            {traces.value.length} trace{traces.value.length === 1 ? '' : 's'}
            {traces.value.length === request.search.limit ? ' (the limit; narrow the filters or raise the limit to see more)' : ''}
          </p>
          <DurationScatter traces={traces.value} window={request.search} />
          <TraceList traces={traces.value} />
        </>
      )}
    </section>
  );
}
