import { describe, expect, it } from 'vitest';
import { arrayOf, decimalString, jsonValue, nullable, number, object, oneOf, optional, recordOf, string, WireError } from './validate.js';
import { traceDetailResponse } from './wire.js';

describe('decoders', () => {
  const point = object({ t: number, label: nullable(string), kind: oneOf(['a', 'b']), extra: optional(number) });

  it('returns the checked value and ignores unknown keys', () => {
    expect(point({ t: 1, label: null, kind: 'a', more: true }, 'p')).toEqual({ t: 1, label: null, kind: 'a', extra: undefined });
  });

  it('names the path and what was expected, never the value', () => {
    expect(() => point({ t: '1', label: null, kind: 'a' }, 'p')).toThrow(new WireError('p.t', 'a finite number', '1'));
    expect(() => arrayOf(point)([{ t: 1, label: 2, kind: 'a' }], 'list')).toThrow('list[0].label: expected a string, got a number');
    expect(() => point({ t: 1, label: null, kind: '<script>' }, 'p')).toThrow('p.kind: expected one of a, b, got a string');
  });

  it('rejects NaN-like numbers and non-decimal ns strings', () => {
    expect(() => number(Number.POSITIVE_INFINITY, 'n')).toThrow(WireError);
    expect(decimalString('1700000000000000001', 'ns')).toBe('1700000000000000001');
    expect(() => decimalString('1.5e18', 'ns')).toThrow(WireError);
  });

  it('checks attribute values all the way down and bounds the nesting', () => {
    expect(recordOf(jsonValue)({ a: [1, { b: 'x' }], c: null }, 'attrs')).toEqual({ a: [1, { b: 'x' }], c: null });
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => jsonValue(deep, 'v')).toThrow('levels of nesting');
  });

  it('decodes a trace detail and refuses a span without a status', () => {
    const span = {
      traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: null, service: 's', name: 'n', kind: 'SERVER',
      startNs: '1', endNs: '2', durationMs: 0.000001, status: { code: 'OK', message: '' }, attributes: {}, events: [], links: [],
      resource: {}, containerId: null,
    };
    const detail = { traceId: 'a'.repeat(32), spans: [span], containers: [], logs: [] };
    expect(traceDetailResponse(detail, 'body').spans[0]?.kind).toBe('SERVER');
    expect(() => traceDetailResponse({ ...detail, spans: [{ ...span, status: undefined }] }, 'body')).toThrow('body.spans[0].status');
  });
});
