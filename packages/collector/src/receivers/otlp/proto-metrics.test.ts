/**
 * OTLP/protobuf metrics the OTel JS serializer never produces (summaries, unpacked repeated
 * fields, negative buckets, fields out of order, exemplars, NaN), built field by field with
 * @bufbuild/protobuf's BinaryWriter using metrics.proto's field numbers, and broken bodies.
 * Every case runs on both wire readers.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { makeProtoDecoder } from './proto.js';
import { bufbuildWireReader } from './wire-bufbuild.js';
import { protobufjsWireReader } from './wire-protobufjs.js';

const LEN = WireType.LengthDelimited;
const F64 = WireType.Bit64;
const VARINT = WireType.Varint;
const T = 1_760_000_000_123_456_789n;
const START = 1_760_000_000_000_000_000n;

function message(build: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter();
  build(w);
  return w.finish();
}

function keyValue(key: string, value: string): Uint8Array {
  return message((w) => w.tag(1, LEN).string(key).tag(2, LEN).bytes(message((v) => v.tag(1, LEN).string(value))));
}

/** A data point message: time first unless told otherwise, then the rest. */
function point(build: (w: BinaryWriter) => void, timeNs: bigint = T): Uint8Array {
  return message((w) => {
    if (timeNs !== 0n) w.tag(3, F64).fixed64(timeNs);
    build(w);
  });
}

/** Gauge/Sum/Histogram/... message: data_points = 1, then temporality = 2, is_monotonic = 3. */
function data(points: Uint8Array[], temporality?: number, monotonic?: boolean): Uint8Array {
  return message((w) => {
    for (const p of points) w.tag(1, LEN).bytes(p);
    if (temporality !== undefined) w.tag(2, VARINT).int32(temporality);
    if (monotonic !== undefined) w.tag(3, VARINT).bool(monotonic);
  });
}

const GAUGE = 5;
const SUM = 7;
const HISTOGRAM = 9;
const EXPONENTIAL = 10;
const SUMMARY = 11;

/** A Metric; the name is written after the data when `nameLast`, as a sender may. */
function metric(name: string, field: number, dataBytes: Uint8Array, nameLast = false, extra?: (w: BinaryWriter) => void): Uint8Array {
  return message((w) => {
    if (!nameLast) w.tag(1, LEN).string(name);
    w.tag(field, LEN).bytes(dataBytes);
    if (nameLast) w.tag(1, LEN).string(name).tag(3, LEN).string('ms').tag(2, LEN).string('what it is');
    extra?.(w);
  });
}

/** One resource with one scope; resource and scope after their items when `last`. */
function request(metrics: Uint8Array[], last = false): Uint8Array {
  const resource = message((w) => w.tag(1, LEN).bytes(keyValue('service.name', 'billing')));
  const scope = message((w) => w.tag(1, LEN).string('billing-meter').tag(2, LEN).string('0.1.0'));
  const scopeMetrics = message((w) => {
    if (!last) w.tag(1, LEN).bytes(scope);
    for (const m of metrics) w.tag(2, LEN).bytes(m);
    if (last) w.tag(1, LEN).bytes(scope);
  });
  const resourceMetrics = message((w) => {
    if (!last) w.tag(1, LEN).bytes(resource);
    w.tag(2, LEN).bytes(scopeMetrics);
    if (last) w.tag(1, LEN).bytes(resource);
  });
  return message((w) => w.tag(1, LEN).bytes(resourceMetrics));
}

function packedFixed64(values: bigint[]): Uint8Array {
  return message((w) => values.forEach((v) => w.fixed64(v)));
}
function packedDoubles(values: number[]): Uint8Array {
  return message((w) => values.forEach((v) => w.double(v)));
}
function packedVarints(values: bigint[]): Uint8Array {
  return message((w) => values.forEach((v) => w.uint64(v)));
}

const exemplar = message((w) =>
  w.tag(7, LEN).bytes(keyValue('user', 'u1')).tag(2, F64).fixed64(T).tag(3, F64).double(1.5).tag(4, LEN).bytes(new Uint8Array(8)).tag(5, LEN).bytes(new Uint8Array(16)),
);

