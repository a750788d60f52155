import type { MetricPointRow, MetricType } from '../../model/rows.js';
import { resourceOf, scopeOf } from './json-common.js';
import { pointOf } from './json-metric-point.js';
import type { PointContext } from './json-metric-point.js';
import { ShapeError, arrayField, asObject, enumField, objectField, stringField, within } from './json-shape.js';
import type { JsonObject } from './json-shape.js';
import { MetricRejections, metricPath } from './metric-rejections.js';
import { DATA_FIELD, acceptMetricPoints, pointPath, pointProblem } from './metric-row.js';
import type { MetricIdentity } from './metric-row.js';
import { serviceOf } from './values.js';

/** OTLP/JSON ExportMetricsServiceRequest to one MetricPointRow per data point. */

const TEMPORALITY_NAMES: ReadonlyMap<string, number> = new Map([
  ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 0],
  ['AGGREGATION_TEMPORALITY_DELTA', 1],
  ['AGGREGATION_TEMPORALITY_CUMULATIVE', 2],
]);

const DATA_TYPES: readonly MetricType[] = ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'];

interface Place extends PointContext {
  rows: MetricPointRow[];
  rejections: MetricRejections;
  resourceIndex: number;
  scopeIndex: number;
}

/** Maps a parsed request; throws ShapeError when it is not an ExportMetricsServiceRequest. */
export function decodeMetricsJson(root: unknown): { rows: MetricPointRow[]; rejections: MetricRejections } {
  const request = asObject(root, 'the request body');
  const resourceMetrics = arrayField(request, 'resourceMetrics');
  const place: Place = {
    rows: [],
    rejections: new MetricRejections(),
    resourceIndex: 0,
    scopeIndex: 0,
    resource: {},
    service: '',
    scopeName: '',
    scopeVersion: '',
  };
  for (let r = 0; r < resourceMetrics.length; r++) {
    try {
      const item = asObject(resourceMetrics[r], 'ResourceMetrics');
      place.resource = resourceOf(item);
      place.service = serviceOf(place.resource);
      place.resourceIndex = r;
      const scopeMetrics = arrayField(item, 'scopeMetrics');
      for (let s = 0; s < scopeMetrics.length; s++) {
        try {
          place.scopeIndex = s;
          readScopeMetrics(asObject(scopeMetrics[s], 'ScopeMetrics'), place);
        } catch (error) {
          throw within(error, `scopeMetrics[${s}]`);
        }
      }
    } catch (error) {
      throw within(error, `resourceMetrics[${r}]`);
    }
  }
  return { rows: place.rows, rejections: place.rejections };
}

function readScopeMetrics(scopeMetrics: JsonObject, place: Place): void {
  const scope = scopeOf(scopeMetrics);
  place.scopeName = scope.name;
  place.scopeVersion = scope.version;
  const metrics = arrayField(scopeMetrics, 'metrics');
  for (let m = 0; m < metrics.length; m++) {
    try {
      readMetric(asObject(metrics[m], 'Metric'), place, m);
    } catch (error) {
      throw within(error, `metrics[${m}]`);
    }
  }
}

function readMetric(metric: JsonObject, place: Place, metricIndex: number): void {
  const identity: MetricIdentity = {
    name: stringField(metric, 'name'),
    description: stringField(metric, 'description'),
    unit: stringField(metric, 'unit'),
    type: 'gauge',
    temporality: 0,
    monotonic: false,
  };
  let data: JsonObject | undefined;
  for (const type of DATA_TYPES) {
    const field = objectField(metric, DATA_FIELD[type]);
    if (field === undefined) continue;
    if (data !== undefined) throw new ShapeError(`a Metric has one of ${DATA_TYPES.map((t) => DATA_FIELD[t]).join(', ')}, not several`);
    data = field;
    identity.type = type;
  }
  if (data === undefined) return; // a Metric without data has no points to store
  const type = identity.type;
  const { resourceIndex, scopeIndex } = place;
  const path = (): string => metricPath(resourceIndex, scopeIndex, metricIndex);
  const points: MetricPointRow[] = [];
  try {
    identity.temporality = enumField(data, 'aggregationTemporality', TEMPORALITY_NAMES);
    const monotonic = data.isMonotonic;
    if (monotonic !== undefined && monotonic !== null) {
      if (typeof monotonic !== 'boolean') throw new ShapeError(`isMonotonic must be a boolean, got ${typeof monotonic}`);
      identity.monotonic = monotonic;
    }
    const items = arrayField(data, 'dataPoints');
    for (let p = 0; p < items.length; p++) {
      let row: MetricPointRow;
      try {
        row = pointOf(asObject(items[p], 'data point'), type, place);
      } catch (error) {
        throw within(error, `dataPoints[${p}]`);
      }
      const problem = pointProblem(row);
      if (problem === null) points.push(row);
      else place.rejections.add(1, problem, () => pointPath(path(), type, p));
    }
  } catch (error) {
    throw within(error, DATA_FIELD[type]);
  }
  acceptMetricPoints(identity, points, place.rows, place.rejections, path);
}
