import { rangeParams, readRange, type RangeChoice } from '../../format/time-range.js';
import { href } from '../../router/href.js';

/**
 * The metrics page as it lives in the URL: /metrics?service=S&metric=NAME&attr.KEY=VALUE
 * plus the time range. `attr.` filters narrow the series drawn (as on the traces search).
 */
export interface MetricParams {
  service: string;
  metric: string;
  filters: Record<string, string>;
  range: RangeChoice;
}

const ATTR_PREFIX = 'attr.';

export function readMetricParams(params: URLSearchParams): MetricParams {
  const filters: Record<string, string> = {};
  for (const [name, value] of params) if (name.startsWith(ATTR_PREFIX) && name.length > ATTR_PREFIX.length) filters[name.slice(ATTR_PREFIX.length)] = value;
  return { service: params.get('service') ?? '', metric: params.get('metric') ?? '', filters, range: readRange(params) };
}

/** The URL's parameters other than the range (RangeBar adds that). */
export function metricQuery(p: Pick<MetricParams, 'service' | 'metric' | 'filters'>): Record<string, string | undefined> {
  const attrs = Object.fromEntries(Object.entries(p.filters).map(([key, value]) => [`${ATTR_PREFIX}${key}`, value]));
  return { service: p.service, metric: p.metric, ...attrs };
}

export function metricsHref(p: MetricParams): string {
  return href('/metrics', { ...metricQuery(p), ...rangeParams(p.range) });
}
