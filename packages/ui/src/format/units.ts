/** Display formats with the unit in the text: durations, bytes, rates, percentages, times. */

const MS_PER_S = 1000;
const MS_PER_MIN = 60_000;
const US_PER_MS = 1000;
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
const BYTES_PER_UNIT = 1024;

/** 0.0123 → "12 µs", 12.3 → "12.3 ms", 1234 → "1.23 s", 90000 → "1.5 min". */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0';
  if (Number.isInteger(ms) && ms < MS_PER_S) return `${ms} ms`;
  if (ms < 1) return `${Math.round(ms * US_PER_MS)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < MS_PER_S) return `${ms.toFixed(1)} ms`;
  if (ms < MS_PER_MIN) return `${(ms / MS_PER_S).toFixed(2)} s`;
  return `${(ms / MS_PER_MIN).toFixed(1)} min`;
}

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= BYTES_PER_UNIT && unit < BYTE_UNITS.length - 1) {
    value /= BYTES_PER_UNIT;
    unit += 1;
  }
  const digits = Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export function formatBytesPerSecond(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Digits enough to tell axis ticks apart: 0.05 %, 2.5 %, 85 %. */
export function formatPercent(percent: number): string {
  const digits = percent === 0 || Math.abs(percent) >= 10 ? 0 : Math.abs(percent) >= 1 ? 1 : 2;
  return `${percent.toFixed(digits)} %`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "14:03:07.250" in local time. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** "2025-01-31 14:03:07.250" in local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatClock(ms)}`;
}

const NS_PER_MS = 1_000_000n;

/** ns since the epoch (decimal string) → ms since the epoch, exact to the ms, sub-ms approximate. */
export function nsToMs(ns: string): number {
  const value = BigInt(ns);
  return Number(value / NS_PER_MS) + Number(value % NS_PER_MS) / 1e6;
}

/** First 8 digits of a long hex id, as Jaeger shows trace ids. */
export function shortId(id: string, digits = 8): string {
  return id.slice(0, digits);
}
