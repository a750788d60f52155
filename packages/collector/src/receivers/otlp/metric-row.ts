import type { Attributes, MetricPointRow, MetricTemporality, MetricType } from '../../model/rows.js';
import type { MetricRejections } from './metric-rejections.js';

/**
 * What the protobuf and JSON metric decoders share: the row of a data point before its
 * metric is known, and the rules a metric and its points must pass to be stored, so that
 * both encodings accept and reject exactly the same points.
 */

/** A Metric's identity, known once the whole Metric message has been read. */
export interface MetricIdentity {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** AggregationTemporality number as sent (sum, histogram, exponential histogram). */
  temporality: number;
  /** Sum.is_monotonic. */
  monotonic: boolean;
}

/** The OTLP/JSON field of the Metric `data` oneof holding each type, for paths in messages. */
export const DATA_FIELD: Readonly<Record<MetricType, string>> = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponential_histogram: 'exponentialHistogram',
  summary: 'summary',
};

const AGGREGATION_TEMPORALITY_DELTA = 1;
const AGGREGATION_TEMPORALITY_CUMULATIVE = 2;

/** Gauges and summaries have no temporality; unknown numbers count as unspecified. */
function temporalityOf(type: MetricType, value: number): MetricTemporality {
  if (type === 'gauge' || type === 'summary') return 'unspecified';
  if (value === AGGREGATION_TEMPORALITY_DELTA) return 'delta';
  if (value === AGGREGATION_TEMPORALITY_CUMULATIVE) return 'cumulative';
  return 'unspecified';
}

/**
 * A data point's row with every field present (one object shape for V8), its metric identity
 * still blank: filled by acceptMetricPoints once the Metric has been read.
 */
export function newPointRow(type: MetricType, resource: Attributes, service: string, scopeName: string, scopeVersion: string): MetricPointRow {
  return {
    timeNs: 0n,
    startTimeNs: 0n,
    service,
    name: '',
    description: '',
    unit: '',
    type,
    temporality: 'unspecified',
    monotonic: false,
    value: null,
    valueIsInt: false,
    count: null,
    sum: null,
    min: null,
    max: null,
    distribution: null,
    flags: 0,
    attributes: {},
    resource,
    scopeName,
    scopeVersion,
    containerId: null,
  };
}

/**
 * Why a point cannot be stored, or null. Checked as soon as the point has been read, so that
 * a request of many unusable points never holds them all at once.
 */
export function pointProblem(point: MetricPointRow): string | null {
  if (point.timeNs === 0n) return 'timeUnixNano is 0 (a data point must say when it was recorded)';
  const distribution = point.distribution;
  if (distribution?.kind === 'explicit' && distribution.counts.length > 0 && distribution.counts.length !== distribution.bounds.length + 1) {
    return `bucketCounts has ${distribution.counts.length} entries for ${distribution.bounds.length} explicitBounds (must be none or one more than the bounds)`;
  }
  return null;
}

/** The OTLP/JSON path of a data point, for rejection messages. */
export function pointPath(metricPath: string, type: MetricType, pointIndex: number): string {
  return `${metricPath}.${DATA_FIELD[type]}.dataPoints[${pointIndex}]`;
}

/**
 * Moves the points of one Metric (each already past pointProblem) into `rows` with its
 * identity filled in. A metric without a name has all its points rejected: a point that
 * cannot be found by name is not worth storing.
 */
export function acceptMetricPoints(
  identity: MetricIdentity,
  points: readonly MetricPointRow[],
  rows: MetricPointRow[],
  rejections: MetricRejections,
  metricPath: () => string,
): void {
  if (identity.name === '') {
    rejections.add(points.length, 'the metric has no name', metricPath);
    return;
  }
  const temporality = temporalityOf(identity.type, identity.temporality);
  const monotonic = identity.type === 'sum' && identity.monotonic;
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    point.name = identity.name;
    point.description = identity.description;
    point.unit = identity.unit;
    point.temporality = temporality;
    point.monotonic = monotonic;
    rows.push(point);
  }
}
