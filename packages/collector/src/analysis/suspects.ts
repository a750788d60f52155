import { cpus } from 'node:os';
import type { Store } from '../store/Store.js';
import type { ResourceSuspect } from './Suspect.js';
import { containerKey } from '../store/Store.js';
import { containerOf, loadContainerContexts, loadHostSamples, marginRange } from './load-context.js';
import { baselineKeys, pickSpans } from './slow-spans.js';
import type { PickedSpan } from './slow-spans.js';
import { suspectsOfSpan } from './span-suspects.js';
import { DEFAULT_SUSPECT_THRESHOLDS } from './thresholds.js';
import type { SuspectThresholds } from './thresholds.js';

/** The collector settings the analysis reads (CollectorConfig has them all). */
export interface SuspectsConfig {
  /** A span is slow above this when its operation has too few spans for a p95. */
  suspectsSlowSpanMillis: number;
  /** Shorter spans are never "slow": one-second samples say nothing about a 2 ms span. */
  suspectsMinSpanMillis: number;
  /** The p95 of an operation is taken over its spans of this many hours before the trace. */
  suspectsBaselineHours: number;
  /** Fewer spans than this in the baseline: the threshold decides instead of the p95. */
  suspectsBaselineMinSpans: number;
  /** How often containers are sampled: the margin of one sample on each side of a span. */
  statsIntervalMillis: number;
}

export interface SuspectsFinderOptions {
  store: Store;
  config: SuspectsConfig;
  /** The Docker host's CPUs; defaults to this machine's (the collector runs on that host). */
  hostCpuCores?: number | null;
  thresholds?: Partial<SuspectThresholds>;
}

/** Returns the resource suspects of a trace: what GET /api/traces/:id/suspects lists. */
export type SuspectsFinder = (traceId: string) => Promise<ResourceSuspect[]>;

/** Bounds the work per request: a huge trace is checked on its slowest spans first. */
const MAX_SPANS_CHECKED = 500;
const NS_PER_MS = 1_000_000n;
const MS_PER_HOUR = 3_600_000;

/**
 * The resource-suspect analysis: for each slow or failed span with a container,
 * its container's samples and events around the span go through every check in checks/.
 * @example
 * const suspects = createSuspectsFinder({ store, config });
 * createApiApp({ ...deps, suspects });
 */
export function createSuspectsFinder(options: SuspectsFinderOptions): SuspectsFinder {
  const { store, config } = options;
  const thresholds = { ...DEFAULT_SUSPECT_THRESHOLDS, ...options.thresholds };
  const hostCpuCores = options.hostCpuCores === undefined ? cpus().length : options.hostCpuCores;
  const sampleIntervalNs = BigInt(Math.round(config.statsIntervalMillis)) * NS_PER_MS;
  const rules = {
    slowSpanMillis: config.suspectsSlowSpanMillis,
    minSpanMillis: config.suspectsMinSpanMillis,
    baselineMinSpans: config.suspectsBaselineMinSpans,
  };
  const baselineNs = BigInt(Math.round(config.suspectsBaselineHours * MS_PER_HOUR)) * NS_PER_MS;

  return async (traceId) => {
    const spans = await store.getTraceSpans(traceId);
    const candidates = spans.filter((s) => s.containerId !== null);
    if (candidates.length === 0) return [];
    const traceEndNs = candidates.reduce((end, s) => (s.endNs > end ? s.endNs : end), 0n);
    const stats = await store.operationStats(baselineKeys(candidates), {
      startNs: traceEndNs - baselineNs,
      endNs: traceEndNs + 1n,
    });
    const picked = slowestFirst(pickSpans(candidates, stats, rules)).slice(0, MAX_SPANS_CHECKED);
    if (picked.length === 0) return [];
    // Neighbours are the containers of the same Docker host: one read per host of the picked spans.
    const hosts = [...new Set(picked.map((p) => containerOf(p.span).host))];
    const range = marginRange(picked, sampleIntervalNs);
    const [contexts, ...hostSamples] = await Promise.all([
      loadContainerContexts(store, picked, sampleIntervalNs),
      ...hosts.map((host) => (hostCpuCores === null ? Promise.resolve([]) : loadHostSamples(store, range, host))),
    ]);
    const neighboursOf = new Map(hosts.map((host, i) => [host, hostSamples[i] ?? []]));
    const found = picked.flatMap((p) => {
      const ref = containerOf(p.span);
      const context = contexts.get(containerKey(ref));
      const neighbours = neighboursOf.get(ref.host) ?? [];
      return context === undefined ? [] : suspectsOfSpan(p, context, neighbours, { hostCpuCores, sampleIntervalNs, thresholds });
    });
    return inSpanOrder(withoutRepeats(found), picked);
  };
}

function slowestFirst(picked: PickedSpan[]): PickedSpan[] {
  const length = (p: PickedSpan): bigint => p.span.endNs - p.span.startNs;
  return [...picked].sort((a, b) => (length(b) > length(a) ? 1 : length(b) < length(a) ? -1 : 0));
}

/**
 * Nested spans of one container share their samples, so each would repeat the same finding;
 * it is kept once, on the longest span (the one that contains the others). Findings are
 * equal when kind, container, samples and events are.
 */
function withoutRepeats(suspects: readonly ResourceSuspect[]): ResourceSuspect[] {
  const seen = new Set<string>();
  return suspects.filter((s) => {
    const key = JSON.stringify([s.kind, s.containerId, s.evidence.samples ?? null, s.evidence.events ?? null]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The order a person reads a trace in: by span start, checks in their own order within a span. */
function inSpanOrder(suspects: ResourceSuspect[], picked: readonly PickedSpan[]): ResourceSuspect[] {
  const startOf = new Map(picked.map((p) => [p.span.spanId, p.span.startNs]));
  return suspects
    .map((s, i) => ({ s, i, t: startOf.get(s.spanId) ?? 0n }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i))
    .map((x) => x.s);
}
