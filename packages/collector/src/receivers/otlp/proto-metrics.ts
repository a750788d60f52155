import { WIRE_LEN, delimitedEnd, expectEnd, skipMessage, tagOf } from './wire.js';
import type { WireReader } from './wire.js';

/**
 * ExportMetricsServiceRequest (opentelemetry/proto/collector/metrics/v1,
 * metrics/v1/metrics.proto): tracedock does not store OTLP metrics (container metrics come
 * from Docker), but it accepts them so that SDKs exporting all signals do not fail, and
 * counts their data points for /metrics. Every message down to each data point's fields is
 * walked, so a malformed request is still refused.
 */

const REQUEST_RESOURCE_METRICS = tagOf(1, WIRE_LEN);
const RESOURCE_RESOURCE = tagOf(1, WIRE_LEN);
const RESOURCE_SCOPE_METRICS = tagOf(2, WIRE_LEN);
const SCOPE_SCOPE = tagOf(1, WIRE_LEN);
const SCOPE_METRICS = tagOf(2, WIRE_LEN);

// Metric oneof data: gauge = 5, sum = 7, histogram = 9, exponential_histogram = 10,
// summary = 11. Each of those messages holds `repeated ... data_points = 1`.
const METRIC_GAUGE = tagOf(5, WIRE_LEN);
const METRIC_SUM = tagOf(7, WIRE_LEN);
const METRIC_HISTOGRAM = tagOf(9, WIRE_LEN);
const METRIC_EXPONENTIAL_HISTOGRAM = tagOf(10, WIRE_LEN);
const METRIC_SUMMARY = tagOf(11, WIRE_LEN);
const DATA_DATA_POINTS = tagOf(1, WIRE_LEN);

/** Decodes a whole request to its number of data points; throws when it is malformed. */
export function countMetricDataPoints(r: WireReader): number {
  let dataPoints = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === REQUEST_RESOURCE_METRICS) dataPoints += readResourceMetrics(r, delimitedEnd(r, r.len));
    else r.skipField(tag);
  }
  return dataPoints;
}

function readResourceMetrics(r: WireReader, end: number): number {
  let dataPoints = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === RESOURCE_SCOPE_METRICS) dataPoints += readScopeMetrics(r, delimitedEnd(r, end));
    else if (tag === RESOURCE_RESOURCE) skipMessage(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return dataPoints;
}

function readScopeMetrics(r: WireReader, end: number): number {
  let dataPoints = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SCOPE_METRICS) dataPoints += readMetric(r, delimitedEnd(r, end));
    else if (tag === SCOPE_SCOPE) skipMessage(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return dataPoints;
}

function readMetric(r: WireReader, end: number): number {
  let dataPoints = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (
      tag === METRIC_GAUGE ||
      tag === METRIC_SUM ||
      tag === METRIC_HISTOGRAM ||
      tag === METRIC_EXPONENTIAL_HISTOGRAM ||
      tag === METRIC_SUMMARY
    ) {
      dataPoints += readDataPoints(r, delimitedEnd(r, end));
    } else r.skipField(tag);
  }
  expectEnd(r, end);
  return dataPoints;
}

/** Gauge, Sum, Histogram, ExponentialHistogram or Summary: counts `data_points`. */
function readDataPoints(r: WireReader, end: number): number {
  let dataPoints = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === DATA_DATA_POINTS) {
      skipMessage(r, delimitedEnd(r, end));
      dataPoints++;
    } else r.skipField(tag);
  }
  expectEnd(r, end);
  return dataPoints;
}
