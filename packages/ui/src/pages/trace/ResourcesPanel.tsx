import { useMemo } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { ResourceCharts } from '../../charts/ResourceCharts.js';
import { Empty } from '../../components/States.js';
import { formatDateTime, shortId } from '../../format/units.js';
import { Link } from '../../router/Link.js';
import type { ChartFocus, HoverState } from './hover.js';
import { containerIntervals, paddedWindow, spanIntervals } from './intervals.js';
import type { TraceModel } from './model.js';
import { RuntimeCharts } from './RuntimeCharts.js';
import { useRuntimeCatalog } from './useRuntimeCatalog.js';
import { runtimePlacement } from './runtime-placement.js';
import { RuntimeHint } from './RuntimeHint.js';
import { resourcesAnchor } from './SuspectList.js';

interface Props {
  model: TraceModel;
  hover: HoverState;
  focus: ChartFocus | undefined;
  onHoverTime: (containerId: string, timeMs: number | undefined) => void;
}

/**
 * What each container that served this trace was doing meanwhile: one chart set per
 * container over the trace window padded on both sides, its spans shaded, the span under
 * the pointer highlighted, its events and the focused suspect point marked.
 */
export function ResourcesPanel({ model, hover, focus, onHoverTime }: Props) {
  const chartWindow = useMemo(() => paddedWindow(model), [model]);
  const intervals = useMemo(() => new Map(model.containerIds.map((id) => [id, containerIntervals(model, id)])), [model]);
  const hovered = hover.spanIndex === undefined ? undefined : model.rows[hover.spanIndex];
  const catalog = useRuntimeCatalog(model.services, chartWindow);
  const plans = catalog.state === 'ok' ? catalog.value : undefined;
  const placement = useMemo(() => runtimePlacement(model), [model]);
  const containerNames = useMemo(() => new Map([...model.containers.values()].map((c) => [c.id, c.name])), [model]);
  const unplaced = (plans === undefined ? [] : placement.withoutContainer).filter((service) => (plans?.get(service)?.length ?? 0) > 0);
  const unplacedIntervals = useMemo(
    () => new Map(placement.withoutContainer.map((service) => [service, spanIntervals(model, (r) => r.span.service === service && r.span.containerId === null)])),
    [model, placement],
  );
  return (
    <section class="resources" aria-labelledby="resources-title" data-testid="resources-panel">
      <h2 id="resources-title">Resources</h2>
      <p class="muted">
        {formatDateTime(chartWindow.startMs)} to {formatDateTime(chartWindow.endMs)}: the trace and some time around it. Shaded: when this
        trace's spans ran in the container. Hover a span to highlight it, or a chart to find the spans running then.
      </p>
      {model.containerIds.length === 0 ? <NoContainers /> : null}
      {model.containerIds.map((id) => {
        const container = model.containers.get(id);
        const highlight = hovered?.span.containerId === id ? { startMs: hovered.startMs, endMs: hovered.endMs } : undefined;
        return (
          <section key={id} id={resourcesAnchor(id)} class="container-resources" tabIndex={-1}>
            <h3>
              <Link to={`/containers/${id}`}>{container?.name ?? shortId(id, 12)}</Link>{' '}
              {container !== undefined && (
                <span class="muted">
                  {container.image}
                  {container.service !== null ? ` · Compose service ${container.service}` : ''}
                </span>
              )}
            </h3>
            <ResourceCharts
              containerId={id}
              host={container?.host}
              cpuLimit={container?.cpuLimit ?? null}
              memoryLimitBytes={container?.memoryLimitBytes ?? null}
              window={chartWindow}
              intervals={intervals.get(id) ?? []}
              highlight={highlight}
              focus={focus?.containerId === id ? focus : undefined}
              cursorMs={hover.containerId === id ? hover.timeMs : undefined}
              onHoverTime={(t) => onHoverTime(id, t)}
            >
              {(placement.byContainer.get(id) ?? []).map((service) => {
                const plan = plans?.get(service) ?? [];
                if (plan.length === 0) return null;
                return (
                  <RuntimeCharts
                    key={service}
                    service={service}
                    containerId={id}
                    plan={plan}
                    window={chartWindow}
                    intervals={intervals.get(id) ?? []}
                    highlight={highlight}
                    cursorMs={hover.containerId === id ? hover.timeMs : undefined}
                    containerNames={containerNames}
                    onHoverTime={(t) => onHoverTime(id, t)}
                  />
                );
              })}
            </ResourceCharts>
          </section>
        );
      })}
      {unplaced.length > 0 && (
        <section class="container-resources" aria-label="Runtimes of services without a known container">
          <h3>Services without a known container</h3>
          {unplaced.map((service) => (
            <RuntimeCharts
              key={service}
              service={service}
              containerId={null}
              plan={plans?.get(service) ?? []}
              window={chartWindow}
              intervals={unplacedIntervals.get(service) ?? []}
              containerNames={containerNames}
            />
          ))}
        </section>
      )}
      {plans !== undefined && <RuntimeHint model={model} plans={plans} />}
    </section>
  );
}

function NoContainers() {
  const [health] = useApi((signal) => api.health(signal), []);
  const docker = health.state === 'ok' ? health.value.docker.connected : undefined;
  return (
    <Empty title="No span of this trace was matched to a container.">
      <p>
        Spans are joined to containers by the resource attribute <code>container.id</code>, else <code>host.name</code> equal to
        the container's hostname, else a Compose service named like the span's service.
        {docker === false && ' The collector is not connected to Docker: give it the Docker socket (/var/run/docker.sock or DOCKER_HOST).'}
      </p>
      <p>Run the services in Docker beside the collector, or set container.id with @tracedock/sdk.</p>
    </Empty>
  );
}
