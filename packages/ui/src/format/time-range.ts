import type { TimeWindow } from '../api/endpoints.js';

/**
 * The time range of a page as it lives in the URL: `range=15m|1h|6h|24h` (relative to the
 * moment of the query) or `range=custom&start=...&end=...` (RFC 3339 or ms since the epoch).
 */

export const RELATIVE_RANGES = [
  { id: '15m', label: 'Last 15 minutes', spanMs: 15 * 60_000 },
  { id: '1h', label: 'Last hour', spanMs: 3_600_000 },
  { id: '6h', label: 'Last 6 hours', spanMs: 6 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', spanMs: 24 * 3_600_000 },
] as const;

export const DEFAULT_RANGE_ID = '1h';
export const CUSTOM_RANGE_ID = 'custom';

export interface RangeChoice {
  /** One of RELATIVE_RANGES' ids or CUSTOM_RANGE_ID. */
  id: string;
  start?: string;
  end?: string;
}

export function readRange(params: URLSearchParams): RangeChoice {
  const start = params.get('start') ?? undefined;
  const end = params.get('end') ?? undefined;
  const id = params.get('range') ?? (start !== undefined || end !== undefined ? CUSTOM_RANGE_ID : DEFAULT_RANGE_ID);
  return { id, start, end };
}

export function rangeParams(choice: RangeChoice): Record<string, string | undefined> {
  if (choice.id !== CUSTOM_RANGE_ID) return { range: choice.id === DEFAULT_RANGE_ID ? undefined : choice.id };
  return { range: CUSTOM_RANGE_ID, start: choice.start, end: choice.end };
}

/** ms since the epoch from "1700000000000" or an ISO / RFC 3339 text; undefined when neither. */
export function parseTimeText(text: string): number | undefined {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export type ResolvedRange = { ok: true; window: TimeWindow } | { ok: false; message: string };

/** The window the API is asked about; a relative range ends at `nowMs`. */
export function resolveRange(choice: RangeChoice, nowMs: number): ResolvedRange {
  const relative = RELATIVE_RANGES.find((r) => r.id === choice.id);
  if (relative !== undefined) return { ok: true, window: { startMs: nowMs - relative.spanMs, endMs: nowMs } };
  if (choice.id !== CUSTOM_RANGE_ID) return { ok: false, message: `unknown range "${choice.id}"; use 15m, 1h, 6h, 24h or custom` };
  const startMs = choice.start === undefined ? undefined : parseTimeText(choice.start);
  const endMs = choice.end === undefined ? nowMs : parseTimeText(choice.end);
  if (startMs === undefined) return { ok: false, message: 'a custom range needs a start time (RFC 3339 or ms since the epoch)' };
  if (endMs === undefined) return { ok: false, message: `the end time "${choice.end ?? ''}" is not a time` };
  if (startMs >= endMs) return { ok: false, message: 'the start of the range must be before its end' };
  return { ok: true, window: { startMs, endMs } };
}

/** "2025-01-31T09:05" in local time, the value format of <input type="datetime-local">. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
