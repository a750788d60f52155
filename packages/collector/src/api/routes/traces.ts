import { Router } from 'express';
import type { SpanRow } from '../../model/rows.js';
import { containerKey, type ContainerRef, type Store } from '../../store/Store.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { formatContainer, formatLog, formatSpan, formatTraceSummary } from '../format.js';
import { noQuery, traceIdPath, tracesQuery } from '../query.js';
import { LIMIT_MAX } from '../query-params.js';
import type { WireSuspectsResponse, WireTraceDetail, WireTracesResponse } from '../wire.js';

/** Logs are looked up this far around a trace: a failure is often logged just before or after. */
const TRACE_LOG_MARGIN_NS = 5n * 60n * 1_000_000_000n;

async function traceDetail(store: Store, traceId: string, spans: readonly SpanRow[]): Promise<WireTraceDetail> {
  let startNs = spans[0]?.startNs ?? 0n;
  let endNs = startNs;
  for (const span of spans) {
    if (span.startNs < startNs) startNs = span.startNs;
    if (span.endNs > endNs) endNs = span.endNs;
  }
  // Each span's container on its own host: a trace may cross Docker hosts (a store of many).
  const refs = new Map<string, ContainerRef>();
  for (const { containerId, host = '' } of spans) if (containerId !== null) refs.set(containerKey({ host, id: containerId }), { host, id: containerId });
  const [containers, logs] = await Promise.all([
    refs.size === 0 ? [] : store.getContainers([...refs.values()]),
    store.searchLogs({ traceId, startNs: startNs - TRACE_LOG_MARGIN_NS, endNs: endNs + TRACE_LOG_MARGIN_NS, limit: LIMIT_MAX }),
  ]);
  return {
    traceId,
    spans: spans.map(formatSpan),
    containers: containers.map(formatContainer),
    // In time order, as the waterfall reads (the store answers newest first).
    logs: [...logs].reverse().map(formatLog),
  };
}

async function requireSpans(store: Store, traceId: string): Promise<SpanRow[]> {
  const spans = await store.getTraceSpans(traceId);
  if (spans.length === 0) throw new ApiError('not_found', `No spans of trace ${traceId}.`);
  return spans;
}

/**
 * GET /api/traces?service&operation&minDurationMs&maxDurationMs&status&start&end&limit&attr.KEY=VALUE
 *   → `{ traces: [{ traceId, rootService, rootName, startNs, durationMs, spanCount, errorCount, services }] }`
 *   (attr.KEY=VALUE: a span whose attribute or resource attribute KEY is VALUE, or a list holding it);
 * GET /api/traces/:traceId → `{ traceId, spans, containers, logs }` or 404 not_found;
 * GET /api/traces/:traceId/suspects → `{ suspects: [{ spanId, containerId, kind, message, evidence }] }`.
 */
export function tracesRoutes({ store, suspects }: ApiDeps): Router {
  const router = Router();
  router.get('/traces', async (req, res) => {
    const query = tracesQuery.parse(req.query);
    const traces = await store.searchTraces({
      startNs: query.startNs,
      endNs: query.endNs,
      service: query.service,
      operation: query.operation,
      minDurationNs: query.minDurationMs,
      maxDurationNs: query.maxDurationMs,
      status: query.status,
      attributes: query.attr,
      limit: query.limit,
    });
    res.json({ traces: traces.map(formatTraceSummary) } satisfies WireTracesResponse);
  });
  router.get('/traces/:traceId', async (req, res) => {
    const { traceId } = traceIdPath.parse(req.params);
    noQuery.parse(req.query);
    res.json(await traceDetail(store, traceId, await requireSpans(store, traceId)));
  });
  router.get('/traces/:traceId/suspects', async (req, res) => {
    const { traceId } = traceIdPath.parse(req.params);
    noQuery.parse(req.query);
    await requireSpans(store, traceId);
    // Until analysis/ is wired in (the Docker issue), no evidence means no suspect.
    res.json({ suspects: suspects === undefined ? [] : await suspects(traceId) } satisfies WireSuspectsResponse);
  });
  return router;
}
