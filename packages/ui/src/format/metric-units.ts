import { formatBytes, formatBytesPerSecond, formatDurationMs, formatPercent } from './units.js';

/**
 * Values of OTLP metrics in their unit (UCUM, as the semantic conventions write them):
 * `s`, `ms`, `us`, `ns` as durations; `By` (and KiBy, MiBy, …) as bytes; `1` (a ratio) as a
 * percentage; `%` as is; `{request}` annotations as the word; anything else as number + unit.
 * A rate (per second) gets "/s", except durations per second, which read as "ms/s" of time.
 */

const MS_PER_UNIT: Record<string, number> = { s: 1000, ms: 1, us: 0.001, ns: 0.000001, min: 60_000, h: 3_600_000 };
const BYTES_PER_UNIT: Record<string, number> = { By: 1, KiBy: 1024, MiBy: 1024 ** 2, GiBy: 1024 ** 3, kBy: 1000, MBy: 1e6, GBy: 1e9 };
const PERCENT_PER_RATIO = 100;

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });

/** 0.00123 → "0.00123", 12.345 → "12.3", 12345 → "12.3K". */
export function formatNumber(value: number): string {
  return compact.format(value);
}

/** "{request}" → "request"; "" when the unit has no annotation. */
function annotation(unit: string): string | undefined {
  const match = /^\{([^}]*)\}$/.exec(unit);
  return match?.[1];
}

/** The text after a number for a unit: "ms", "B", "%", "requests"... */
export function formatMetricValue(unit: string, perSecond = false): (value: number) => string {
  const msPer = MS_PER_UNIT[unit];
  if (msPer !== undefined) {
    if (!perSecond) return (v) => formatDurationMs(v * msPer);
    // Time per second of time: GC pauses, CPU seconds. "12 ms/s" reads better than "0.012".
    return (v) => `${formatDurationMs(v * msPer)}/s`;
  }
  const bytesPer = BYTES_PER_UNIT[unit];
  if (bytesPer !== undefined) return perSecond ? (v) => formatBytesPerSecond(v * bytesPer) : (v) => formatBytes(v * bytesPer);
  const suffix = perSecond ? '/s' : '';
  if (unit === '1') return (v) => `${formatPercent(v * PERCENT_PER_RATIO)}${suffix}`;
  if (unit === '%') return (v) => `${formatPercent(v)}${suffix}`;
  const word = annotation(unit);
  if (word !== undefined) return (v) => `${formatNumber(v)}${word === '' ? '' : ` ${word}`}${suffix}`;
  if (unit === '') return (v) => `${formatNumber(v)}${suffix}`;
  return (v) => `${formatNumber(v)} ${unit}${suffix}`;
}

/** A unit in words for lists: "seconds", "bytes", "ratio (as %)", "requests". */
export function unitName(unit: string): string {
  const names: Record<string, string> = {
    s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds', min: 'minutes', h: 'hours',
    By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', kBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes',
    '1': 'ratio (shown as %)', '%': 'percent', '': 'no unit',
  };
  return names[unit] ?? annotation(unit) ?? unit;
}
