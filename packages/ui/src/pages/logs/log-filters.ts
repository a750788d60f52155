import type { LogSearch, TimeWindow } from '../../api/endpoints.js';
import { rangeParams, readRange, type RangeChoice } from '../../format/time-range.js';
import { href } from '../../router/href.js';

/** The log search as it lives in the URL, with the API's parameter names. */
export interface LogFilters {
  service: string;
  containerId: string;
  severity: string;
  q: string;
  traceId: string;
  limit: string;
  range: RangeChoice;
}

export const SEVERITIES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export const LOG_LIMITS = ['100', '500', '1000'] as const;
const DEFAULT_LIMIT = '100';
const TRACE_ID_PATTERN = /^[0-9a-fA-F]{32}$/;

export function readLogFilters(params: URLSearchParams): LogFilters {
  return {
    service: params.get('service') ?? '',
    containerId: params.get('containerId') ?? '',
    severity: params.get('severity') ?? '',
    q: params.get('q') ?? '',
    traceId: params.get('traceId') ?? '',
    limit: params.get('limit') ?? DEFAULT_LIMIT,
    range: readRange(params),
  };
}

export function logsHref(f: LogFilters): string {
  return href('/logs', {
    service: f.service,
    containerId: f.containerId,
    severity: f.severity,
    q: f.q,
    traceId: f.traceId,
    limit: f.limit === DEFAULT_LIMIT ? undefined : f.limit,
    ...rangeParams(f.range),
  });
}

export function toLogSearch(f: LogFilters, window: TimeWindow): { ok: true; search: LogSearch } | { ok: false; message: string } {
  if (f.traceId !== '' && !TRACE_ID_PATTERN.test(f.traceId)) return { ok: false, message: `A trace id is 32 hex digits, got "${f.traceId}"` };
  const limit = Number(f.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return { ok: false, message: 'limit must be 1 to 1000' };
  return {
    ok: true,
    search: {
      ...window,
      service: f.service || undefined,
      containerId: f.containerId || undefined,
      severity: f.severity || undefined,
      q: f.q || undefined,
      traceId: f.traceId || undefined,
      limit,
    },
  };
}
