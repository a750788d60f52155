import { describe, expect, it } from 'vitest';
import type { SpanRow } from '../model/rows.js';
import { makeSpan, spanIdOf } from '../store/duckdb/testing/fixtures.js';
import { baselineKeys, pickSpans } from './slow-spans.js';
import { at } from './testing/rows.js';

const RULES = { slowSpanMillis: 500, minSpanMillis: 20, baselineMinSpans: 20 };

let next = 1;
function span(durationMs: number, overrides: Partial<SpanRow> = {}): SpanRow {
  return makeSpan({ spanId: spanIdOf(next++), startNs: at(0), endNs: at(durationMs), containerId: 'c1', ...overrides });
}

const picked = (spans: SpanRow[], stats = [] as Parameters<typeof pickSpans>[1]) =>
  pickSpans(spans, stats, RULES).map((p) => [p.span.spanId, p.why]);

describe('pickSpans', () => {
  it('uses the threshold when the operation has too few spans for a p95', () => {
    const slow = span(600);
    const fast = span(400);
    expect(picked([slow, fast], [{ service: 'gateway', name: 'GET /orders', spanCount: 19, p95Ms: 100 }])).toEqual([
      [slow.spanId, { reason: 'slower_than_threshold', thresholdMs: 500 }],
    ]);
  });

  it("uses the operation's p95 when enough spans give one, below or above the threshold", () => {
    const a = span(150);
    const b = span(90);
    const c = span(700, { name: 'GET /report' });
    const stats = [
      { service: 'gateway', name: 'GET /orders', spanCount: 20, p95Ms: 100 },
      { service: 'gateway', name: 'GET /report', spanCount: 500, p95Ms: 900 },
    ];
    expect(picked([a, b, c], stats)).toEqual([[a.spanId, { reason: 'slower_than_p95', p95Ms: 100, baselineSpans: 20 }]]);
  });

  it('takes every failed span with a container, however short, and never a span without one', () => {
    const failed = span(1, { statusCode: 2 });
    const orphan = span(5000, { containerId: null });
    expect(picked([failed, orphan])).toEqual([[failed.spanId, { reason: 'error' }]]);
  });

  it('never calls a span under minSpanMillis slow', () => {
    const stats = [{ service: 'gateway', name: 'GET /orders', spanCount: 100, p95Ms: 2 }];
    expect(picked([span(19)], stats)).toEqual([]);
    expect(pickSpans([span(19)], [], { ...RULES, slowSpanMillis: 0 })).toEqual([]);
  });
});

describe('baselineKeys', () => {
  it('lists each operation of spans with a container once', () => {
    const spans = [span(1), span(2), span(3, { service: 'orders' }), span(4, { name: 'x', containerId: null })];
    expect(baselineKeys(spans)).toEqual([
      { service: 'gateway', name: 'GET /orders' },
      { service: 'orders', name: 'GET /orders' },
    ]);
  });
});
