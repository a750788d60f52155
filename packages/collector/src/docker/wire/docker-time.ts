/**
 * Docker writes times as RFC 3339 with up to nine fractional digits
 * ("2024-05-01T12:00:00.123456789Z") and "0001-01-01T00:00:00Z" for "never"; JavaScript's
 * Date keeps milliseconds only, so the fraction is read by hand to keep nanoseconds.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const FRACTION_DIGITS = 9;
/** Go's zero time and anything before 1970 mean "not set" in Docker's JSON. */
const FIRST_VALID_YEAR = 1970;

/**
 * Nanoseconds since the epoch, or null for Docker's zero time and anything unparseable.
 * @example parseDockerTimeNs('2024-05-01T12:00:00.000000001Z') // 1714564800000000001n
 */
export function parseDockerTimeNs(text: string): bigint | null {
  const match = RFC3339.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  if (Number(year) < FIRST_VALID_YEAR) return null;
  const wholeMs = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${zone}`);
  if (!Number.isFinite(wholeMs)) return null;
  const fractionNs = fraction === '' ? 0n : BigInt(fraction.padEnd(FRACTION_DIGITS, '0'));
  return BigInt(wholeMs) * NS_PER_MS + fractionNs;
}

/**
 * The `since` parameter of the logs and events endpoints: seconds with a nine-digit fraction.
 * @example dockerSince(1714564800000000001n) // '1714564800.000000001'
 */
export function dockerSince(timeNs: bigint): string {
  const seconds = timeNs / NS_PER_S;
  const fraction = (timeNs % NS_PER_S).toString().padStart(FRACTION_DIGITS, '0');
  return `${seconds}.${fraction}`;
}
