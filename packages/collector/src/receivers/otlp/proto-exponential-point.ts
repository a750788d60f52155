import type { ExponentialBuckets, MetricPointRow } from '../../model/rows.js';
import { newPointRow } from './metric-row.js';
import { readKeyValue } from './proto-common.js';
import { NO_ATTRIBUTES } from './proto-metric-point.js';
import { fixed64Number, readUint64Varints, sint32 } from './proto-packed.js';
import { UNKNOWN_SERVICE } from './values.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, delimitedEnd, expectEnd, skipMessage, tagOf } from './wire.js';
import type { WireReader } from './wire.js';

/**
 * ExponentialHistogramDataPoint of opentelemetry/proto/metrics/v1/metrics.proto. Exemplars
 * are not kept (see proto-metric-point.ts), but their framing is checked.
 */

// attributes = 1, start_time_unix_nano = 2, time_unix_nano = 3, count = 4 (fixed64), sum = 5,
// scale = 6 (sint32), zero_count = 7 (fixed64), positive = 8, negative = 9, flags = 10,
// exemplars = 11, min = 12, max = 13, zero_threshold = 14.
const EXP_ATTRIBUTES = tagOf(1, WIRE_LEN);
const EXP_START = tagOf(2, WIRE_FIXED64);
const EXP_TIME = tagOf(3, WIRE_FIXED64);
const EXP_COUNT = tagOf(4, WIRE_FIXED64);
const EXP_SUM = tagOf(5, WIRE_FIXED64);
const EXP_SCALE = tagOf(6, WIRE_VARINT);
const EXP_ZERO_COUNT = tagOf(7, WIRE_FIXED64);
const EXP_POSITIVE = tagOf(8, WIRE_LEN);
const EXP_NEGATIVE = tagOf(9, WIRE_LEN);
const EXP_FLAGS = tagOf(10, WIRE_VARINT);
const EXP_EXEMPLARS = tagOf(11, WIRE_LEN);
const EXP_MIN = tagOf(12, WIRE_FIXED64);
const EXP_MAX = tagOf(13, WIRE_FIXED64);
const EXP_ZERO_THRESHOLD = tagOf(14, WIRE_FIXED64);

// Buckets: offset = 1 (sint32), bucket_counts = 2 (repeated uint64 varints).
const BUCKETS_OFFSET = tagOf(1, WIRE_VARINT);
const BUCKETS_COUNTS_PACKED = tagOf(2, WIRE_LEN);
const BUCKETS_COUNT = tagOf(2, WIRE_VARINT);

/** An exponential (base-2) histogram point; absent bucket sides are empty. */
export function readExponentialPoint(r: WireReader, end: number): MetricPointRow {
  const row = newPointRow('exponential_histogram', NO_ATTRIBUTES, UNKNOWN_SERVICE, '', '');
  let scale = 0;
  let zeroCount = 0;
  let zeroThreshold = 0;
  const positive: ExponentialBuckets = { offset: 0, counts: [] };
  const negative: ExponentialBuckets = { offset: 0, counts: [] };
  row.count = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === EXP_POSITIVE) readBuckets(r, delimitedEnd(r, end), positive);
    else if (tag === EXP_NEGATIVE) readBuckets(r, delimitedEnd(r, end), negative);
    else if (tag === EXP_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), row.attributes, 0);
    else if (tag === EXP_TIME) row.timeNs = r.fixed64Exact();
    else if (tag === EXP_START) row.startTimeNs = r.fixed64Exact();
    else if (tag === EXP_COUNT) row.count = fixed64Number(r);
    else if (tag === EXP_SUM) row.sum = r.double();
    else if (tag === EXP_SCALE) scale = sint32(r);
    else if (tag === EXP_ZERO_COUNT) zeroCount = fixed64Number(r);
    else if (tag === EXP_ZERO_THRESHOLD) zeroThreshold = r.double();
    else if (tag === EXP_MIN) row.min = r.double();
    else if (tag === EXP_MAX) row.max = r.double();
    else if (tag === EXP_FLAGS) row.flags = r.uint32();
    else if (tag === EXP_EXEMPLARS) skipMessage(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  row.distribution = { kind: 'exponential', scale, zeroCount, zeroThreshold, positive, negative };
  return row;
}

/** A Buckets message, merged into `into` (a repeated message field merges, per protobuf). */
function readBuckets(r: WireReader, end: number, into: ExponentialBuckets): void {
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === BUCKETS_COUNTS_PACKED || tag === BUCKETS_COUNT) readUint64Varints(r, tag, end, into.counts);
    else if (tag === BUCKETS_OFFSET) into.offset = sint32(r);
    else r.skipField(tag);
  }
  expectEnd(r, end);
}
