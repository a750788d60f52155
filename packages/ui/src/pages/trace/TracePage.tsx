import { useMemo } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import { ErrorView, Loading } from '../../components/States.js';
import { useTitle } from '../../router/useTitle.js';
import type { AppLocation } from '../../router/location.js';
import { buildTraceModel } from './build-model.js';
import { TraceView } from './TraceView.js';

/** /traces/:traceId — loads the trace and its suspects; TraceView shows them. */
export function TracePage({ traceId, location }: { traceId: string; location: AppLocation }) {
  useTitle(`Trace ${traceId.slice(0, 8)}`);
  const [detail, retry] = useApi((signal) => api.trace(traceId, signal), [traceId]);
  // Suspects are asked for once the trace is there: both read all of the trace's spans, and
  // the waterfall should not wait for the analysis (at 5,000 spans that halves the wait).
  const loaded = detail.state === 'ok';
  const [suspects] = useApi(
    async (signal) => (loaded ? api.suspects(traceId, signal) : { ok: true as const, value: [] }),
    [traceId, loaded],
  );
  const model = useMemo(() => (detail.state === 'ok' ? buildTraceModel(detail.value) : undefined), [detail]);
  if (detail.state === 'loading') return <Loading what={`trace ${traceId}`} />;
  if (detail.state === 'error') return <ErrorView what={`trace ${traceId}`} failure={detail.failure} onRetry={retry} />;
  if (model === undefined) return null;
  return <TraceView model={model} suspects={suspects} location={location} />;
}
