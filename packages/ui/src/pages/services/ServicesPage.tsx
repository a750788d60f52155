import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { RangeBar } from '../../components/RangeBar.js';
import { Empty, ErrorView, Loading, NoDataHelp } from '../../components/States.js';
import { readRange, resolveRange, rangeParams } from '../../format/time-range.js';
import { href, type AppLocation } from '../../router/location.js';
import { useTitle } from '../../router/useTitle.js';
import { ServiceMapView } from './ServiceMapView.js';
import { ServiceTable } from './ServiceTable.js';

/** /services: the service map and per-service latency and errors; a service opens its search. */
export function ServicesPage({ location }: { location: AppLocation }) {
  useTitle('Services');
  const [refresh, setRefresh] = useState(0);
  const range = useMemo(() => readRange(location.params), [location.key]);
  const resolved = useMemo(() => resolveRange(range, Date.now()), [range, refresh]);
  const timeWindow = resolved.ok ? resolved.window : undefined;
  const [map, retry] = useApi(
    async (signal) => (timeWindow === undefined ? { ok: true as const, value: { nodes: [], edges: [] } } : api.serviceMap(timeWindow, signal)),
    [location.key, refresh],
  );
  const searchHref = (service: string): string => href('/search', { service, ...rangeParams(range) });
  const metricsHref = (service: string): string => href('/metrics', { service, ...rangeParams(range) });
  return (
    <section aria-labelledby="services-title">
      <h1 id="services-title">Services</h1>
      <RangeBar path="/services" params={{}} range={range} onRefresh={() => setRefresh((n) => n + 1)} />
      {!resolved.ok ? (
        <p class="state state-error" role="alert">
          {resolved.message}
        </p>
      ) : map.state === 'loading' ? (
        <Loading what="services" />
      ) : map.state === 'error' ? (
        <ErrorView what="the service map" failure={map.failure} onRetry={retry} />
      ) : map.value.nodes.length === 0 ? (
        <Empty title="No service sent spans in this time range.">
          <NoDataHelp />
        </Empty>
      ) : (
        <>
          <div class="map-scroll">
            <ServiceMapView map={map.value} window={resolved.window} searchHref={searchHref} />
          </div>
          <ServiceTable services={map.value.nodes} searchHref={searchHref} metricsHref={metricsHref} />
        </>
      )}
    </section>
  );
}
