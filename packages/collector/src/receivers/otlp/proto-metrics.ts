import type { Attributes, MetricPointRow, MetricType } from '../../model/rows.js';
import { MetricRejections, metricPath } from './metric-rejections.js';
import { acceptMetricPoints, pointPath, pointProblem } from './metric-row.js';
import type { MetricIdentity } from './metric-row.js';
import { readResource, readScope } from './proto-common.js';
import type { Scope } from './proto-common.js';
import { readExponentialPoint } from './proto-exponential-point.js';
import { readHistogramPoint, readNumberPoint, readSummaryPoint } from './proto-metric-point.js';
import { serviceOf } from './values.js';
import { WIRE_LEN, WIRE_VARINT, delimitedEnd, expectEnd, tagOf } from './wire.js';
import { readString } from './wire-string.js';
import type { WireReader } from './wire.js';

/**
 * ExportMetricsServiceRequest (opentelemetry/proto/collector/metrics/v1, metrics/v1/metrics.proto)
 * decoded straight to one MetricPointRow per data point. The envelope has the trace/log field
 * numbers (request 1 > resource 1, scope_metrics 2 > scope 1, metrics 2) but not their
 * rejection locations (a point sits one level deeper, inside its Metric), so it is walked
 * here rather than through proto-envelope.ts. Resource, scope and the Metric's name may
 * follow what they describe on the wire: rows are completed once their message has been read.
 */

const REQUEST_RESOURCE_METRICS = tagOf(1, WIRE_LEN);
const RESOURCE_RESOURCE = tagOf(1, WIRE_LEN);
const RESOURCE_SCOPE_METRICS = tagOf(2, WIRE_LEN);
const SCOPE_SCOPE = tagOf(1, WIRE_LEN);
const SCOPE_METRICS = tagOf(2, WIRE_LEN);

// Metric: name = 1, description = 2, unit = 3, then the `data` oneof; metadata = 12 is not kept.
const METRIC_NAME = tagOf(1, WIRE_LEN);
const METRIC_DESCRIPTION = tagOf(2, WIRE_LEN);
const METRIC_UNIT = tagOf(3, WIRE_LEN);
const DATA_TYPES: ReadonlyMap<number, MetricType> = new Map([
  [tagOf(5, WIRE_LEN), 'gauge'],
  [tagOf(7, WIRE_LEN), 'sum'],
  [tagOf(9, WIRE_LEN), 'histogram'],
  [tagOf(10, WIRE_LEN), 'exponential_histogram'],
  [tagOf(11, WIRE_LEN), 'summary'],
]);

// Gauge, Sum, Histogram, ExponentialHistogram, Summary: data_points = 1;
// aggregation_temporality = 2 (not in Gauge, Summary); is_monotonic = 3 (Sum only).
const DATA_POINTS = tagOf(1, WIRE_LEN);
const DATA_TEMPORALITY = tagOf(2, WIRE_VARINT);
const DATA_MONOTONIC = tagOf(3, WIRE_VARINT);

/** Where the decoder is, for rejection messages. */
interface Place {
  rows: MetricPointRow[];
  rejections: MetricRejections;
  resourceIndex: number;
  scopeIndex: number;
  metricIndex: number;
  /** Index in the Metric's data_points, across repeats of its data message (they merge). */
  pointIndex: number;
}

/** Decodes a whole request; throws WireError (or a reader error) when it is malformed. */
export function decodeMetricsRequest(r: WireReader): { rows: MetricPointRow[]; rejections: MetricRejections } {
  const place: Place = { rows: [], rejections: new MetricRejections(), resourceIndex: 0, scopeIndex: 0, metricIndex: 0, pointIndex: 0 };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === REQUEST_RESOURCE_METRICS) {
      readResourceMetrics(r, delimitedEnd(r, r.len), place);
      place.resourceIndex++;
    } else r.skipField(tag);
  }
  return { rows: place.rows, rejections: place.rejections };
}

function readResourceMetrics(r: WireReader, end: number, place: Place): void {
  const first = place.rows.length;
  let resource: Attributes = {};
  place.scopeIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === RESOURCE_SCOPE_METRICS) {
      readScopeMetrics(r, delimitedEnd(r, end), place);
      place.scopeIndex++;
    } else if (tag === RESOURCE_RESOURCE) resource = readResource(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  const service = serviceOf(resource);
  const rows = place.rows;
  for (let i = first; i < rows.length; i++) {
    rows[i]!.resource = resource;
    rows[i]!.service = service;
  }
}

function readScopeMetrics(r: WireReader, end: number, place: Place): void {
  const first = place.rows.length;
  let scope: Scope | null = null;
  place.metricIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SCOPE_METRICS) {
      readMetric(r, delimitedEnd(r, end), place);
      place.metricIndex++;
    } else if (tag === SCOPE_SCOPE) scope = readScope(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  if (scope === null) return;
  const rows = place.rows;
  for (let i = first; i < rows.length; i++) {
    rows[i]!.scopeName = scope.name;
    rows[i]!.scopeVersion = scope.version;
  }
}

function readMetric(r: WireReader, end: number, place: Place): void {
  const identity: MetricIdentity = { name: '', description: '', unit: '', type: 'gauge', temporality: 0, monotonic: false };
  const points: MetricPointRow[] = [];
  let type: MetricType | null = null;
  place.pointIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    const dataType = DATA_TYPES.get(tag);
    if (dataType !== undefined) {
      // A oneof set twice on the wire: the last member wins (a repeat of the same one merges).
      if (type !== null && type !== dataType) {
        points.length = 0;
        place.pointIndex = 0;
        identity.temporality = 0;
        identity.monotonic = false;
      }
      type = dataType;
      readData(r, delimitedEnd(r, end), dataType, identity, points, place);
    } else if (tag === METRIC_NAME) identity.name = readString(r);
    else if (tag === METRIC_UNIT) identity.unit = readString(r);
    else if (tag === METRIC_DESCRIPTION) identity.description = readString(r);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  if (type === null) return; // a Metric without data has no points to store
  identity.type = type;
  const { resourceIndex, scopeIndex, metricIndex } = place;
  acceptMetricPoints(identity, points, place.rows, place.rejections, () => metricPath(resourceIndex, scopeIndex, metricIndex));
}

/** A Gauge, Sum, Histogram, ExponentialHistogram or Summary message. */
function readData(r: WireReader, end: number, type: MetricType, identity: MetricIdentity, points: MetricPointRow[], place: Place): void {
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === DATA_POINTS) {
      const row = readPoint(r, delimitedEnd(r, end), type);
      const problem = pointProblem(row);
      if (problem === null) points.push(row);
      else {
        const { resourceIndex, scopeIndex, metricIndex, pointIndex } = place;
        place.rejections.add(1, problem, () => pointPath(metricPath(resourceIndex, scopeIndex, metricIndex), type, pointIndex));
      }
      place.pointIndex++;
    } else if (tag === DATA_TEMPORALITY) identity.temporality = r.uint32();
    else if (tag === DATA_MONOTONIC) identity.monotonic = r.bool();
    else r.skipField(tag);
  }
  expectEnd(r, end);
}

function readPoint(r: WireReader, end: number, type: MetricType): MetricPointRow {
  switch (type) {
    case 'gauge':
    case 'sum':
      return readNumberPoint(r, end, type);
    case 'histogram':
      return readHistogramPoint(r, end);
    case 'exponential_histogram':
      return readExponentialPoint(r, end);
    case 'summary':
      return readSummaryPoint(r, end);
  }
}
