import type { MetricPointRow } from '../model/rows.js';
import type { MetricSummary } from '../store/Store.js';
import { epochMs } from './format.js';
import type { WireMetricPoint, WireMetricSeries, WireMetricSeriesResponse, WireMetricSummary } from './wire.js';

/** Metric store rows -> the wire JSON of wire.ts (WireMetric*). */

export function formatMetricSummary(m: MetricSummary): WireMetricSummary {
  return {
    service: m.service,
    name: m.name,
    description: m.description,
    unit: m.unit,
    type: m.type,
    temporality: m.temporality,
    monotonic: m.monotonic,
    pointCount: m.pointCount,
    seriesCount: m.seriesCount,
    lastNs: m.lastTimeNs.toString(),
  };
}

function formatPoint(row: MetricPointRow): WireMetricPoint {
  return {
    t: epochMs(row.timeNs),
    timeNs: row.timeNs.toString(),
    startT: row.startTimeNs === 0n ? null : epochMs(row.startTimeNs),
    value: row.value,
    count: row.count,
    sum: row.sum,
    min: row.min,
    max: row.max,
    distribution: row.distribution,
  };
}

/**
 * Groups the points (in time order) into series by service, attribute set and container; each
 * series keeps time order. The identity comes from the newest point. An attribute set is
 * keyed by its JSON with sorted keys, so the same set sent in another key order is one series.
 */
export function formatMetricSeries(name: string, rows: readonly MetricPointRow[], truncated: boolean): WireMetricSeriesResponse {
  const series = new Map<string, WireMetricSeries>();
  for (const row of rows) {
    const key = JSON.stringify([row.service, row.containerId, Object.entries(row.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { service: row.service, attributes: row.attributes, containerId: row.containerId, points: [] };
      series.set(key, entry);
    }
    entry.points.push(formatPoint(row));
  }
  const newest = rows.at(-1);
  return {
    name,
    metric:
      newest === undefined
        ? null
        : { description: newest.description, unit: newest.unit, type: newest.type, temporality: newest.temporality, monotonic: newest.monotonic },
    series: [...series.values()],
    truncated,
  };
}
