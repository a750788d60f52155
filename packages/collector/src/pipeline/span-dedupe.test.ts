import { describe, expect, it } from 'vitest';
import { hexId, spanRow } from '../../test/support/rows.js';
import { SpanKeyFilter } from './span-dedupe.js';

describe('SpanKeyFilter', () => {
  it('keeps the first copy of each span, in order, within one batch and across batches', () => {
    const filter = new SpanKeyFilter(100);
    const a = spanRow();
    const b = spanRow();
    expect(filter.filter([a, { ...a }, b])).toEqual([a, b]);
    expect(filter.filter([{ ...b }, { ...a }])).toEqual([]);
  });

  it('tells apart spans that share a span id but not a trace id', () => {
    const filter = new SpanKeyFilter(100);
    const spanId = hexId(8);
    expect(filter.seen(hexId(16), spanId)).toBe(false);
    expect(filter.seen(hexId(16), spanId)).toBe(false);
  });

  it('remembers at least `capacity` spans and forgets the oldest beyond twice that', () => {
    const capacity = 1_000;
    const filter = new SpanKeyFilter(capacity);
    const keys = Array.from({ length: 3 * capacity }, () => ({ traceId: hexId(16), spanId: hexId(8) }));
    for (const key of keys) expect(filter.seen(key.traceId, key.spanId)).toBe(false);
    const newest = keys.slice(-capacity);
    expect(newest.every((key) => filter.seen(key.traceId, key.spanId))).toBe(true);
    const oldest = keys.slice(0, capacity);
    expect(oldest.some((key) => filter.seen(key.traceId, key.spanId))).toBe(false);
  });

  it('never calls ids that are not hex of the right length duplicates, and refuses a bad capacity', () => {
    const filter = new SpanKeyFilter(10);
    expect(filter.seen('x', 'y')).toBe(false);
    expect(filter.seen('x', 'y')).toBe(false);
    expect(() => new SpanKeyFilter(0)).toThrow(/capacity/);
  });

  it('has a fixed size', () => {
    const filter = new SpanKeyFilter(390_000);
    const before = filter.bytes;
    for (let i = 0; i < 10_000; i++) filter.seen(hexId(16), hexId(8));
    expect(filter.bytes).toBe(before);
    expect(before).toBeLessThan(16 * 1024 * 1024);
  });
});
