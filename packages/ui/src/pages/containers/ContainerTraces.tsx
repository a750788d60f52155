import { api, type TimeWindow } from '../../api/endpoints.js';
import type { ApiResult } from '../../api/result.js';
import { useApi } from '../../api/useApi.js';
import type { WireTraceSummary } from '../../api/wire.js';
import { Empty, ErrorView, Loading } from '../../components/States.js';
import { TraceList } from '../search/TraceList.js';

const TRACE_LIMIT = 50;

interface Found {
  traces: WireTraceSummary[];
  /** Set when the list is by Compose service, not by container (an older collector). */
  approximation?: string;
}

/**
 * Traces with a span in this container. Asks /api/traces?containerId=; a collector that
 * does not know that filter yet answers 400, and then the traces of the container's Compose
 * service are shown instead, saying so (they may include other replicas of the service).
 */
async function findTraces(containerId: string, service: string | null, window: TimeWindow, signal: AbortSignal): Promise<ApiResult<Found>> {
  const exact = await api.traces({ ...window, containerId, limit: TRACE_LIMIT }, signal);
  if (exact.ok) return { ok: true, value: { traces: exact.value } };
  const unsupported = exact.failure.status === 400 && exact.failure.message.includes('containerId');
  if (!unsupported || service === null) return exact;
  const byService = await api.traces({ ...window, service, limit: TRACE_LIMIT }, signal);
  if (!byService.ok) return byService;
  return {
    ok: true,
    value: { traces: byService.value, approximation: `Traces of Compose service "${service}" (this collector cannot filter traces by container yet; other replicas of the service are included).` },
  };
}

export function ContainerTraces({ containerId, composeService, window }: { containerId: string; composeService: string | null; window: TimeWindow }) {
  const [found, retry] = useApi((signal) => findTraces(containerId, composeService, window, signal), [containerId, composeService, window.startMs, window.endMs]);
  if (found.state === 'loading') return <Loading what="traces" />;
  if (found.state === 'error') return <ErrorView what="the traces of this container" failure={found.failure} onRetry={retry} />;
  const { traces, approximation } = found.value;
  return (
    <>
      {approximation !== undefined && <p class="muted">{approximation}</p>}
      {traces.length === 0 ? <Empty title="No trace ran in this container in this time range." /> : <TraceList traces={traces} />}
    </>
  );
}
