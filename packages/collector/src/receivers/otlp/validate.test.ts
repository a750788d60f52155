import { describe, expect, it } from 'vitest';
import { Rejections, logIdsProblem, optionalId, spanProblem } from './validate.js';
import { bodyText, doubleValue, int64Value, serviceOf, setAttribute, severityNumber, spanKind, statusCode } from './values.js';
import type { Attributes } from '../../model/rows.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

describe('spanProblem', () => {
  it('accepts a valid span, root or child', () => {
    expect(spanProblem(TRACE, SPAN, '', 1n, 1n, [])).toBeNull();
    expect(spanProblem(TRACE, SPAN, SPAN, 1n, 2n, [{ traceId: TRACE, spanId: SPAN }])).toBeNull();
  });

  it.each([
    ['abcd', SPAN, '', 'traceId must be 16 bytes, got 2'],
    ['0'.repeat(32), SPAN, '', 'traceId must not be all zero'],
    [TRACE, '', '', 'spanId must be 8 bytes, got 0'],
    [TRACE, '0'.repeat(16), '', 'spanId must not be all zero'],
    [TRACE, SPAN, 'ab', 'parentSpanId must be empty or 8 bytes, got 1'],
    [TRACE, 'xyz', '', 'spanId must be an even number of hex digits, got "xyz"'],
  ])('names the first problem: %s %s %s', (traceId, spanId, parent, problem) => {
    expect(spanProblem(traceId, spanId, parent, 1n, 2n, [])).toBe(problem);
  });

  it('rejects an end before the start and links to invalid spans', () => {
    expect(spanProblem(TRACE, SPAN, '', 3n, 2n, [])).toBe('endTimeUnixNano 2 is before startTimeUnixNano 3');
    expect(spanProblem(TRACE, SPAN, '', 1n, 2n, [{ traceId: TRACE, spanId: SPAN }, { traceId: '', spanId: SPAN }])).toBe(
      'link 1: traceId must be 16 bytes, got 0',
    );
  });
});

describe('log ids', () => {
  it('allows empty or full-length ids, and all-zero ids mean none', () => {
    expect(logIdsProblem('', '')).toBeNull();
    expect(logIdsProblem(TRACE, SPAN)).toBeNull();
    expect(logIdsProblem(TRACE, 'abcd')).toBe('spanId must be empty or 8 bytes, got 2');
    expect(optionalId('0'.repeat(32))).toBeNull();
    expect(optionalId('')).toBeNull();
    expect(optionalId(SPAN)).toBe(SPAN);
  });
});

describe('Rejections', () => {
  it('counts and keeps the first reason with its place', () => {
    const rejections = new Rejections('span');
    expect(rejections.message()).toBe('');
    rejections.add('traceId must be 16 bytes, got 5', 3, 0, 0);
    expect(rejections.message()).toBe('1 span rejected: span 3 of scope 0 of resource 0: traceId must be 16 bytes, got 5');
    rejections.add('other', 4, 1, 2);
    expect(rejections.count).toBe(2);
    expect(rejections.message()).toBe('2 spans rejected: span 3 of scope 0 of resource 0: traceId must be 16 bytes, got 5');
  });
});

describe('values', () => {
  it('maps int64 and doubles to JSON-safe values', () => {
    expect(int64Value(42n)).toBe(42);
    expect(int64Value(2n ** 53n)).toBe('9007199254740992');
    expect(doubleValue(1.5)).toBe(1.5);
    expect(doubleValue(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('clamps enums', () => {
    expect([spanKind(5), spanKind(6), spanKind(-1), spanKind(1.5)]).toEqual([5, 0, 0, 0]);
    expect([statusCode(2), statusCode(3)]).toEqual([2, 0]);
    expect([severityNumber(24), severityNumber(25)]).toEqual([24, 0]);
  });

  it('finds the service name and writes log bodies', () => {
    expect(serviceOf({ 'service.name': 'a' })).toBe('a');
    expect(serviceOf({ 'service.name': 3 })).toBe('unknown_service');
    expect(serviceOf({})).toBe('unknown_service');
    expect([bodyText('x'), bodyText(null), bodyText(undefined), bodyText([1, 'a']), bodyText({ k: true })]).toEqual(['x', '', '', '[1,"a"]', '{"k":true}']);
  });

  it('never lets an attribute key change the object prototype', () => {
    const attributes: Attributes = {};
    setAttribute(attributes, '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(JSON.stringify(attributes)).toBe('{"__proto__":{"polluted":true}}');
  });
});
