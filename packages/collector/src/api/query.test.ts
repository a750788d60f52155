import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { describeZodError } from './errors.js';
import { containerIdPath, DEFAULT_WINDOW_NS, logsQuery, noQuery, rangeQuery, traceIdPath, tracesQuery } from './query.js';
import { parseTimeNs } from './query-fields.js';

const MS = 1_000_000n;

/** The 400 message a client would get for `raw`. */
function messageOf(schema: ZodType, raw: unknown): string {
  const result = schema.safeParse(raw);
  if (result.success) throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
  return describeZodError(result.error);
}

describe('time parameters', () => {
  it('reads ms since the epoch, with exact sub-ms digits', () => {
    expect(parseTimeNs('1700000000000')).toBe(1_700_000_000_000n * MS);
    expect(parseTimeNs('1700000000000.000001')).toBe(1_700_000_000_000n * MS + 1n);
  });

  it('reads RFC 3339 with Z, offsets and up to ns fractions', () => {
    expect(parseTimeNs('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000n * MS);
    expect(parseTimeNs('2023-11-14T23:13:20+01:00')).toBe(1_700_000_000_000n * MS);
    expect(parseTimeNs('2023-11-14T22:13:20.123456789Z')).toBe(1_700_000_000_123_456_789n);
    expect(parseTimeNs('2023-11-14 22:13:20z')).toBe(1_700_000_000_000n * MS);
  });

  it('rejects impossible dates, missing zones and other units', () => {
    for (const bad of ['2023-02-30T00:00:00Z', '2023-11-14T22:13:20', '2023-11-14', 'yesterday', '-5', '1e12', '1700000000000000000']) {
      expect(parseTimeNs(bad), bad).toBeUndefined();
    }
  });

  it('names the parameter and the value in the message', () => {
    expect(messageOf(rangeQuery, { start: 'yesterday' })).toBe(
      'start: must be milliseconds since the epoch or an RFC 3339 time, got "yesterday"',
    );
  });

  it('defaults end to now and start to end - 1 h', () => {
    const before = BigInt(Date.now()) * MS;
    const { startNs, endNs } = rangeQuery.parse({});
    expect(endNs >= before && endNs <= BigInt(Date.now()) * MS).toBe(true);
    expect(endNs - startNs).toBe(DEFAULT_WINDOW_NS);
    expect(rangeQuery.parse({ end: '1700000000000' }).startNs).toBe(1_700_000_000_000n * MS - DEFAULT_WINDOW_NS);
  });

  it('requires start before end', () => {
    expect(messageOf(rangeQuery, { start: '2000', end: '1000' })).toBe(
      'start: must be before end, got start 1970-01-01T00:00:02.000Z and end 1970-01-01T00:00:01.000Z',
    );
    expect(messageOf(rangeQuery, { start: '1000', end: '1000' })).toMatch(/^start: must be before end/);
  });
});

describe('query strings', () => {
  it('rejects unknown parameters, listing the allowed ones', () => {
    expect(messageOf(rangeQuery, { start: '1', servcie: 'x' })).toBe(
      'unknown query parameter "servcie"; allowed: start, end',
    );
    expect(messageOf(noQuery, { a: '1', b: '2' })).toBe('unknown query parameters "a", "b"; allowed: none');
    expect(messageOf(logsQuery, { 'attr.x': '1' })).toMatch(/^unknown query parameter "attr.x"/);
  });

  it('rejects a parameter given twice', () => {
    expect(messageOf(tracesQuery, { limit: ['1', '2'] })).toBe('limit: given more than once; give it once');
  });

  it('bounds limit to 1..1000 with per-resource defaults', () => {
    expect(tracesQuery.parse({}).limit).toBe(20);
    expect(logsQuery.parse({}).limit).toBe(100);
    expect(logsQuery.parse({ limit: '1000' }).limit).toBe(1000);
    for (const bad of ['0', '1001', '-1', '2.5', 'ten', '']) {
      expect(messageOf(logsQuery, { limit: bad })).toBe(`limit: must be an integer from 1 to 1000, got ${JSON.stringify(bad)}`);
    }
  });

  it('reads durations in ms as ns and requires min <= max', () => {
    const q = tracesQuery.parse({ minDurationMs: '1.5', maxDurationMs: '250' });
    expect(q.minDurationMs).toBe(1_500_000n);
    expect(q.maxDurationMs).toBe(250n * MS);
    expect(messageOf(tracesQuery, { minDurationMs: '-1' })).toBe(
      'minDurationMs: must be a non-negative number of milliseconds, got "-1"',
    );
    expect(messageOf(tracesQuery, { minDurationMs: '10', maxDurationMs: '5' })).toBe(
      'minDurationMs: must not be greater than maxDurationMs',
    );
  });

  it('reads status, ids (lowercased) and severity', () => {
    expect(tracesQuery.parse({ status: 'error' }).status).toBe('error');
    expect(messageOf(tracesQuery, { status: 'ERROR' })).toBe('status: must be "error" or "ok", got "ERROR"');
    expect(traceIdPath.parse({ traceId: '0AF7651916CD43DD8448EB211C80319C' }).traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(messageOf(traceIdPath, { traceId: 'abc' })).toBe('traceId: must be 32 hex digits, got "abc"');
    expect(messageOf(logsQuery, { spanId: 'xyz' })).toBe('spanId: must be 16 hex digits, got "xyz"');
    expect(messageOf(containerIdPath, { id: 'orders' })).toBe('id: must be 64 hex digits, got "orders"');
    expect(logsQuery.parse({ severity: 'WARN' }).severity).toBe(13);
    expect(logsQuery.parse({ severity: 'fatal' }).severity).toBe(21);
    expect(logsQuery.parse({ severity: '24' }).severity).toBe(24);
    for (const bad of ['0', '25', 'loud']) expect(messageOf(logsQuery, { severity: bad })).toMatch(/^severity: must be trace, debug/);
  });

  it('collects attr.KEY=VALUE into the attribute filter, at most 10', () => {
    const q = tracesQuery.parse({ 'attr.http.route': '/orders', 'attr.peer.service': 'db' });
    expect(q.attr).toEqual({ 'http.route': '/orders', 'peer.service': 'db' });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`attr.k${i}`, 'v']));
    expect(messageOf(tracesQuery, eleven)).toBe('attr: at most 10 attr.KEY filters, got 11');
    expect(messageOf(tracesQuery, { 'attr.x': ['1', '2'] })).toBe('attr.x: given more than once; give it once');
    expect(messageOf(tracesQuery, { 'attr.': 'v' })).toBe('attr.: attribute name must be 1 to 256 characters');
    expect(messageOf(tracesQuery, { attr: 'v' })).toBe('attr: give attribute filters as attr.KEY=VALUE');
  });

  it('quotes at most 64 characters of a bad value', () => {
    expect(messageOf(rangeQuery, { end: 'x'.repeat(500) })).toBe(
      `end: must be milliseconds since the epoch or an RFC 3339 time, got "${'x'.repeat(64)}..."`,
    );
  });
});
