import { apiUrl, getJson, type QueryValue } from './client.js';
import type { ApiResult } from './result.js';
import {
  containersResponse,
  eventsResponse,
  healthResponse,
  logsResponse,
  metricSeriesResponse,
  metricsResponse,
  samplesResponse,
  serviceMapResponse,
  servicesResponse,
  suspectsResponse,
  traceDetailResponse,
  tracesResponse,
  type Health,
  type MetricSeriesResponse,
  type ServiceMap,
  type TraceDetail,
  type WireContainer,
  type WireContainerEvent,
  type WireLog,
  type WireMetricSummary,
  type WireSample,
  type WireService,
  type WireSuspect,
  type WireTraceSummary,
} from './wire.js';

/**
 * The query API (its contract: packages/collector/src/api/wire.ts), one function per endpoint; every answer is decoded.
 * Times go out as ms since the epoch (integers), which the API accepts as well as RFC 3339.
 */

export interface TimeWindow {
  startMs: number;
  endMs: number;
}

function range(window: TimeWindow): Record<string, QueryValue> {
  return { start: Math.floor(window.startMs), end: Math.ceil(window.endMs) };
}

/**
 * A container whose rows are asked for: container ids are unique per Docker host only, so
 * the host (from the container's metadata) picks one when a collector stores many hosts.
 */
export interface ContainerRef {
  id: string;
  /** Absent or '': the id on any host. */
  host?: string;
}

export interface TraceSearch extends TimeWindow {
  service?: string;
  operation?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  status?: 'error' | 'ok';
  /** Span attribute equality filters, sent as attr.KEY=VALUE. */
  attributes?: Record<string, string>;
  /** Only traces with a span in this container (needs API support, see ContainerTraces). */
  containerId?: string;
  limit?: number;
}

export interface LogSearch extends TimeWindow {
  service?: string;
  traceId?: string;
  spanId?: string;
  containerId?: string;
  /** A minimum: a name (info, warn, ...) or an OTLP SeverityNumber. */
  severity?: string;
  /** Case-insensitive substring of the body. */
  q?: string;
  limit?: number;
}

/** Enough for every instrument of a few services in one list; the API allows up to 1,000. */
export const METRICS_LIST_LIMIT = 500;

export interface MetricSearch extends TimeWindow {
  service?: string;
  limit?: number;
}

export interface MetricSeriesQuery extends TimeWindow {
  name: string;
  service?: string;
  containerId?: string;
  /** Point attribute equality filters, sent as attr.KEY=VALUE. */
  attributes?: Record<string, string>;
}

function attrParams(attributes: Record<string, string>): Record<string, QueryValue> {
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [`attr.${key}`, value]));
}

export const api = {
  health: (signal?: AbortSignal): Promise<ApiResult<Health>> => getJson(apiUrl('/health'), healthResponse, signal),

  services: async (window: TimeWindow, signal?: AbortSignal): Promise<ApiResult<WireService[]>> =>
    mapResult(await getJson(apiUrl('/services', range(window)), servicesResponse, signal), (r) => r.services),

  serviceMap: (window: TimeWindow, signal?: AbortSignal): Promise<ApiResult<ServiceMap>> =>
    getJson(apiUrl('/service-map', range(window)), serviceMapResponse, signal),

  traces: async (search: TraceSearch, signal?: AbortSignal): Promise<ApiResult<WireTraceSummary[]>> => {
    const { attributes = {}, startMs, endMs, ...rest } = search;
    const url = apiUrl('/traces', { ...range({ startMs, endMs }), ...rest, ...attrParams(attributes) });
    return mapResult(await getJson(url, tracesResponse, signal), (r) => r.traces);
  },

  trace: (traceId: string, signal?: AbortSignal): Promise<ApiResult<TraceDetail>> =>
    getJson(apiUrl(`/traces/${encodeURIComponent(traceId)}`), traceDetailResponse, signal),

  suspects: async (traceId: string, signal?: AbortSignal): Promise<ApiResult<WireSuspect[]>> =>
    mapResult(await getJson(apiUrl(`/traces/${encodeURIComponent(traceId)}/suspects`), suspectsResponse, signal), (r) => r.suspects),

  containers: async (window: TimeWindow, signal?: AbortSignal): Promise<ApiResult<WireContainer[]>> =>
    mapResult(await getJson(apiUrl('/containers', range(window)), containersResponse, signal), (r) => r.containers),

  samples: async (container: ContainerRef, window: TimeWindow, signal?: AbortSignal): Promise<ApiResult<WireSample[]>> => {
    const url = apiUrl(`/containers/${encodeURIComponent(container.id)}/samples`, { ...range(window), host: container.host });
    return mapResult(await getJson(url, samplesResponse, signal), (r) => r.samples);
  },

  containerEvents: async (container: ContainerRef, window: TimeWindow, signal?: AbortSignal): Promise<ApiResult<WireContainerEvent[]>> => {
    const url = apiUrl(`/containers/${encodeURIComponent(container.id)}/events`, { ...range(window), host: container.host });
    return mapResult(await getJson(url, eventsResponse, signal), (r) => r.events);
  },

  logs: async (search: LogSearch, signal?: AbortSignal): Promise<ApiResult<WireLog[]>> => {
    const { startMs, endMs, ...rest } = search;
    const url = apiUrl('/logs', { ...range({ startMs, endMs }), ...rest });
    return mapResult(await getJson(url, logsResponse, signal), (r) => r.logs);
  },

  /** The metrics reported in the window (most recently reported first), of one service or all. */
  metrics: async (search: MetricSearch, signal?: AbortSignal): Promise<ApiResult<WireMetricSummary[]>> => {
    const { startMs, endMs, ...rest } = search;
    const url = apiUrl('/metrics', { ...range({ startMs, endMs }), ...rest });
    return mapResult(await getJson(url, metricsResponse, signal), (r) => r.metrics);
  },

  /** One metric's points in the window, grouped into series (attributes × container). */
  metricSeries: (query: MetricSeriesQuery, signal?: AbortSignal): Promise<ApiResult<MetricSeriesResponse>> => {
    const { attributes = {}, startMs, endMs, ...rest } = query;
    const url = apiUrl('/metrics/series', { ...range({ startMs, endMs }), ...rest, ...attrParams(attributes) });
    return getJson(url, metricSeriesResponse, signal);
  },
};

function mapResult<A, B>(result: ApiResult<A>, map: (value: A) => B): ApiResult<B> {
  return result.ok ? { ok: true, value: map(result.value) } : result;
}
