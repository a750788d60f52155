import { arrayField, asObject, objectField, within } from './json-shape.js';
import type { JsonObject } from './json-shape.js';

/**
 * OTLP/JSON ExportMetricsServiceRequest: checked and its data points counted (tracedock
 * does not store OTLP metrics; see proto-metrics.ts).
 */

/** The Metric fields of the `data` oneof; each holds a `dataPoints` array. */
const DATA_KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** Counts the data points of a parsed request; throws ShapeError when it is not one. */
export function countMetricsJson(root: unknown): number {
  const request = asObject(root, 'the request body');
  const resourceMetrics = arrayField(request, 'resourceMetrics');
  let dataPoints = 0;
  for (let r = 0; r < resourceMetrics.length; r++) {
    try {
      const scopeMetrics = arrayField(asObject(resourceMetrics[r], 'ResourceMetrics'), 'scopeMetrics');
      for (let s = 0; s < scopeMetrics.length; s++) {
        try {
          dataPoints += countScopeMetrics(asObject(scopeMetrics[s], 'ScopeMetrics'));
        } catch (error) {
          throw within(error, `scopeMetrics[${s}]`);
        }
      }
    } catch (error) {
      throw within(error, `resourceMetrics[${r}]`);
    }
  }
  return dataPoints;
}

function countScopeMetrics(scopeMetrics: JsonObject): number {
  const metrics = arrayField(scopeMetrics, 'metrics');
  let dataPoints = 0;
  for (let m = 0; m < metrics.length; m++) {
    try {
      const metric = asObject(metrics[m], 'Metric');
      for (const kind of DATA_KINDS) {
        const data = objectField(metric, kind);
        if (data === undefined) continue;
        try {
          const points = arrayField(data, 'dataPoints');
          for (let p = 0; p < points.length; p++) {
            try {
              asObject(points[p], 'data point');
            } catch (error) {
              throw within(error, `dataPoints[${p}]`);
            }
          }
          dataPoints += points.length;
        } catch (error) {
          throw within(error, kind);
        }
      }
    } catch (error) {
      throw within(error, `metrics[${m}]`);
    }
  }
  return dataPoints;
}
