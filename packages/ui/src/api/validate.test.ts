import { describe, expect, it } from 'vitest';
import { arrayOf, decimalString, fields, jsonValue, nullable, number, object, oneOf, optional, recordOf, refine, string, taggedUnion, WireError } from './validate.js';
import { metricSeriesResponse, metricsResponse, traceDetailResponse } from './wire.js';

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

  it('decodes a declared type field by field, and will not compile when the shape drifts from it', () => {
    interface Point { t: number; label: string | null; note?: string }
    const decode = fields<Point>({ t: number, label: nullable(string), note: optional(string) });
    expect(decode({ t: 1, label: 'a', more: true }, 'p')).toEqual({ t: 1, label: 'a', note: undefined });
    expect(() => decode({ t: 1 }, 'p')).toThrow('p.label: expected a string');
    // @ts-expect-error -- `label` is missing: a field of the type without a decoder
    fields<Point>({ t: number, note: optional(string) });
    // @ts-expect-error -- `tag` is not a field of Point (a field renamed on one side)
    fields<Point>({ t: number, label: nullable(string), note: optional(string), tag: string });
    // @ts-expect-error -- `t` decodes a string where Point has a number
    fields<Point>({ t: string, label: nullable(string), note: optional(string) });
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
      resource: {}, traceState: 'k=v', scope: { name: 'io.opentelemetry.http', version: '2.3' }, containerId: null,
    };
    const detail = { traceId: 'a'.repeat(32), spans: [span], containers: [], logs: [] };
    expect(traceDetailResponse(detail, 'body').spans[0]).toMatchObject({ kind: 'SERVER', traceState: 'k=v', scope: { name: 'io.opentelemetry.http', version: '2.3' } });
    expect(() => traceDetailResponse({ ...detail, spans: [{ ...span, status: undefined }] }, 'body')).toThrow('body.spans[0].status');
  });

  it('picks a tagged union\'s variant by its tag and checks relations with refine', () => {
    type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number };
    const shape = taggedUnion<Shape>('kind', {
      circle: object({ kind: oneOf(['circle']), r: refine(number, (r) => r > 0, 'a positive radius') }),
      square: object({ kind: oneOf(['square']), side: number }),
    });
    expect(shape({ kind: 'square', side: 2 }, 's')).toEqual({ kind: 'square', side: 2 });
    expect(() => shape({ kind: 'triangle' }, 's')).toThrow('s.kind: expected one of circle, square, got a string');
    expect(() => shape({ kind: 'toString' }, 's')).toThrow('s.kind');
    expect(() => shape({ kind: 'circle', r: -1 }, 's')).toThrow('s.r: expected a positive radius');
  });

  it('decodes metric lists and series, and refuses buckets that do not fit their bounds', () => {
    const summary = { service: 's', name: 'm', description: '', unit: 's', type: 'histogram', temporality: 'cumulative', monotonic: false, pointCount: 2, seriesCount: 1, lastNs: '1700000000000000000' };
    expect(metricsResponse({ metrics: [summary] }, 'body').metrics[0]?.type).toBe('histogram');
    expect(() => metricsResponse({ metrics: [{ ...summary, type: 'counter' }] }, 'body')).toThrow('body.metrics[0].type');
    const point = { t: 1, timeNs: '1000000', startT: null, value: null, count: 3, sum: 1.5, min: null, max: null, distribution: { kind: 'explicit', bounds: [1, 2], counts: [1, 1, 1] } };
    const body = { name: 'm', metric: { description: '', unit: 's', type: 'histogram', temporality: 'cumulative', monotonic: false }, series: [{ service: 's', attributes: { route: '/a' }, containerId: null, points: [point] }], truncated: false };
    expect(metricSeriesResponse(body, 'body').series[0]?.points[0]?.distribution?.kind).toBe('explicit');
    const bad = { ...body, series: [{ ...body.series[0], points: [{ ...point, distribution: { kind: 'explicit', bounds: [1, 2], counts: [1, 1] } }] }] };
    expect(() => metricSeriesResponse(bad, 'body')).toThrow('body.series[0].points[0].distribution: expected explicit buckets');
    const exponential = { kind: 'exponential', scale: 1.5, zeroCount: 0, zeroThreshold: 0, positive: { offset: 0, counts: [] }, negative: { offset: 0, counts: [] } };
    expect(() => metricSeriesResponse({ ...body, series: [{ ...body.series[0], points: [{ ...point, distribution: exponential }] }] }, 'body')).toThrow('scale');
    expect(metricSeriesResponse({ ...body, metric: null, series: [] }, 'body').metric).toBeNull();
  });
});
