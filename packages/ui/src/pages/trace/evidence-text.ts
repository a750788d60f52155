import type { JsonValue } from '../../api/validate.js';
import { formatClock, nsToMs } from '../../format/units.js';

/**
 * The evidence of a suspect, for reading: the window and sample times as clock times (the
 * charts' axis), anything else as it came.
 */
export function readableEvidence(evidence: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(evidence)) out[key] = readable(key, value);
  return out;
}

function readable(key: string, value: JsonValue): JsonValue {
  if (key === 'window' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { startNs, endNs } = value;
    if (typeof startNs === 'string' && typeof endNs === 'string' && /^\d+$/.test(startNs) && /^\d+$/.test(endNs)) {
      return `${formatClock(nsToMs(startNs))} – ${formatClock(nsToMs(endNs))}`;
    }
  }
  if (key === 'samples' && Array.isArray(value) && value.every((t) => typeof t === 'number')) {
    return value.map((t) => (typeof t === 'number' ? formatClock(t) : '')).join(', ');
  }
  return value;
}
