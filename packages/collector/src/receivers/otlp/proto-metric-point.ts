import type { Attributes, MetricPointRow } from '../../model/rows.js';
import { newPointRow } from './metric-row.js';
import { readKeyValue } from './proto-common.js';
import { fixed64Number, readDoubles, readFixed64s, sfixed64Number } from './proto-packed.js';
import { UNKNOWN_SERVICE } from './values.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, delimitedEnd, expectEnd, skipMessage, tagOf } from './wire.js';
import type { WireReader } from './wire.js';

/**
 * NumberDataPoint, HistogramDataPoint and SummaryDataPoint of
 * opentelemetry/proto/metrics/v1/metrics.proto (the exponential histogram's point is in
 * proto-exponential-point.ts). Exemplars are not kept (tracedock links metrics to traces
 * through time and service, not sampled exemplars), but their framing is checked.
 */

// Shared by all points: start_time_unix_nano = 2, time_unix_nano = 3.
const POINT_START = tagOf(2, WIRE_FIXED64);
const POINT_TIME = tagOf(3, WIRE_FIXED64);

// NumberDataPoint: as_double = 4, exemplars = 5, as_int = 6 (sfixed64), attributes = 7, flags = 8.
const NUMBER_AS_DOUBLE = tagOf(4, WIRE_FIXED64);
const NUMBER_EXEMPLARS = tagOf(5, WIRE_LEN);
const NUMBER_AS_INT = tagOf(6, WIRE_FIXED64);
const NUMBER_ATTRIBUTES = tagOf(7, WIRE_LEN);
const NUMBER_FLAGS = tagOf(8, WIRE_VARINT);

// HistogramDataPoint: count = 4 (fixed64), sum = 5, bucket_counts = 6 (repeated fixed64),
// explicit_bounds = 7 (repeated double), exemplars = 8, attributes = 9, flags = 10, min = 11, max = 12.
const HISTOGRAM_COUNT = tagOf(4, WIRE_FIXED64);
const HISTOGRAM_SUM = tagOf(5, WIRE_FIXED64);
const HISTOGRAM_BUCKET_COUNTS_PACKED = tagOf(6, WIRE_LEN);
const HISTOGRAM_BUCKET_COUNT = tagOf(6, WIRE_FIXED64);
const HISTOGRAM_BOUNDS_PACKED = tagOf(7, WIRE_LEN);
const HISTOGRAM_BOUND = tagOf(7, WIRE_FIXED64);
const HISTOGRAM_EXEMPLARS = tagOf(8, WIRE_LEN);
const HISTOGRAM_ATTRIBUTES = tagOf(9, WIRE_LEN);
const HISTOGRAM_FLAGS = tagOf(10, WIRE_VARINT);
const HISTOGRAM_MIN = tagOf(11, WIRE_FIXED64);
const HISTOGRAM_MAX = tagOf(12, WIRE_FIXED64);

// SummaryDataPoint: count = 4 (fixed64), sum = 5, quantile_values = 6, attributes = 7, flags = 8;
// ValueAtQuantile: quantile = 1, value = 2.
const SUMMARY_COUNT = tagOf(4, WIRE_FIXED64);
const SUMMARY_SUM = tagOf(5, WIRE_FIXED64);
const SUMMARY_QUANTILES = tagOf(6, WIRE_LEN);
const SUMMARY_ATTRIBUTES = tagOf(7, WIRE_LEN);
const SUMMARY_FLAGS = tagOf(8, WIRE_VARINT);
const QUANTILE_QUANTILE = tagOf(1, WIRE_FIXED64);
const QUANTILE_VALUE = tagOf(2, WIRE_FIXED64);

/** Shared by rows until their resource is known; replaced before the rows leave. */
export const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** A gauge or sum point. */
export function readNumberPoint(r: WireReader, end: number, type: 'gauge' | 'sum'): MetricPointRow {
  const row = newPointRow(type, NO_ATTRIBUTES, UNKNOWN_SERVICE, '', '');
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === NUMBER_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), row.attributes, 0);
    else if (tag === POINT_TIME) row.timeNs = r.fixed64Exact();
    else if (tag === POINT_START) row.startTimeNs = r.fixed64Exact();
    else if (tag === NUMBER_AS_DOUBLE) {
      row.value = r.double();
      row.valueIsInt = false;
    } else if (tag === NUMBER_AS_INT) {
      row.value = sfixed64Number(r);
      row.valueIsInt = true;
    } else if (tag === NUMBER_FLAGS) row.flags = r.uint32();
    else if (tag === NUMBER_EXEMPLARS) skipMessage(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return row;
}

/** An explicit-bounds histogram point. */
export function readHistogramPoint(r: WireReader, end: number): MetricPointRow {
  const row = newPointRow('histogram', NO_ATTRIBUTES, UNKNOWN_SERVICE, '', '');
  const counts: number[] = [];
  const bounds: number[] = [];
  row.count = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === HISTOGRAM_BUCKET_COUNTS_PACKED || tag === HISTOGRAM_BUCKET_COUNT) readFixed64s(r, tag, end, counts);
    else if (tag === HISTOGRAM_BOUNDS_PACKED || tag === HISTOGRAM_BOUND) readDoubles(r, tag, end, bounds);
    else if (tag === HISTOGRAM_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), row.attributes, 0);
    else if (tag === POINT_TIME) row.timeNs = r.fixed64Exact();
    else if (tag === POINT_START) row.startTimeNs = r.fixed64Exact();
    else if (tag === HISTOGRAM_COUNT) row.count = fixed64Number(r);
    else if (tag === HISTOGRAM_SUM) row.sum = r.double();
    else if (tag === HISTOGRAM_MIN) row.min = r.double();
    else if (tag === HISTOGRAM_MAX) row.max = r.double();
    else if (tag === HISTOGRAM_FLAGS) row.flags = r.uint32();
    else if (tag === HISTOGRAM_EXEMPLARS) skipMessage(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  row.distribution = { kind: 'explicit', bounds, counts };
  return row;
}

/** A summary point; count and sum are plain (not optional) fields, 0 when absent. */
export function readSummaryPoint(r: WireReader, end: number): MetricPointRow {
  const row = newPointRow('summary', NO_ATTRIBUTES, UNKNOWN_SERVICE, '', '');
  const quantiles: { quantile: number; value: number }[] = [];
  row.count = 0;
  row.sum = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SUMMARY_QUANTILES) quantiles.push(readValueAtQuantile(r, delimitedEnd(r, end)));
    else if (tag === SUMMARY_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), row.attributes, 0);
    else if (tag === POINT_TIME) row.timeNs = r.fixed64Exact();
    else if (tag === POINT_START) row.startTimeNs = r.fixed64Exact();
    else if (tag === SUMMARY_COUNT) row.count = fixed64Number(r);
    else if (tag === SUMMARY_SUM) row.sum = r.double();
    else if (tag === SUMMARY_FLAGS) row.flags = r.uint32();
    else r.skipField(tag);
  }
  expectEnd(r, end);
  row.distribution = { kind: 'quantiles', quantiles };
  return row;
}

function readValueAtQuantile(r: WireReader, end: number): { quantile: number; value: number } {
  const entry = { quantile: 0, value: 0 };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === QUANTILE_QUANTILE) entry.quantile = r.double();
    else if (tag === QUANTILE_VALUE) entry.value = r.double();
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return entry;
}
