/**
 * Runtime checks for OTLP/JSON: every field read from the wire goes through one of these,
 * so nothing is trusted by cast. Absent and null fields take the protobuf default (proto3
 * JSON mapping); a field of the wrong type is a ShapeError naming it, and the request is
 * refused with its path, e.g. "resourceSpans[0].scopeSpans[1].spans[3]: kind must be ...".
 */

export type JsonObject = { readonly [key: string]: unknown };

/** A request whose JSON is valid but not an OTLP message. `path` is filled on the way out. */
export class ShapeError extends Error {
  override name = 'ShapeError';
  readonly path: string[] = [];
}

/** Adds the element or field the error happened in, innermost first. */
export function within(error: unknown, segment: string): unknown {
  if (error instanceof ShapeError) error.path.unshift(segment);
  return error;
}

/** "resourceSpans[0].scopeSpans[0].spans[3]: traceId must be a string, got number". */
export function shapeMessage(error: ShapeError): string {
  if (error.path.length === 0) return error.message;
  let path = '';
  for (const segment of error.path) path += path === '' || segment.startsWith('[') ? segment : `.${segment}`;
  return `${path}: ${error.message}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array element (or the root) that must be an object. */
export function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(`${what} must be an object, got ${describe(value)}`);
  return value;
}

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

export function arrayField(object: JsonObject, key: string): readonly unknown[] {
  const value = object[key];
  if (value === undefined || value === null) return NO_ITEMS;
  if (!Array.isArray(value)) throw new ShapeError(`${key} must be an array, got ${describe(value)}`);
  return value;
}

export function objectField(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ShapeError(`${key} must be an object, got ${describe(value)}`);
  return value;
}

export function stringField(object: JsonObject, key: string): string {
  const value = object[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ShapeError(`${key} must be a string, got ${describe(value)}`);
  return value;
}

/** A trace or span id: hex text, lowercased (OTLP/JSON ids are case-insensitive). */
export function hexIdField(object: JsonObject, key: string): string {
  return stringField(object, key).toLowerCase();
}

/** At most 20 digits and a sign: anything longer is out of the 64-bit range, and refused
 * before BigInt() spends superlinear time on a megabyte of digits. */
const DECIMAL = /^-?\d{1,20}$/;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * An int64 or uint64 value: a decimal string (what protobuf JSON writes), an integer number,
 * or a bigint (parseJsonExact's form of integers beyond 2^53).
 */
export function integerValue(value: unknown, name: string, unsigned: boolean): bigint {
  let result: bigint;
  if (typeof value === 'string' && DECIMAL.test(value)) result = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value)) result = BigInt(value);
  else if (typeof value === 'bigint') result = value;
  else throw new ShapeError(`${name} must be a 64-bit integer (number or decimal string), got ${describe(value)}`);
  if (unsigned ? result < 0n || result > UINT64_MAX : result < INT64_MIN || result > INT64_MAX) {
    throw new ShapeError(`${name} is out of the ${unsigned ? 'uint64' : 'int64'} range: ${result}`);
  }
  return result;
}

/** A fixed64 time in nanoseconds; absent is 0 (unknown). */
export function uint64Field(object: JsonObject, key: string): bigint {
  const value = object[key];
  return value === undefined || value === null ? 0n : integerValue(value, key, true);
}

/**
 * An enum: OTLP/JSON writes the number; the name ("SPAN_KIND_SERVER") is accepted too, as
 * the protobuf JSON mapping allows. Unknown names and non-integers are shape errors.
 */
export function enumField(object: JsonObject, key: string, names: ReadonlyMap<string, number>): number {
  const value = object[key];
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const byName = names.get(value);
    if (byName !== undefined) return byName;
    if (DECIMAL.test(value)) return Number(value);
  }
  throw new ShapeError(`${key} must be an enum number or name, got ${describe(value)}`);
}

const NON_FINITE: ReadonlyMap<string, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

/** A double: a number, a bigint integer, or the protobuf JSON texts "NaN", "Infinity", "-Infinity" or a numeric string. */
export function doubleOf(value: unknown, name: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const special = NON_FINITE.get(value);
    if (special !== undefined) return special;
    const parsed = value.trim() === '' ? Number.NaN : Number(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new ShapeError(`${name} must be a number, got ${describe(value)}`);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** bytes: base64 (standard or URL-safe, as protobuf JSON accepts), normalised to standard. */
export function base64Of(value: unknown, name: string): string {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new ShapeError(`${name} must be base64 text, got ${describe(value)}`);
  }
  return Buffer.from(value, 'base64').toString('base64');
}
