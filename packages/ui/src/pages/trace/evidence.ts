import type { WireSuspect } from '../../api/wire.js';
import type { JsonValue } from '../../api/validate.js';
import { nsToMs } from '../../format/units.js';
import type { ChartFocus } from './hover.js';
import type { SpanRow } from './model.js';

/**
 * Where on the charts a suspect's evidence points. The analysis states its evidence the same
 * way for every kind: `window: { startNs, endNs }` (ns decimal strings), `samples: [t, ...]`
 * (the `t` of GET /api/containers/:id/samples, epoch ms) and `events: [{ t, action }]`.
 * Anything missing is skipped; with nothing at all, the span's own interval stands in.
 */

const DECIMAL = /^\d{1,30}$/;

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
}

function nsField(value: JsonValue | undefined, key: string): number | undefined {
  const ns = field(value, key);
  return typeof ns === 'string' && DECIMAL.test(ns) ? nsToMs(ns) : undefined;
}

function times(value: JsonValue | undefined): number[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'number') return [item];
    const t = field(item, 't');
    return typeof t === 'number' ? [t] : [];
  });
}

export function evidenceFocus(suspect: WireSuspect, row: SpanRow | undefined): ChartFocus | undefined {
  const windowValue = suspect.evidence['window'];
  const startMs = nsField(windowValue, 'startNs');
  const endMs = nsField(windowValue, 'endNs');
  const window = startMs !== undefined && endMs !== undefined ? { startMs, endMs } : undefined;
  const pointsMs = [...times(suspect.evidence['samples']), ...times(suspect.evidence['events'])].sort((a, b) => a - b);
  const last = pointsMs[pointsMs.length - 1];
  const timeMs = last ?? (window !== undefined ? (window.startMs + window.endMs) / 2 : row === undefined ? undefined : (row.startMs + row.endMs) / 2);
  if (timeMs === undefined) return undefined;
  return { containerId: suspect.containerId, label: suspect.kind, timeMs, window, pointsMs };
}
