/**
 * OTLP/protobuf edge cases the OTel JS serializer never produces, built field by field with
 * @bufbuild/protobuf's BinaryWriter (field numbers from opentelemetry-proto), and hostile or
 * broken bodies. Every case runs on both wire readers. Metrics are in proto-metrics.test.ts.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { makeProtoDecoder } from './proto.js';
import { bufbuildWireReader } from './wire-bufbuild.js';
import { protobufjsWireReader } from './wire-protobufjs.js';

const LEN = WireType.LengthDelimited;
const NOW_NS = 1_800_000_000_000_000_000n;
const TRACE = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const SPAN = Buffer.from('eee19b7ec3c1b174', 'hex');
const PARENT = Buffer.from('eee19b7ec3c1b173', 'hex');

function message(build: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter();
  build(w);
  return w.finish();
}

const any = {
  string: (value: string) => message((w) => w.tag(1, LEN).string(value)),
  bool: (value: boolean) => message((w) => w.tag(2, WireType.Varint).bool(value)),
  int: (value: bigint) => message((w) => w.tag(3, WireType.Varint).int64(value)),
  double: (value: number) => message((w) => w.tag(4, WireType.Bit64).double(value)),
  array: (values: Uint8Array[]) =>
    message((w) => w.tag(5, LEN).bytes(message((a) => values.forEach((v) => a.tag(1, LEN).bytes(v))))),
  kvlist: (values: Uint8Array[]) =>
    message((w) => w.tag(6, LEN).bytes(message((l) => values.forEach((v) => l.tag(1, LEN).bytes(v))))),
  bytes: (value: Uint8Array) => message((w) => w.tag(7, LEN).bytes(value)),
  empty: () => new Uint8Array(0),
};

function keyValue(key: string, value: Uint8Array): Uint8Array {
  return message((w) => w.tag(1, LEN).string(key).tag(2, LEN).bytes(value));
}

interface SpanFields {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  kind?: number;
  startNs?: bigint;
  endNs?: bigint;
  attributes?: Uint8Array[];
  links?: Uint8Array[];
  status?: Uint8Array;
  extra?: (w: BinaryWriter) => void;
}

function span(fields: SpanFields = {}): Uint8Array {
  return message((w) => {
    w.tag(1, LEN).bytes(fields.traceId ?? TRACE);
    w.tag(2, LEN).bytes(fields.spanId ?? SPAN);
    if (fields.parentSpanId) w.tag(4, LEN).bytes(fields.parentSpanId);
    w.tag(5, LEN).string(fields.name ?? 'op');
    if (fields.kind !== undefined) w.tag(6, WireType.Varint).int32(fields.kind);
    w.tag(7, WireType.Bit64).fixed64(fields.startNs ?? 1n);
    w.tag(8, WireType.Bit64).fixed64(fields.endNs ?? 2n);
    for (const attribute of fields.attributes ?? []) w.tag(9, LEN).bytes(attribute);
    for (const link of fields.links ?? []) w.tag(13, LEN).bytes(link);
    if (fields.status) w.tag(15, LEN).bytes(fields.status);
    fields.extra?.(w);
  });
}

function scopeSpans(spans: Uint8Array[], scope?: { name: string; version: string }, scopeLast = false): Uint8Array {
  const scopeBytes = scope && message((w) => w.tag(1, LEN).string(scope.name).tag(2, LEN).string(scope.version));
  return message((w) => {
    if (scopeBytes && !scopeLast) w.tag(1, LEN).bytes(scopeBytes);
    for (const s of spans) w.tag(2, LEN).bytes(s);
    if (scopeBytes && scopeLast) w.tag(1, LEN).bytes(scopeBytes);
  });
}

function resourceSpans(scopes: Uint8Array[], resourceAttributes?: Uint8Array[], resourceLast = false): Uint8Array {
  const resource = resourceAttributes && message((w) => resourceAttributes.forEach((a) => w.tag(1, LEN).bytes(a)));
  return message((w) => {
    if (resource && !resourceLast) w.tag(1, LEN).bytes(resource);
    for (const s of scopes) w.tag(2, LEN).bytes(s);
    if (resource && resourceLast) w.tag(1, LEN).bytes(resource);
  });
}

function request(resources: Uint8Array[]): Uint8Array {
  return message((w) => resources.forEach((r) => w.tag(1, LEN).bytes(r)));
}

function oneSpan(fields: SpanFields = {}): Uint8Array {
  return request([resourceSpans([scopeSpans([span(fields)])])]);
}

describe.each([
  ['bufbuild', makeProtoDecoder(bufbuildWireReader)],
  ['protobufjs', makeProtoDecoder(protobufjsWireReader)],
])('OTLP/protobuf on the %s reader', (_name, decoder) => {
  function onlyRow(body: Uint8Array) {
    const decoded = decoder.traces(body);
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.rejected).toBe(0);
    expect(decoded.rows).toHaveLength(1);
    return decoded.rows[0]!;
  }

  it('decodes an empty body as a request with no spans, logs or metrics', () => {
    expect(decoder.traces(new Uint8Array(0))).toEqual({ ok: true, rows: [], rejected: 0, rejectMessage: '' });
    expect(decoder.logs(new Uint8Array(0), NOW_NS)).toEqual({ ok: true, rows: [], rejected: 0, rejectMessage: '' });
    expect(decoder.metrics(new Uint8Array(0))).toEqual({ ok: true, rows: [], rejected: 0, rejectMessage: '' });
  });

  it('keeps int64 exact: numbers while safe, decimal text beyond 2^53', () => {
    const row = onlyRow(
      oneSpan({
        attributes: [
          keyValue('safe', any.int(9_007_199_254_740_991n)),
          keyValue('unsafe', any.int(9_007_199_254_740_993n)),
          keyValue('min', any.int(-(2n ** 63n))),
          keyValue('negative', any.int(-5n)),
        ],
      }),
    );
    expect(row.attributes).toEqual({
      safe: 9_007_199_254_740_991,
      unsafe: '9007199254740993',
      min: '-9223372036854775808',
      negative: -5,
    });
  });

  it('keeps fixed64 nanosecond times exact up to 2^64 - 1', () => {
    const row = onlyRow(oneSpan({ startNs: 1_760_000_000_123_456_789n, endNs: 2n ** 64n - 1n }));
    expect(row.startNs).toBe(1_760_000_000_123_456_789n);
    expect(row.endNs).toBe(18_446_744_073_709_551_615n);
  });

  it('maps doubles, bytes, kvlists, nested arrays, empty values and a __proto__ key', () => {
    const row = onlyRow(
      oneSpan({
        attributes: [
          keyValue('nan', any.double(Number.NaN)),
          keyValue('inf', any.double(Number.NEGATIVE_INFINITY)),
          keyValue('pi', any.double(3.14159)),
          keyValue('bytes', any.bytes(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))),
          keyValue('map', any.kvlist([keyValue('a', any.int(1n)), keyValue('b', any.array([any.bool(true), any.string('x')]))])),
          keyValue('nested', any.array([any.array([any.int(1n)]), any.empty()])),
          keyValue('nothing', any.empty()),
          keyValue('__proto__', any.string('not a prototype')),
        ],
      }),
    );
    expect(row.attributes).toEqual({
      nan: 'NaN',
      inf: '-Infinity',
      pi: 3.14159,
      bytes: '3q2+7w==',
      map: { a: 1, b: [true, 'x'] },
      nested: [[1], null],
      nothing: null,
      ['__proto__']: 'not a prototype',
    });
    expect(Object.getPrototypeOf(row.attributes)).toBe(Object.prototype);
    expect(Object.keys(row.attributes)).toContain('__proto__');
  });

  it('fills resource and scope into spans that precede them on the wire', () => {
    const body = request([
      resourceSpans(
        [scopeSpans([span()], { name: 'lib', version: '2.0' }, true)],
        [keyValue('service.name', any.string('late'))],
        true,
      ),
    ]);
    expect(onlyRow(body)).toMatchObject({ service: 'late', resource: { 'service.name': 'late' }, scopeName: 'lib', scopeVersion: '2.0' });
  });

  it('skips unknown fields of every wire type', () => {
    const unknown = (w: BinaryWriter) => {
      w.tag(100, WireType.Varint).uint64(2n ** 63n);
      w.tag(101, WireType.Bit32).fixed32(7);
      w.tag(102, WireType.Bit64).fixed64(7n);
      w.tag(103, LEN).string('future field');
      w.tag(16, WireType.Bit32).fixed32(0x301); // Span.flags, known but not kept
    };
    const row = onlyRow(oneSpan({ extra: unknown, name: 'still here' }));
    expect(row.name).toBe('still here');
  });

  it('clamps unknown kinds and status codes to unspecified/unset', () => {
    expect(onlyRow(oneSpan({ kind: 9 })).kind).toBe(0);
    expect(onlyRow(oneSpan({ kind: -1 })).kind).toBe(0); // a 10-byte varint
    expect(onlyRow(oneSpan({ kind: 5 })).kind).toBe(5);
    const status = message((w) => w.tag(2, LEN).string('odd').tag(3, WireType.Varint).int32(7));
    expect(onlyRow(oneSpan({ status }))).toMatchObject({ statusCode: 0, statusMessage: 'odd' });
  });

  it('treats an all-zero parentSpanId as a root span', () => {
    expect(onlyRow(oneSpan({ parentSpanId: new Uint8Array(8) })).parentSpanId).toBeNull();
    expect(onlyRow(oneSpan({ parentSpanId: PARENT })).parentSpanId).toBe('eee19b7ec3c1b173');
  });

  it('rejects spans with bad ids or times, keeps the rest, and names the first problem', () => {
    const badLink = message((w) => w.tag(1, LEN).bytes(TRACE).tag(2, LEN).bytes(new Uint8Array(3)));
    const body = request([
      resourceSpans([
        scopeSpans([span({ name: 'ok 0' }), span({ name: 'ok 1' }), span({ name: 'ok 2' })]),
        scopeSpans([
          span({ name: 'ok 3' }),
          span({ traceId: new Uint8Array(5) }),
          span({ spanId: new Uint8Array(8) }),
          span({ parentSpanId: new Uint8Array(3) }),
          span({ startNs: 10n, endNs: 9n }),
          span({ links: [badLink] }),
        ]),
      ]),
      resourceSpans([scopeSpans([span({ traceId: new Uint8Array(0) }), span({ name: 'ok 4' })])]),
    ]);
    const decoded = decoder.traces(body);
    expect(decoded).toMatchObject({
      ok: true,
      rejected: 6,
      rejectMessage: '6 spans rejected: span 1 of scope 1 of resource 0: traceId must be 16 bytes, got 5',
    });
    if (decoded.ok) expect(decoded.rows.map((row) => row.name)).toEqual(['ok 0', 'ok 1', 'ok 2', 'ok 3', 'ok 4']);
    const reasons: [SpanFields, string][] = [
      [{ spanId: new Uint8Array(8) }, 'spanId must not be all zero'],
      [{ parentSpanId: new Uint8Array(3) }, 'parentSpanId must be empty or 8 bytes, got 3'],
      [{ startNs: 10n, endNs: 9n }, 'endTimeUnixNano 9 is before startTimeUnixNano 10'],
      [{ links: [badLink] }, 'link 0: spanId must be 8 bytes, got 3'],
      [{ traceId: new Uint8Array(0) }, 'traceId must be 16 bytes, got 0'],
    ];
    for (const [fields, reason] of reasons) {
      expect(decoder.traces(oneSpan(fields))).toMatchObject({
        ok: true,
        rows: [],
        rejectMessage: `1 span rejected: span 0 of scope 0 of resource 0: ${reason}`,
      });
    }
  });

  it('refuses every truncation of a valid request, without throwing', () => {
    const body = request([
      resourceSpans(
        [scopeSpans([span({ attributes: [keyValue('k', any.string('v'))] }), span({ kind: 2 })], { name: 's', version: '1' })],
        [keyValue('service.name', any.string('svc'))],
      ),
    ]);
    expect(decoder.traces(body).ok).toBe(true);
    for (let cut = 1; cut < body.length; cut++) {
      const decoded = decoder.traces(body.subarray(0, cut));
      expect(decoded.ok, `cut at ${cut} of ${body.length}`).toBe(false);
    }
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const random = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let i = 0; i < 2000; i++) {
      const body = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      for (const decoded of [decoder.traces(body), decoder.logs(body, NOW_NS), decoder.metrics(body)]) {
        if (!decoded.ok) expect(decoded.message).toMatch(/^invalid protobuf Export\w+ServiceRequest \(\d+ bytes\): ./);
      }
    }
  });

  it('refuses a huge declared length without allocating for it', () => {
    // ResourceSpans declared as 4 GiB - 1, then a few bytes: the whole body is 9 bytes.
    const topLevel = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
    // A 2 GiB attribute key inside a well-framed span.
    const keyLength = [0x0a, 0x80, 0x80, 0x80, 0x80, 0x08];
    const kv = Uint8Array.from([...keyLength, 0x61]);
    const inner = oneSpan({ attributes: [kv] });
    const before = process.memoryUsage();
    const results = [decoder.traces(topLevel), decoder.logs(topLevel, NOW_NS), decoder.metrics(topLevel), decoder.traces(inner)];
    const after = process.memoryUsage();
    for (const decoded of results) expect(decoded.ok).toBe(false);
    expect(results[0]).toMatchObject({ message: expect.stringContaining('length 4294967295 at byte 1 runs past the end') });
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(1 << 20);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(16 << 20);
  });

  it('refuses illegal tags, bad wire types, overrunning fields and deep nesting', () => {
    expect(decoder.traces(Uint8Array.from([0x0f, 0x00])).ok).toBe(false); // wire type 7
    expect(decoder.traces(Uint8Array.from([0x00, 0x00])).ok).toBe(false); // field number 0
    // A span name whose length runs past the span but not past the body.
    const overrun = message((w) => w.tag(1, LEN).bytes(message((r) => r.tag(2, LEN).bytes(Uint8Array.from([0x12, 0x02, 0x2a, 0x05])))).raw(new Uint8Array(8)));
    const decoded = decoder.traces(overrun);
    expect(decoded.ok).toBe(false);
    let deep = any.string('bottom');
    for (let i = 0; i < 100; i++) deep = any.array([deep]);
    expect(decoder.traces(oneSpan({ attributes: [keyValue('deep', deep)] }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('AnyValue nested deeper than 32'),
    });
  });

  describe('logs', () => {
    function logsRequest(records: Uint8Array[]): Uint8Array {
      return request([message((w) => w.tag(2, LEN).bytes(message((s) => records.forEach((r) => s.tag(2, LEN).bytes(r)))))]);
    }
    function record(build: (w: BinaryWriter) => void): Uint8Array {
      return message(build);
    }

    it('rejects records with ids of the wrong length and keeps the others', () => {
      const decoded = decoder.logs(
        logsRequest([
          record((w) => w.tag(9, LEN).bytes(new Uint8Array(4))),
          record((w) => w.tag(9, LEN).bytes(new Uint8Array(16)).tag(10, LEN).bytes(new Uint8Array(8))),
          record((w) => w.tag(9, LEN).bytes(TRACE).tag(10, LEN).bytes(new Uint8Array(9))),
          record((w) => w.tag(2, WireType.Varint).int32(99).tag(5, LEN).bytes(any.kvlist([]))),
        ]),
        NOW_NS,
      );
      expect(decoded).toMatchObject({
        ok: true,
        rejected: 2,
        rejectMessage: '2 log records rejected: log record 0 of scope 0 of resource 0: traceId must be empty or 16 bytes, got 4',
      });
      if (!decoded.ok) return;
      // All-zero ids mean "no trace context"; severity 99 is not a SeverityNumber.
      expect(decoded.rows).toMatchObject([
        { traceId: null, spanId: null, timeNs: NOW_NS, body: '' },
        { severityNumber: 0, body: '{}', service: 'unknown_service' },
      ]);
    });
  });
});