describe.each([
  ['bufbuild', makeProtoDecoder(bufbuildWireReader)],
  ['protobufjs', makeProtoDecoder(protobufjsWireReader)],
])('OTLP/protobuf metrics on the %s reader', (_name, decoder) => {
  function rowsOf(body: Uint8Array) {
    const decoded = decoder.metrics(body);
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.rejected).toBe(0);
    return decoded.rows;
  }

  it('decodes an empty body as a request with no points', () => {
    expect(decoder.metrics(new Uint8Array(0))).toEqual({ ok: true, rows: [], rejected: 0, rejectMessage: '' });
  });

  it('decodes a summary with the metric name, resource and scope after what they describe', () => {
    const quantile = (q: number, v: number) => message((w) => w.tag(1, F64).double(q).tag(2, F64).double(v));
    const summaryPoint = point((w) =>
      w.tag(2, F64).fixed64(START).tag(4, F64).fixed64(12n).tag(5, F64).double(340.5)
        .tag(6, LEN).bytes(quantile(0, 1.5)).tag(6, LEN).bytes(quantile(0.99, 80)).tag(6, LEN).bytes(quantile(1, 95.25))
        .tag(7, LEN).bytes(keyValue('rpc.method', 'Charge')).tag(8, VARINT).uint32(0),
    );
    const rows = rowsOf(request([metric('rpc.duration', SUMMARY, data([summaryPoint]), true)], true));
    expect(rows).toEqual([
      {
        timeNs: T,
        startTimeNs: START,
        service: 'billing',
        name: 'rpc.duration',
        description: 'what it is',
        unit: 'ms',
        type: 'summary',
        temporality: 'unspecified',
        monotonic: false,
        value: null,
        valueIsInt: false,
        count: 12,
        sum: 340.5,
        min: null,
        max: null,
        distribution: { kind: 'quantiles', quantiles: [{ quantile: 0, value: 1.5 }, { quantile: 0.99, value: 80 }, { quantile: 1, value: 95.25 }] },
        flags: 0,
        attributes: { 'rpc.method': 'Charge' },
        resource: { 'service.name': 'billing' },
        scopeName: 'billing-meter',
        scopeVersion: '0.1.0',
        containerId: null,
      },
    ]);
  });

  it('decodes packed and unpacked histogram buckets and bounds to the same point', () => {
    const common = (w: BinaryWriter) => w.tag(4, F64).fixed64(7n).tag(5, F64).double(123.5).tag(11, F64).double(0.5).tag(12, F64).double(99);
    const packed = point((w) => {
      common(w);
      w.tag(6, LEN).bytes(packedFixed64([1n, 2n, 4n])).tag(7, LEN).bytes(packedDoubles([1, 10]));
    });
    const unpacked = point((w) => {
      common(w);
      for (const c of [1n, 2n, 4n]) w.tag(6, F64).fixed64(c);
      for (const b of [1, 10]) w.tag(7, F64).double(b);
    });
    // A packed run followed by single values appends, as protobuf parsers must.
    const mixed = point((w) => {
      common(w);
      w.tag(6, LEN).bytes(packedFixed64([1n])).tag(6, F64).fixed64(2n).tag(6, LEN).bytes(packedFixed64([4n]));
      w.tag(7, F64).double(1).tag(7, LEN).bytes(packedDoubles([10]));
    });
    const rows = rowsOf(request([metric('latency', HISTOGRAM, data([packed, unpacked, mixed], 1))]));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({
        type: 'histogram',
        temporality: 'delta',
        count: 7,
        sum: 123.5,
        min: 0.5,
        max: 99,
        distribution: { kind: 'explicit', bounds: [1, 10], counts: [1, 2, 4] },
      });
    }
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
  });

  it('decodes exponential histograms: negative scale and offsets, both sides, big counts, packed or not', () => {
    const big = 2n ** 40n + 1n; // beyond 32 bits, exact as a number
    const buckets = (offset: number, counts: bigint[], packed: boolean) =>
      message((w) => {
        w.tag(1, VARINT).sint32(offset);
        if (packed) w.tag(2, LEN).bytes(packedVarints(counts));
        else for (const c of counts) w.tag(2, VARINT).uint64(c);
      });
    const exponentialPoint = point((w) =>
      w.tag(1, LEN).bytes(keyValue('region', 'eu'))
        .tag(4, F64).fixed64(big + 9n).tag(5, F64).double(-12.25).tag(6, VARINT).sint32(-2).tag(7, F64).fixed64(3n)
        .tag(8, LEN).bytes(buckets(-3, [big, 4n], true)).tag(9, LEN).bytes(buckets(5, [2n], false))
        .tag(10, VARINT).uint32(0).tag(11, LEN).bytes(exemplar).tag(12, F64).double(-40).tag(13, F64).double(1e6).tag(14, F64).double(1e-9),
    );
    const [row] = rowsOf(request([metric('payload.size', EXPONENTIAL, data([exponentialPoint], 2))]));
    expect(row).toMatchObject({
      type: 'exponential_histogram',
      temporality: 'cumulative',
      count: Number(big + 9n),
      sum: -12.25,
      min: -40,
      max: 1e6,
      attributes: { region: 'eu' },
      distribution: {
        kind: 'exponential',
        scale: -2,
        zeroCount: 3,
        zeroThreshold: 1e-9,
        positive: { offset: -3, counts: [Number(big), 4] },
        negative: { offset: 5, counts: [2] },
      },
    });
  });

  it('decodes int and double values, negative ints, NaN and infinities, flags; skips exemplars', () => {
    const intPoint = (value: bigint) => point((w) => w.tag(6, F64).sfixed64(value).tag(5, LEN).bytes(exemplar));
    const doublePoint = (value: number, flags = 0) => point((w) => w.tag(4, F64).double(value).tag(8, VARINT).uint32(flags));
    const rows = rowsOf(
      request([
        metric('balance', SUM, data([intPoint(-5n), intPoint(2n ** 53n), intPoint(-(2n ** 40n))], 2, false)),
        metric('ratio', GAUGE, data([doublePoint(Number.NaN), doublePoint(Number.POSITIVE_INFINITY), doublePoint(Number.NEGATIVE_INFINITY, 1), point(() => {})])),
      ]),
    );
    expect(rows.map((row) => [row.name, row.type, row.value, row.valueIsInt, row.flags])).toEqual([
      ['balance', 'sum', -5, true, 0],
      ['balance', 'sum', 2 ** 53, true, 0],
      ['balance', 'sum', -(2 ** 40), true, 0],
      ['ratio', 'gauge', Number.NaN, false, 0],
      ['ratio', 'gauge', Number.POSITIVE_INFINITY, false, 0],
      ['ratio', 'gauge', Number.NEGATIVE_INFINITY, false, 1],
      ['ratio', 'gauge', null, false, 0], // neither as_double nor as_int: no recorded value
    ]);
    expect(rows[0]).toMatchObject({ temporality: 'cumulative', monotonic: false, attributes: {} });
  });

  it('merges a repeated data field and lets the last oneof member win', () => {
    const p = (value: number) => point((w) => w.tag(4, F64).double(value));
    const merged = message((w) => w.tag(1, LEN).string('m').tag(SUM, LEN).bytes(data([p(1)], 1, true)).tag(SUM, LEN).bytes(data([p(2)])));
    const replaced = message((w) => w.tag(1, LEN).string('r').tag(GAUGE, LEN).bytes(data([p(3)])).tag(SUM, LEN).bytes(data([p(4)], 2)));
    const rows = rowsOf(request([merged, replaced]));
    expect(rows.map((row) => [row.name, row.type, row.value, row.temporality, row.monotonic])).toEqual([
      ['m', 'sum', 1, 'delta', true],
      ['m', 'sum', 2, 'delta', true],
      ['r', 'sum', 4, 'cumulative', false],
    ]);
  });

  it('rejects nameless metrics, points without a time and mismatched buckets; stores the rest', () => {
    const good = point((w) => w.tag(4, F64).double(1));
    const noTime = point((w) => w.tag(4, F64).double(2), 0n);
    const badBuckets = point((w) => w.tag(6, LEN).bytes(packedFixed64([1n, 2n])).tag(7, LEN).bytes(packedDoubles([1, 2])));
    const noBuckets = point((w) => w.tag(4, F64).fixed64(0n));
    const decoded = decoder.metrics(
      request([
        metric('ok', GAUGE, data([good, noTime, good])),
        metric('', SUM, data([good, good])),
        metric('h', HISTOGRAM, data([badBuckets, noBuckets])),
        message((w) => w.tag(1, LEN).string('no data at all')),
      ]),
    );
    expect(decoded).toMatchObject({
      ok: true,
      rejected: 4,
      rejectMessage: '4 data points rejected: resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1]: timeUnixNano is 0 (a data point must say when it was recorded)',
    });
    if (!decoded.ok) return;
    expect(decoded.rows.map((row) => row.name)).toEqual(['ok', 'ok', 'h']);
    expect(decoded.rows[2]?.distribution).toEqual({ kind: 'explicit', bounds: [], counts: [] });
    const nameless = decoder.metrics(request([metric('', SUM, data([good, good]))]));
    expect(nameless).toMatchObject({ rejected: 2, rejectMessage: '2 data points rejected: resourceMetrics[0].scopeMetrics[0].metrics[0]: the metric has no name' });
    const mismatch = decoder.metrics(request([metric('h', HISTOGRAM, data([noBuckets, badBuckets]))]));
    expect(mismatch).toMatchObject({
      rejected: 1,
      rejectMessage: expect.stringContaining('metrics[0].histogram.dataPoints[1]: bucketCounts has 2 entries for 2 explicitBounds'),
    });
  });

  it('refuses broken packed runs, exemplars, varints and every truncation', () => {
    const withPoint = (build: (w: BinaryWriter) => void) => request([metric('m', HISTOGRAM, data([point(build)]))]);
    expect(decoder.metrics(withPoint((w) => w.tag(6, LEN).bytes(new Uint8Array(12))))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^invalid protobuf ExportMetricsServiceRequest \(\d+ bytes\): a packed field of 8-byte values is 12 bytes long/),
    });
    expect(decoder.metrics(withPoint((w) => w.tag(8, LEN).bytes(Uint8Array.from([0x12, 0x09, 0x00]))))).toMatchObject({ ok: false });
    const longVarint = message((w) => w.tag(2, LEN).bytes(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])));
    const exponential = request([metric('e', EXPONENTIAL, data([point((w) => w.tag(8, LEN).bytes(longVarint))]))]);
    expect(decoder.metrics(exponential)).toMatchObject({ ok: false, message: expect.stringContaining('longer than 10 bytes') });
    const unfinished = message((w) => w.tag(2, LEN).bytes(Uint8Array.from([0x80])));
    expect(decoder.metrics(request([metric('e', EXPONENTIAL, data([point((w) => w.tag(8, LEN).bytes(unfinished))]))])).ok).toBe(false);

    const body = request([
      metric('s', SUM, data([point((w) => w.tag(6, F64).sfixed64(3n).tag(7, LEN).bytes(keyValue('k', 'v')))], 2, true)),
      metric('h', HISTOGRAM, data([point((w) => w.tag(6, LEN).bytes(packedFixed64([1n, 2n])).tag(7, LEN).bytes(packedDoubles([5])))])),
      metric('e', EXPONENTIAL, data([point((w) => w.tag(8, LEN).bytes(message((b) => b.tag(2, LEN).bytes(packedVarints([300n, 1n])))))])),
    ]);
    expect(rowsOf(body)).toHaveLength(3);
    for (let cut = 1; cut < body.length; cut++) {
      expect(decoder.metrics(body.subarray(0, cut)).ok, `cut at ${cut} of ${body.length}`).toBe(false);
    }
  });
});
