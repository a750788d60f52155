/**
 * JSON.parse that keeps integers beyond 2^53 exact. OTLP/JSON carries int64 values
 * (timeUnixNano, intValue) as decimal strings, but some senders write plain numbers, and
 * JSON.parse would round 1760000000123456789 to 1760000000123456800.
 */

/**
 * A number token of 16 or more digits: the only kind that can exceed Number.MAX_SAFE_INTEGER
 * (9007199254740991, 16 digits). A number token follows `:`, `[` or `,`. The same text inside
 * a string only costs the slower exact parse, never a wrong value.
 */
const LONG_INTEGER_TOKEN = /[:[,]\s*-?\d{16}/;
/** Up to 20 digits covers every 64-bit integer; longer literals are left to fail as numbers. */
const INTEGER_SOURCE = /^-?\d{1,20}$/;

/** What Node 24's JSON.parse passes a reviver for primitive values (source text access). */
interface ReviverContext {
  source?: string;
}

/** Turns integer literals that a double cannot hold into bigint, from their source text. */
function exactIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_SOURCE.test(source) ? BigInt(source) : value;
}

/**
 * Parses JSON text; integer literals outside the safe range come back as bigint, every other
 * value as JSON.parse gives it. Throws SyntaxError on invalid JSON.
 *
 * @example parseJsonExact('{"t":1760000000123456789}') // { t: 1760000000123456789n }
 */
export function parseJsonExact(text: string): unknown {
  // The reviver visits every value, several times slower; only pay for it when needed.
  return LONG_INTEGER_TOKEN.test(text) ? JSON.parse(text, exactIntegers) : JSON.parse(text);
}
