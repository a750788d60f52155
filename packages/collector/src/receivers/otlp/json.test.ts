/**
 * OTLP/JSON as the spec writes it and as other senders bend it: hex ids in any case, int64 as
 * strings or (big) numbers, enum names, base64 bytes; and every wrong shape refused by path.
 * Metrics are in json-metrics.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { jsonDecoder } from './json.js';

const NOW_NS = 1_800_000_000_000_000_000n;
const TRACE = '5B8EFFF798038103D269B633813FC60C';
const SPAN = 'EEE19B7EC3C1B174';

function body(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
}

function traces(spans: unknown[], extra: Record<string, unknown> = {}): Uint8Array {
  return body({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
        scopeSpans: [{ scope: { name: 'lib', version: '1' }, spans }],
        ...extra,
      },
    ],
  });
}

const span = { traceId: TRACE, spanId: SPAN, name: 'op', startTimeUnixNano: '1', endTimeUnixNano: '2' };

function onlyRow(request: Uint8Array) {
  const decoded = jsonDecoder.traces(request);
  if (!decoded.ok) throw new Error(decoded.message);
  expect(decoded.rejected).toBe(0);
  expect(decoded.rows).toHaveLength(1);
  return decoded.rows[0]!;
}

describe('OTLP/JSON traces', () => {
  it('lowercases hex ids and accepts enum names as well as numbers', () => {
    const row = onlyRow(
      traces([{ ...span, parentSpanId: 'AAAAAAAAAAAAAAAA', kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_ERROR', message: 'boom' } }]),
    );
    expect(row).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'aaaaaaaaaaaaaaaa',
      kind: 2,
      statusCode: 2,
      statusMessage: 'boom',
      service: 'orders',
      scopeName: 'lib',
      scopeVersion: '1',
    });
    expect(onlyRow(traces([{ ...span, kind: 3, status: { code: 1 } }]))).toMatchObject({ kind: 3, statusCode: 1 });
    expect(onlyRow(traces([{ ...span, kind: 42 }])).kind).toBe(0);
  });

  it('reads int64 times as decimal strings or numbers, exactly even beyond 2^53', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE}","spanId":"${SPAN}",
      "startTimeUnixNano":1760000000123456789,"endTimeUnixNano":"18446744073709551615",
      "events":[{"timeUnixNano":1760000000000000001,"name":"e"}],
      "attributes":[{"key":"big","value":{"intValue":9007199254740993}},{"key":"str","value":{"intValue":"-9223372036854775808"}},
        {"key":"small","value":{"intValue":42}},{"key":"exp","value":{"doubleValue":1e300}}]}]}]}]}`;
    const row = onlyRow(body(text));
    expect(row.startNs).toBe(1_760_000_000_123_456_789n);
    expect(row.endNs).toBe(18_446_744_073_709_551_615n);
    expect(row.events[0]?.timeNs).toBe(1_760_000_000_000_000_001n);
    expect(row.attributes).toEqual({ big: '9007199254740993', str: '-9223372036854775808', small: 42, exp: 1e300 });
    expect(row.service).toBe('unknown_service');
  });

  it('maps every AnyValue form', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'd', value: { doubleValue: 0.5 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: 'Infinity' } },
      { key: 'bytes', value: { bytesValue: '3q2-7w' } }, // URL-safe, unpadded
      { key: 'arr', value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }, {}] } } },
      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
      { key: 'empty', value: {} },
      { key: 'absent' },
      { key: '__proto__', value: { stringValue: 'plain key' } },
    ];
    const row = onlyRow(traces([{ ...span, attributes }]));
    expect(row.attributes).toEqual({
      s: 'x',
      b: true,
      d: 0.5,
      nan: 'NaN',
      inf: 'Infinity',
      bytes: '3q2+7w==',
      arr: [1, 'two', null],
      map: { k: false },
      empty: null,
      absent: null,
      ['__proto__']: 'plain key',
    });
    expect(Object.getPrototypeOf(row.attributes)).toBe(Object.prototype);
  });

  it('ignores unknown fields and treats null as absent', () => {
    const row = onlyRow(traces([{ ...span, futureField: { x: 1 }, parentSpanId: null, traceState: null, events: null }], { schemaUrl: 'x' }));
    expect(row).toMatchObject({ parentSpanId: null, traceState: '', events: [] });
  });

  it('rejects spans with bad ids or times and keeps the rest', () => {
    const decoded = jsonDecoder.traces(
      traces([
        span,
        span,
        span,
        { ...span, traceId: 'abcde12345' },
        { ...span, spanId: 'not hex at all!!' },
        { ...span, spanId: '0000000000000000' },
        { ...span, traceId: '' },
        { ...span, startTimeUnixNano: '5', endTimeUnixNano: '4' },
        { ...span, links: [{ traceId: TRACE, spanId: 'abc' }] },
      ]),
    );
    expect(decoded).toMatchObject({
      ok: true,
      rejected: 6,
      rejectMessage: '6 spans rejected: span 3 of scope 0 of resource 0: traceId must be 16 bytes, got 5',
    });
    if (decoded.ok) expect(decoded.rows).toHaveLength(3);
    const reasons: [Record<string, unknown>, string][] = [
      [{ spanId: 'not hex at all!!' }, 'spanId must be an even number of hex digits, got "not hex at all!!"'],
      [{ spanId: '0000000000000000' }, 'spanId must not be all zero'],
      [{ startTimeUnixNano: '5', endTimeUnixNano: '4' }, 'endTimeUnixNano 4 is before startTimeUnixNano 5'],
      [{ links: [{ traceId: TRACE, spanId: 'abc' }] }, 'link 0: spanId must be an even number of hex digits, got "abc"'],
    ];
    for (const [change, reason] of reasons) {
      expect(jsonDecoder.traces(traces([{ ...span, ...change }]))).toMatchObject({
        rejectMessage: `1 span rejected: span 0 of scope 0 of resource 0: ${reason}`,
      });
    }
  });

  it.each([
    ['an empty body', '', 'invalid JSON: '],
    ['invalid JSON', '{"resourceSpans": [', 'invalid JSON: '],
    ['a JSON array', '[]', 'the request body must be an object, got an array'],
    ['resourceSpans not an array', { resourceSpans: {} }, 'resourceSpans must be an array, got an object'],
    ['a resource that is a string', { resourceSpans: [{ resource: 'x' }] }, 'resourceSpans[0]: resource must be an object, got "x"'],
    ['a span that is a number', { resourceSpans: [{ scopeSpans: [{ spans: [1] }] }] }, 'resourceSpans[0].scopeSpans[0].spans[0]: Span must be an object, got number 1'],
    ['a numeric traceId', { resourceSpans: [{ scopeSpans: [{}, { spans: [{ ...span, traceId: 12 }] }] }] }, 'resourceSpans[0].scopeSpans[1].spans[0]: traceId must be a string, got number 12'],
    ['a fractional time', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, startTimeUnixNano: 1.5 }] }] }] }, 'startTimeUnixNano must be a 64-bit integer (number or decimal string), got number 1.5'],
    ['a negative time', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, endTimeUnixNano: '-1' }] }] }] }, 'endTimeUnixNano is out of the uint64 range: -1'],
    ['attributes not an array', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, attributes: { a: 1 } }] }] }] }, 'spans[0]: attributes must be an array, got an object'],
    ['a key that is not a string', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, attributes: [{ key: 1 }] }] }] }] }, 'spans[0].attributes[0]: key must be a string, got number 1'],
    ['a bool that is a string', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, attributes: [{ key: 'k', value: { boolValue: 'yes' } }] }] }] }] }, 'attributes[0]: boolValue must be a boolean'],
    ['an intValue out of range', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }] }] }] }, 'intValue is out of the int64 range'],
    ['bytes that are not base64', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, attributes: [{ key: 'k', value: { bytesValue: '***' } }] }] }] }] }, 'bytesValue must be base64 text'],
    ['an unknown kind name', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, kind: 'SPAN_KIND_WEIRD' }] }] }] }, 'kind must be an enum number or name, got "SPAN_KIND_WEIRD"'],
    ['an events entry that is null', { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, events: [null] }] }] }] }, 'spans[0].events[0]: Event must be an object, got null'],
  ])('refuses %s with a message naming it', (_case, input, message) => {
    const decoded = jsonDecoder.traces(body(input));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.message).toContain(message);
  });

  it('refuses bodies that are not UTF-8 and AnyValues nested too deep', () => {
    expect(jsonDecoder.traces(Uint8Array.from([0x7b, 0xff, 0x7d]))).toEqual({ ok: false, message: 'invalid JSON: the body is not UTF-8' });
    let deep: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 100; i++) deep = { arrayValue: { values: [deep] } };
    const decoded = jsonDecoder.traces(traces([{ ...span, attributes: [{ key: 'deep', value: deep }] }]));
    expect(decoded).toMatchObject({ ok: false, message: expect.stringContaining('AnyValue nested deeper than 32') });
  });

  it('decodes a request with no resourceSpans as no spans', () => {
    expect(jsonDecoder.traces(body({}))).toEqual({ ok: true, rows: [], rejected: 0, rejectMessage: '' });
  });
});

describe('OTLP/JSON logs', () => {
  function logs(records: unknown[]): Uint8Array {
    return body({ resourceLogs: [{ scopeLogs: [{ scope: { name: 'pino' }, logRecords: records }] }] });
  }

  it('maps times, ids, severity names and bodies; rejects ids of the wrong length', () => {
    const decoded = jsonDecoder.logs(
      logs([
        { observedTimeUnixNano: '7', severityNumber: 'SEVERITY_NUMBER_WARN2', body: { kvlistValue: { values: [{ key: 'a', value: { intValue: 1 } }] } }, traceId: TRACE, spanId: SPAN },
        { timeUnixNano: '9', severityNumber: 21, severityText: 'FATAL', body: { stringValue: 'bye' }, traceId: '', spanId: '' },
        { traceId: 'abcd' },
        {},
      ]),
      NOW_NS,
    );
    expect(decoded).toMatchObject({
      ok: true,
      rejected: 1,
      rejectMessage: '1 log record rejected: log record 2 of scope 0 of resource 0: traceId must be empty or 16 bytes, got 2',
    });
    if (!decoded.ok) return;
    expect(decoded.rows).toEqual([
      expect.objectContaining({ timeNs: 7n, observedTimeNs: 7n, severityNumber: 14, body: '{"a":1}', traceId: TRACE.toLowerCase(), spanId: SPAN.toLowerCase(), scopeName: 'pino', service: 'unknown_service', source: 'otlp' }),
      expect.objectContaining({ timeNs: 9n, observedTimeNs: NOW_NS, severityNumber: 21, severityText: 'FATAL', body: 'bye', traceId: null, spanId: null }),
      expect.objectContaining({ timeNs: NOW_NS, observedTimeNs: NOW_NS, body: '', severityNumber: 0 }),
    ]);
  });

  it('refuses a wrong shape with its path', () => {
    expect(jsonDecoder.logs(body({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: 'text' }] }] }] }), NOW_NS)).toEqual({
      ok: false,
      message: 'invalid OTLP/JSON ExportLogsServiceRequest: resourceLogs[0].scopeLogs[0].logRecords[0].body: AnyValue must be an object, got "text"',
    });
  });
});
