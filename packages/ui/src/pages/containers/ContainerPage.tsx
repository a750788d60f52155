import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { ResourceCharts } from '../../charts/ResourceCharts.js';
import { LogLines } from '../../components/LogLines.js';
import { RangeBar } from '../../components/RangeBar.js';
import { Empty, ErrorView, Loading } from '../../components/States.js';
import { readRange, resolveRange } from '../../format/time-range.js';
import { shortId } from '../../format/units.js';
import type { AppLocation } from '../../router/location.js';
import { useTitle } from '../../router/useTitle.js';
import { ContainerFacts } from './ContainerFacts.js';
import { ContainerTraces } from './ContainerTraces.js';

const LOG_LIMIT = 200;
const NO_INTERVALS: never[] = [];

/** /containers/:id: the container's facts, charts, events, logs and the traces that ran in it. */
export function ContainerPage({ containerId, location }: { containerId: string; location: AppLocation }) {
  useTitle(`Container ${shortId(containerId, 12)}`);
  const [refresh, setRefresh] = useState(0);
  const range = useMemo(() => readRange(location.params), [location.key]);
  const resolved = useMemo(() => resolveRange(range, Date.now()), [range, refresh]);
  const [containers] = useApi(
    async (signal) => (resolved.ok ? api.containers(resolved.window, signal) : { ok: true as const, value: [] }),
    [resolved],
  );
  const [logs, retryLogs] = useApi(
    async (signal) => (resolved.ok ? api.logs({ ...resolved.window, containerId, limit: LOG_LIMIT }, signal) : { ok: true as const, value: [] }),
    [resolved, containerId],
  );
  const container = containers.state === 'ok' ? containers.value.find((c) => c.id === containerId) : undefined;
  const path = `/containers/${containerId}`;
  return (
    <section aria-labelledby="container-title">
      <h1 id="container-title">{container?.name ?? `Container ${shortId(containerId, 12)}`}</h1>
      <RangeBar path={path} params={{}} range={range} onRefresh={() => setRefresh((n) => n + 1)} />
      {containers.state === 'ok' && container === undefined && (
        <p class="state state-warning" role="status">
          The collector has no metadata of this container in this time range; widen it, or the container may be older than the
          retention.
        </p>
      )}
      {container !== undefined && <ContainerFacts container={container} />}
      {!resolved.ok ? (
        <p class="state state-error" role="alert">
          {resolved.message}
        </p>
      ) : (
        <>
          <h2>Resources</h2>
          <ResourceCharts
            containerId={containerId}
            host={container?.host}
            cpuLimit={container?.cpuLimit ?? null}
            memoryLimitBytes={container?.memoryLimitBytes ?? null}
            window={resolved.window}
            intervals={NO_INTERVALS}
          />
          <h2>Traces that ran in it</h2>
          <ContainerTraces containerId={containerId} composeService={container?.service ?? null} window={resolved.window} />
          <h2>Logs</h2>
          {logs.state === 'loading' ? (
            <Loading what="logs" />
          ) : logs.state === 'error' ? (
            <ErrorView what="logs" failure={logs.failure} onRetry={retryLogs} />
          ) : logs.value.length === 0 ? (
            <Empty title="No log record of this container in this time range." />
          ) : (
            <div class="scroll-box">
              <LogLines logs={logs.value} showTraceLinks label="Logs of this container" />
            </div>
          )}
        </>
      )}
    </section>
  );
}
