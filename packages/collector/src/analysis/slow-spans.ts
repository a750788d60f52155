import type { SpanRow } from '../model/rows.js';
import type { OperationKey, OperationStats } from '../store/Store.js';

/** How "slow" is decided; see SuspectsConfig for each value's meaning. */
export interface SlowSpanRules {
  slowSpanMillis: number;
  minSpanMillis: number;
  baselineMinSpans: number;
}

/** Why a span is checked: it failed, or it was slower than its operation's p95 or the threshold. */
export type PickReason =
  | { reason: 'error' }
  | { reason: 'slower_than_p95'; p95Ms: number; baselineSpans: number }
  | { reason: 'slower_than_threshold'; thresholdMs: number };

export interface PickedSpan {
  span: SpanRow & { containerId: string };
  why: PickReason;
}

/** OTLP status code 2. */
const STATUS_ERROR = 2;

function keyOf(k: OperationKey): string {
  return JSON.stringify([k.service, k.name]);
}

/** The operations whose baselines are needed: those of spans that could be checked. */
export function baselineKeys(spans: readonly SpanRow[]): OperationKey[] {
  const keys = new Map<string, OperationKey>();
  for (const s of spans) {
    if (s.containerId !== null) keys.set(keyOf(s), { service: s.service, name: s.name });
  }
  return [...keys.values()];
}

/**
 * The spans to check: those that ran in a known container and failed (any duration: an OOM
 * kill or a restart fails fast), or lasted at least minSpanMillis and longer than their
 * operation's p95 when baselineMinSpans spans give one, else longer than slowSpanMillis.
 * @example pickSpans(spans, await store.operationStats(baselineKeys(spans), range), rules)
 */
export function pickSpans(spans: readonly SpanRow[], stats: readonly OperationStats[], rules: SlowSpanRules): PickedSpan[] {
  const baselines = new Map(stats.map((s) => [keyOf(s), s]));
  const picked: PickedSpan[] = [];
  for (const span of spans) {
    const { containerId } = span;
    if (containerId === null) continue;
    const why = reasonFor(span, baselines.get(keyOf(span)), rules);
    if (why !== null) picked.push({ span: { ...span, containerId }, why });
  }
  return picked;
}

function reasonFor(span: SpanRow, baseline: OperationStats | undefined, rules: SlowSpanRules): PickReason | null {
  if (span.statusCode === STATUS_ERROR) return { reason: 'error' };
  const durationMs = Number(span.endNs - span.startNs) / 1e6;
  if (durationMs < rules.minSpanMillis) return null;
  if (baseline !== undefined && baseline.spanCount >= rules.baselineMinSpans) {
    return durationMs > baseline.p95Ms
      ? { reason: 'slower_than_p95', p95Ms: baseline.p95Ms, baselineSpans: baseline.spanCount }
      : null;
  }
  return durationMs > rules.slowSpanMillis ? { reason: 'slower_than_threshold', thresholdMs: rules.slowSpanMillis } : null;
}
