import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { RangeBar } from '../../components/RangeBar.js';
import { Empty, ErrorView, Loading } from '../../components/States.js';
import { rangeParams, readRange, resolveRange } from '../../format/time-range.js';
import type { AppLocation } from '../../router/location.js';
import { useTitle } from '../../router/useTitle.js';
import { ContainerRow } from './ContainerRow.js';

/** /containers: every container alive in the range, with state, image, Compose labels, CPU and memory. */
export function ContainersPage({ location }: { location: AppLocation }) {
  useTitle('Containers');
  const [refresh, setRefresh] = useState(0);
  const range = useMemo(() => readRange(location.params), [location.key]);
  const resolved = useMemo(() => resolveRange(range, Date.now()), [range, refresh]);
  const [containers, retry] = useApi(
    async (signal) => (resolved.ok ? api.containers(resolved.window, signal) : { ok: true as const, value: [] }),
    [resolved],
  );
  const [health] = useApi((signal) => api.health(signal), []);
  const dockerDown = health.state === 'ok' && !health.value.docker.connected;
  return (
    <section aria-labelledby="containers-title">
      <h1 id="containers-title">Containers</h1>
      <RangeBar path="/containers" params={{}} range={range} onRefresh={() => setRefresh((n) => n + 1)} />
      {dockerDown && (
        <p class="state state-warning" role="status">
          The collector is not connected to Docker, so it sees no containers now. Give it the Docker socket
          (<code>-v /var/run/docker.sock:/var/run/docker.sock</code>, or <code>DOCKER_HOST</code>) and restart it.
        </p>
      )}
      {!resolved.ok ? (
        <p class="state state-error" role="alert">
          {resolved.message}
        </p>
      ) : containers.state === 'loading' ? (
        <Loading what="containers" />
      ) : containers.state === 'error' ? (
        <ErrorView what="containers" failure={containers.failure} onRetry={retry} />
      ) : containers.value.length === 0 ? (
        <Empty title="No container was running in this time range.">
          <p>The collector lists the containers of the Docker engine it is connected to; widen the range to see stopped ones.</p>
        </Empty>
      ) : (
        <table class="list" aria-label="Containers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Image</th>
              <th scope="col">Compose project / service</th>
              <th scope="col">CPU</th>
              <th scope="col">Memory</th>
            </tr>
          </thead>
          <tbody>
            {containers.value.map((c) => (
              <ContainerRow key={c.id} container={c} window={resolved.window} rangeParams={rangeParams(range)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
