import { describe, expect, it } from 'vitest';
import type { TraceDetail, WireSpan } from '../../api/wire.js';
import { buildTraceModel } from './build-model.js';
import { visibleRows } from './visible-rows.js';

const T0 = 1_700_000_000_000_000_000n;

function span(spanId: string, parentSpanId: string | null, startMs: number, endMs: number, extra: Partial<WireSpan> = {}): WireSpan {
  return {
    traceId: 'a'.repeat(32), spanId, parentSpanId, service: 'svc', name: spanId, kind: 'INTERNAL',
    startNs: (T0 + BigInt(startMs * 1e6)).toString(), endNs: (T0 + BigInt(endMs * 1e6)).toString(), durationMs: endMs - startMs,
    status: { code: 'UNSET', message: '' }, attributes: {}, events: [], links: [], resource: {}, traceState: '', scope: { name: '', version: '' },
    containerId: null, ...extra,
  };
}

function model(spans: WireSpan[]) {
  const detail: TraceDetail = { traceId: 'a'.repeat(32), spans, containers: [], logs: [] };
  return buildTraceModel(detail);
}

const names = (m: ReturnType<typeof model>, indexes?: number[]): string[] =>
  (indexes ?? m.rows.map((_, i) => i)).map((i) => `${'  '.repeat(m.rows[i]?.depth ?? 0)}${m.rows[i]?.span.name ?? ''}`);

describe('buildTraceModel', () => {
  // root ─┬─ a ── a1
  //       └─ b ─┬─ b1
  //             └─ b2      (b1 overlaps b2; children given out of order)
  const tree = [span('b2', 'b', 60, 90), span('root', null, 0, 100), span('a1', 'a', 5, 15), span('b', 'root', 30, 95), span('a', 'root', 2, 20), span('b1', 'b', 35, 70)];

  it('orders spans depth first, children by start time, with depths and subtree ends', () => {
    const m = model(tree);
    expect(names(m)).toEqual(['root', '  a', '    a1', '  b', '    b1', '    b2']);
    expect(m.rows.map((r) => r.subtreeEnd)).toEqual([6, 3, 3, 6, 5, 6]);
    expect(m.rows.map((r) => r.childCount)).toEqual([2, 1, 0, 2, 0, 0]);
    expect(m.rows.map((r) => r.parentIndex)).toEqual([-1, 0, 1, 0, 3, 3]);
    expect(m.durationMs).toBe(100);
    expect(m.rows[3]?.offsetMs).toBe(30);
  });

  it('marks the critical path: what the root waited for, not what ran beside it (b1 overlaps b2)', () => {
    const m = model(tree);
    expect(m.rows.filter((r) => r.critical).map((r) => r.span.name)).toEqual(['root', 'a', 'a1', 'b', 'b2']);
  });

  it('hides collapsed subtrees in one jump', () => {
    const m = model(tree);
    expect(names(m, visibleRows(m.rows, new Set([3])))).toEqual(['root', '  a', '    a1', '  b']);
    expect(names(m, visibleRows(m.rows, new Set([0, 3])))).toEqual(['root']);
  });

  it('keeps orphans (parent not received) and parent cycles as rows, and drops duplicates', () => {
    const m = model([span('root', null, 0, 10), span('orphan', 'ffffffffffffffff', 1, 2), span('x', 'y', 3, 4), span('y', 'x', 3, 5), span('root', null, 0, 10)]);
    expect(m.rows).toHaveLength(4);
    expect(m.rows.find((r) => r.span.name === 'orphan')?.orphan).toBe(true);
    expect(names(m).filter((n) => n.trim() === 'x' || n.trim() === 'y')).toHaveLength(2);
  });

  it('keeps sub-millisecond offsets exact and counts errors', () => {
    const m = model([span('root', null, 0, 1), span('c', 'root', 0.000_5, 0.75, { status: { code: 'ERROR', message: 'boom' } })]);
    expect(m.rows[1]?.offsetMs).toBeCloseTo(0.0005, 9);
    expect(m.errorCount).toBe(1);
  });

  it('lays out 5,000 spans quickly', () => {
    const spans = [span('root', null, 0, 5000)];
    for (let i = 1; i < 5000; i++) spans.push(span(`s${i}`, i < 50 ? 'root' : `s${i - 49}`, i / 2, i / 2 + 10));
    const started = performance.now();
    const m = model(spans);
    expect(m.rows).toHaveLength(5000);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
