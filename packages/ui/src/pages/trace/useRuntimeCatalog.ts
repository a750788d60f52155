import { api, METRICS_LIST_LIMIT, type TimeWindow } from '../../api/endpoints.js';
import { useApi, type Loadable } from '../../api/useApi.js';
import { runtimePlan, type RuntimePanelSpec } from './runtime-series.js';

/** A trace may touch dozens of services; runtime charts are asked for the first few only. */
export const RUNTIME_SERVICES_MAX = 8;

/**
 * Points are asked for this far beyond the chart window on both sides (the axis stays the
 * window): a rate needs the point before the first one in view, and a service exporting
 * every 60 s (the SDK default) may have no point inside a 30 s window at all.
 */
export const RUNTIME_LOOKBACK_MS = 60_000;

export function runtimeQueryWindow(window: TimeWindow): TimeWindow {
  return { startMs: window.startMs - RUNTIME_LOOKBACK_MS, endMs: window.endMs + RUNTIME_LOOKBACK_MS };
}

/**
 * Which runtime charts each of the trace's services can have, from the names of the metrics
 * it reported in the window (widened as the charts' queries are): one list request per service, in parallel, so that only the
 * series that exist are asked for afterwards. A service whose list failed has no entry.
 */
export function useRuntimeCatalog(services: readonly string[], window: TimeWindow): Loadable<Map<string, RuntimePanelSpec[]>> {
  const asked = services.slice(0, RUNTIME_SERVICES_MAX);
  const query = runtimeQueryWindow(window);
  const key = `${asked.join('\u0000')}:${window.startMs}:${window.endMs}`;
  const [catalog] = useApi(async (signal) => {
    const results = await Promise.all(asked.map((service) => api.metrics({ ...query, service, limit: METRICS_LIST_LIMIT }, signal)));
    const plans = new Map<string, RuntimePanelSpec[]>();
    results.forEach((result, i) => {
      const service = asked[i];
      if (result.ok && service !== undefined) plans.set(service, runtimePlan(new Set(result.value.map((m) => m.name))));
    });
    const failed = results.find((r) => !r.ok);
    // Only when nothing could be read is it an error; one service's failure leaves the others.
    if (plans.size === 0 && failed !== undefined && !failed.ok) return failed;
    return { ok: true as const, value: plans };
  }, [key]);
  return catalog;
}
