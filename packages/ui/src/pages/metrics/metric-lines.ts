import type { WireMetricIdentity, WireMetricSeries } from '../../api/wire.js';
import type { Point } from '../../charts/resource-series.js';
import { shortId } from '../../format/units.js';
import { percentileSeries, rateOf, summaryQuantiles, valueSeries } from './series-math.js';

/**
 * The lines a metric's chart draws, by its type: a gauge's or up-down sum's value, a
 * counter's rate per second, a histogram's p50/p95/p99 per interval, a summary's quantiles.
 * One line per series and statistic; labels from the series' attributes, plus the container
 * when the series came from more than one.
 */

export interface MetricLine {
  label: string;
  /** The series it was computed from (its attributes select it in the filters). */
  seriesIndex: number;
  points: Point[];
}

export type MetricView = 'value' | 'rate' | 'percentiles' | 'quantiles';

export function viewOf(metric: WireMetricIdentity): MetricView {
  switch (metric.type) {
    case 'gauge':
      return 'value';
    case 'sum':
      return metric.temporality === 'delta' || metric.monotonic ? 'rate' : 'value';
    case 'histogram':
    case 'exponential_histogram':
      return 'percentiles';
    case 'summary':
      return 'quantiles';
  }
}

/** What the y axis shows, in words: "value", "per second", "percentiles per interval". */
export function viewDescription(view: MetricView): string {
  switch (view) {
    case 'value':
      return 'value as reported';
    case 'rate':
      return 'rate per second (between consecutive points; restarts left out)';
    case 'percentiles':
      return 'p50, p95 and p99 of each interval, from the bucket counts';
    case 'quantiles':
      return 'quantiles as reported';
  }
}

function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "method=GET, route=/orders" (keys sorted, `skip` left out); "" without attributes. */
export function attributesLabel(attributes: Record<string, unknown>, skip: ReadonlySet<string> = new Set()): string {
  return Object.keys(attributes)
    .filter((key) => !skip.has(key))
    .sort()
    .map((key) => `${key}=${attributeText(attributes[key])}`)
    .join(', ');
}

/** Keys with one value in every series: they tell no line apart, so labels leave them out. */
function constantKeys(series: readonly WireMetricSeries[]): Set<string> {
  const [first, ...rest] = series;
  if (first === undefined || rest.length === 0) return new Set();
  const text = (s: WireMetricSeries, key: string): string | undefined => (key in s.attributes ? attributeText(s.attributes[key]) : undefined);
  return new Set(Object.keys(first.attributes).filter((key) => rest.every((s) => text(s, key) === text(first, key))));
}

export interface LabelContext {
  /** Container names by id, where known. */
  containerNames: ReadonlyMap<string, string>;
}

/** A series' label: the attributes that differ between the series, and its container when there are several. */
export function seriesLabels(series: readonly WireMetricSeries[], context: LabelContext): string[] {
  const containers = new Set(series.map((s) => s.containerId));
  const services = new Set(series.map((s) => s.service));
  const same = constantKeys(series);
  return series.map((s) => {
    const parts: string[] = [];
    if (services.size > 1) parts.push(s.service);
    const attrs = attributesLabel(s.attributes, same);
    if (attrs !== '') parts.push(attrs);
    if (containers.size > 1) parts.push(s.containerId === null ? 'no container' : (context.containerNames.get(s.containerId) ?? shortId(s.containerId, 12)));
    return parts.join(' · ');
  });
}

/** The lines of every series; a statistic's name is added to the series' label ("p95", "route=/a · p95"). */
export function metricLines(metric: WireMetricIdentity, series: readonly WireMetricSeries[], labels: readonly string[]): MetricLine[] {
  const view = viewOf(metric);
  return series.flatMap((s, seriesIndex) => {
    const base = labels[seriesIndex] ?? '';
    const named = (stat: string): string => (base === '' ? stat : `${base} · ${stat}`);
    switch (view) {
      case 'value':
        return [{ label: base === '' ? 'value' : base, seriesIndex, points: valueSeries(s.points) }];
      case 'rate':
        return [{ label: base === '' ? 'per second' : base, seriesIndex, points: rateOf(s.points, metric.temporality) }];
      case 'percentiles':
        return percentileSeries(s.points, metric.temporality).map((line) => ({ label: named(line.label), seriesIndex, points: line.points }));
      case 'quantiles':
        return summaryQuantiles(s.points).map((line) => ({ label: named(line.label), seriesIndex, points: line.points }));
    }
  });
}

/** Points with a value inside the window: what the chart actually shows. */
export function drawnPointCount(lines: readonly { points: readonly Point[] }[], window: { startMs: number; endMs: number }): number {
  let count = 0;
  for (const line of lines) for (const p of line.points) if (p.y !== null && p.x >= window.startMs && p.x <= window.endMs) count += 1;
  return count;
}
