/**
 * Parsers for single query-string values. Each returns `undefined` when the text is not
 * acceptable, so that query.ts can say which parameter was wrong and what it expected.
 * No floating point on the way to nanoseconds: "1.5" ms must become exactly 1_500_000 ns.
 */

const NS_PER_MS = 1_000_000n;
const NS_PER_MS_DIGITS = 6;
const NS_PER_S_DIGITS = 9;

/** 15 integer digits of ms reach the year 33658; more is a unit mistake (ns or µs pasted). */
const EPOCH_MS_PATTERN = /^\d{1,15}(?:\.\d{1,6})?$/;
/** A duration of up to 10^12 ms (~31 years) with sub-ms precision down to 1 ns. */
const DURATION_MS_PATTERN = /^\d{1,12}(?:\.\d{1,6})?$/;
/** RFC 3339 date-time; a space instead of "T" is allowed by the RFC's note and by URL forms. */
const RFC3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const TRACE_ID_PATTERN = /^[0-9a-fA-F]{32}$/;
const SPAN_ID_PATTERN = /^[0-9a-fA-F]{16}$/;
/** Docker container ids are 64 hex digits; the store keeps them that way. */
const CONTAINER_ID_PATTERN = /^[0-9a-fA-F]{64}$/;

/** Minimum OTLP SeverityNumber of each severity name (the first number of its range). */
export const SEVERITY_NUMBER_BY_NAME: Readonly<Record<string, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
};
const SEVERITY_NUMBER_MAX = 24;

/** "12.5" with scaleDigits 6 -> 12_500_000n. The caller has checked the text's shape. */
function scaledDecimal(text: string, scaleDigits: number): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 10n ** BigInt(scaleDigits) + BigInt(fraction.padEnd(scaleDigits, '0'));
}

/** Milliseconds since the epoch (fractions allowed) or an RFC 3339 time, as ns since the epoch. */
export function parseTimeNs(text: string): bigint | undefined {
  if (EPOCH_MS_PATTERN.test(text)) return scaledDecimal(text, NS_PER_MS_DIGITS);
  const match = RFC3339_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHour, offsetMinute] = match;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = fields;
  const utcMs = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(utcMs);
  // Date.UTC rolls "02-30" over into March; a real calendar date survives the round trip.
  const sameFields =
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  if (!sameFields || Number(offsetHour ?? 0) > 23 || Number(offsetMinute ?? 0) > 59) return undefined;
  const offsetMs = (Number(offsetHour ?? 0) * 60 + Number(offsetMinute ?? 0)) * 60_000;
  const signedOffsetMs = sign === '-' ? -offsetMs : offsetMs;
  const fractionNs = fraction === undefined ? 0n : scaledDecimal(`0.${fraction}`, NS_PER_S_DIGITS);
  return BigInt(utcMs - signedOffsetMs) * NS_PER_MS + fractionNs;
}

/** A non-negative duration in ms (fractions allowed) as ns. */
export function parseDurationNs(text: string): bigint | undefined {
  return DURATION_MS_PATTERN.test(text) ? scaledDecimal(text, NS_PER_MS_DIGITS) : undefined;
}

/** An integer in [min, max] written in plain decimal digits (no "1e2", no "0x10", no sign). */
export function parseIntegerIn(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** 32 hex digits, lowercased as the store keeps them. */
export function parseTraceId(text: string): string | undefined {
  return TRACE_ID_PATTERN.test(text) ? text.toLowerCase() : undefined;
}

/** 16 hex digits, lowercased as the store keeps them. */
export function parseSpanId(text: string): string | undefined {
  return SPAN_ID_PATTERN.test(text) ? text.toLowerCase() : undefined;
}

/** 64 hex digits, lowercased as the store keeps them. */
export function parseContainerId(text: string): string | undefined {
  return CONTAINER_ID_PATTERN.test(text) ? text.toLowerCase() : undefined;
}

/** A severity name (any case) or an OTLP SeverityNumber 1..24, as the minimum SeverityNumber. */
export function parseMinSeverityNumber(text: string): number | undefined {
  const byName = SEVERITY_NUMBER_BY_NAME[text.toLowerCase()];
  if (byName !== undefined) return byName;
  return parseIntegerIn(text, 1, SEVERITY_NUMBER_MAX);
}

/** ns since the epoch as an RFC 3339 time with ms precision, for messages. */
export function describeTimeNs(ns: bigint): string {
  return new Date(Number(ns / NS_PER_MS)).toISOString();
}
