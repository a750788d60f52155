import type { TimeWindow, TraceSearch } from '../../api/endpoints.js';
import { href } from '../../router/href.js';
import { rangeParams, readRange, type RangeChoice } from '../../format/time-range.js';

/**
 * The search filters as they live in the URL (/search?service=...&attr.http.route=...),
 * the same names as the API's query parameters so that a URL reads like the request.
 */
export interface SearchFilters {
  service: string;
  operation: string;
  minDurationMs: string;
  maxDurationMs: string;
  status: '' | 'error' | 'ok';
  /** attr.KEY=VALUE pairs, in URL order. */
  attributes: [string, string][];
  limit: string;
  range: RangeChoice;
}

export const LIMIT_CHOICES = ['20', '50', '100', '500'] as const;
const DEFAULT_LIMIT = '50';
const LIMIT_MAX = 1000;
const ATTR_PREFIX = 'attr.';

export function readSearchFilters(params: URLSearchParams): SearchFilters {
  const status = params.get('status');
  const attributes: [string, string][] = [];
  for (const [name, value] of params) {
    if (name.startsWith(ATTR_PREFIX) && name.length > ATTR_PREFIX.length) attributes.push([name.slice(ATTR_PREFIX.length), value]);
  }
  return {
    service: params.get('service') ?? '',
    operation: params.get('operation') ?? '',
    minDurationMs: params.get('minDurationMs') ?? '',
    maxDurationMs: params.get('maxDurationMs') ?? '',
    status: status === 'error' || status === 'ok' ? status : '',
    attributes,
    limit: params.get('limit') ?? DEFAULT_LIMIT,
    range: readRange(params),
  };
}

export function searchHref(filters: SearchFilters): string {
  const attrs = Object.fromEntries(filters.attributes.map(([key, value]) => [`${ATTR_PREFIX}${key}`, value]));
  return href('/search', {
    service: filters.service,
    operation: filters.operation,
    minDurationMs: filters.minDurationMs,
    maxDurationMs: filters.maxDurationMs,
    status: filters.status,
    ...attrs,
    limit: filters.limit === DEFAULT_LIMIT ? undefined : filters.limit,
    ...rangeParams(filters.range),
  });
}

/** "key=value" per line → pairs; a line without "=" is an error naming it. */
export function parseAttributeLines(text: string): { ok: true; pairs: [string, string][] } | { ok: false; message: string } {
  const pairs: [string, string][] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const at = line.indexOf('=');
    if (at <= 0) return { ok: false, message: `attribute filter "${line}" must read key=value` };
    pairs.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return { ok: true, pairs };
}

function durationOrUndefined(text: string, name: string): number | undefined | string {
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : `${name} must be a number of ms (0 or more), got "${text}"`;
}

/** The API request of these filters over `window`, or what is wrong with them. */
export function toTraceSearch(filters: SearchFilters, window: TimeWindow): { ok: true; search: TraceSearch } | { ok: false; message: string } {
  const min = durationOrUndefined(filters.minDurationMs, 'Min duration');
  if (typeof min === 'string') return { ok: false, message: min };
  const max = durationOrUndefined(filters.maxDurationMs, 'Max duration');
  if (typeof max === 'string') return { ok: false, message: max };
  if (min !== undefined && max !== undefined && min > max) return { ok: false, message: 'Min duration must not exceed max duration' };
  const limit = Number(filters.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMIT_MAX) return { ok: false, message: `limit must be 1 to ${LIMIT_MAX}` };
  return {
    ok: true,
    search: {
      ...window,
      service: filters.service || undefined,
      operation: filters.operation || undefined,
      minDurationMs: min,
      maxDurationMs: max,
      status: filters.status || undefined,
      attributes: Object.fromEntries(filters.attributes),
      limit,
    },
  };
}
