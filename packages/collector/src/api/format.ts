import type { ContainerEventRow, ContainerRow, ContainerSampleRow, LogRow, SpanRow } from '../model/rows.js';
import type { ServiceMap, ServiceMapEdge, ServiceSummary, TraceSummary } from '../store/Store.js';
import {
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  type WireContainer,
  type WireContainerEvent,
  type WireLog,
  type WireSample,
  type WireService,
  type WireServiceMap,
  type WireServiceMapEdge,
  type WireSpan,
  type WireTraceSummary,
} from './wire.js';

/** Store rows -> the wire JSON of wire.ts (the API's contract); units and names are stated there. */

const NS_PER_MS = 1e6;
const NS_PER_MS_BIGINT = 1_000_000n;

function durationMs(startNs: bigint, endNs: bigint): number {
  return Number(endNs - startNs) / NS_PER_MS;
}

/** Whole ms by bigint division first: Number(ns) alone is already off by up to 256 ns. */
export function epochMs(ns: bigint): number {
  return Number(ns / NS_PER_MS_BIGINT) + Number(ns % NS_PER_MS_BIGINT) / NS_PER_MS;
}

function nsOrNull(ns: bigint | null): string | null {
  return ns === null ? null : ns.toString();
}

export function formatSpan(row: SpanRow): WireSpan {
  return {
    traceId: row.traceId,
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    service: row.service,
    name: row.name,
    kind: SPAN_KIND_NAMES[row.kind],
    startNs: row.startNs.toString(),
    endNs: row.endNs.toString(),
    durationMs: durationMs(row.startNs, row.endNs),
    status: { code: STATUS_CODE_NAMES[row.statusCode], message: row.statusMessage },
    attributes: row.attributes,
    events: row.events.map((e) => ({ timeNs: e.timeNs.toString(), name: e.name, attributes: e.attributes })),
    links: row.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: l.traceState, attributes: l.attributes })),
    resource: row.resource,
    traceState: row.traceState,
    scope: { name: row.scopeName, version: row.scopeVersion },
    containerId: row.containerId,
  };
}

export function formatLog(row: LogRow): WireLog {
  return {
    timeNs: row.timeNs.toString(),
    observedTimeNs: row.observedTimeNs.toString(),
    traceId: row.traceId,
    spanId: row.spanId,
    severityNumber: row.severityNumber,
    severityText: row.severityText,
    body: row.body,
    attributes: row.attributes,
    resource: row.resource,
    service: row.service,
    scope: { name: row.scopeName },
    source: row.source,
    containerId: row.containerId,
  };
}

export function formatTraceSummary(t: TraceSummary): WireTraceSummary {
  return {
    traceId: t.traceId,
    rootService: t.rootService,
    rootName: t.rootName,
    startNs: t.startNs.toString(),
    durationMs: Number(t.durationNs) / NS_PER_MS,
    spanCount: t.spanCount,
    errorCount: t.errorCount,
    services: t.services,
  };
}

/** Picks the fields, so that a store adding its own never changes the wire. */
export function formatService(s: ServiceSummary): WireService {
  return { name: s.name, spanCount: s.spanCount, errorCount: s.errorCount, p50Ms: s.p50Ms, p95Ms: s.p95Ms, p99Ms: s.p99Ms };
}

function formatEdge(e: ServiceMapEdge): WireServiceMapEdge {
  return { from: e.from, to: e.to, calls: e.calls, errors: e.errors, p95Ms: e.p95Ms };
}

export function formatServiceMap(map: ServiceMap): WireServiceMap {
  return { nodes: map.nodes.map(formatService), edges: map.edges.map(formatEdge) };
}

export function formatContainer(c: ContainerRow): WireContainer {
  return {
    id: c.id,
    name: c.name,
    image: c.image,
    hostname: c.hostname,
    host: c.host,
    service: c.service,
    project: c.project,
    state: c.state,
    startedAt: c.startedAtNs === null ? null : new Date(Math.floor(epochMs(c.startedAtNs))).toISOString(),
    startedAtNs: nsOrNull(c.startedAtNs),
    finishedAtNs: nsOrNull(c.finishedAtNs),
    restartCount: c.restartCount,
    cpuLimit: c.cpuLimit,
    memoryLimitBytes: c.memoryLimitBytes,
    labels: c.labels,
  };
}

export function formatSample(s: ContainerSampleRow): WireSample {
  return {
    t: epochMs(s.timeNs),
    cpuPercent: s.cpuPercent,
    cpuThrottledMs: s.cpuThrottledMs,
    cpuPeriods: s.cpuPeriods,
    cpuThrottledPeriods: s.cpuThrottledPeriods,
    cpuLimitCores: s.cpuLimitCores,
    memoryBytes: s.memoryBytes,
    memoryLimitBytes: s.memoryLimitBytes,
    memoryFailcnt: s.memoryFailcnt,
    memoryOomKills: s.memoryOomKills,
    netRxBytes: s.netRxBytes,
    netTxBytes: s.netTxBytes,
    blkReadBytes: s.blkReadBytes,
    blkWriteBytes: s.blkWriteBytes,
    pids: s.pids,
    cpuPressureSomeMs: s.cpuPressureSomeMs,
    cpuPressureFullMs: s.cpuPressureFullMs,
    memoryPressureSomeMs: s.memoryPressureSomeMs,
    memoryPressureFullMs: s.memoryPressureFullMs,
    ioPressureSomeMs: s.ioPressureSomeMs,
    ioPressureFullMs: s.ioPressureFullMs,
  };
}

export function formatContainerEvent(e: ContainerEventRow): WireContainerEvent {
  return { t: epochMs(e.timeNs), action: e.action, attributes: e.attributes };
}
