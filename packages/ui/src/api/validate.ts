/**
 * A tiny validator for the query API's JSON: each decoder checks a value and returns it typed,
 * or throws a WireError naming the path and what was expected. The UI never casts fetched
 * JSON and trusts it: a response that is not what the UI was built for becomes an `invalid`
 * ApiFailure (client.ts), not a crash deep in a page. Unknown object keys are ignored so that
 * the API may grow.
 *
 * @example
 * const point = object({ t: number, label: nullable(string) });
 * const value = point(JSON.parse(text), 'point'); // { t: number; label: string | null }
 */

export type Decoder<T> = (value: unknown, path: string) => T;
export type Decoded<D> = D extends Decoder<infer T> ? T : never;

/** The response did not have the shape the UI was built for. */
export class WireError extends Error {
  readonly path: string;

  constructor(path: string, expected: string, value: unknown) {
    super(`${path}: expected ${expected}, got ${describe(value)}`);
    this.name = 'WireError';
    this.path = path;
  }
}

/** A value's kind for messages, never its content: responses carry telemetry of any size. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export const string: Decoder<string> = (value, path) => {
  if (typeof value !== 'string') throw new WireError(path, 'a string', value);
  return value;
};

export const number: Decoder<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new WireError(path, 'a finite number', value);
  return value;
};

export const boolean: Decoder<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new WireError(path, 'a boolean', value);
  return value;
};

const DECIMAL_PATTERN = /^-?\d{1,30}$/;

/** ns times travel as decimal strings (a JSON number cannot hold them exactly). */
export const decimalString: Decoder<string> = (value, path) => {
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) throw new WireError(path, 'a decimal integer string', value);
  return value;
};

function isMember<T extends string>(choices: readonly T[], value: unknown): value is T {
  return choices.some((choice) => choice === value);
}

export function oneOf<const T extends string>(choices: readonly T[]): Decoder<T> {
  return (value, path) => {
    if (!isMember(choices, value)) throw new WireError(path, `one of ${choices.join(', ')}`, value);
    return value;
  };
}

/** A field that an older collector does not send yet. */
export function optional<T>(decode: Decoder<T>): Decoder<T | undefined> {
  return (value, path) => (value === undefined ? undefined : decode(value, path));
}

export function nullable<T>(decode: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === null ? null : decode(value, path));
}

export function arrayOf<T>(decode: Decoder<T>): Decoder<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new WireError(path, 'an array', value);
    const out = new Array<T>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = decode(value[i], `${path}[${i}]`);
    return out;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordOf<T>(decode: Decoder<T>): Decoder<Record<string, T>> {
  return (value, path) => {
    if (!isRecord(value)) throw new WireError(path, 'an object', value);
    const out: Record<string, T> = {};
    for (const [key, item] of Object.entries(value)) out[key] = decode(item, `${path}.${key}`);
    return out;
  };
}

type Shape = Record<string, Decoder<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S]: Decoded<S[K]> };

function decodeFields(entries: readonly [string, Decoder<unknown>][], value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new WireError(path, 'an object', value);
  const out: Record<string, unknown> = {};
  for (const [key, decode] of entries) out[key] = decode(value[key], `${path}.${key}`);
  return out;
}

/** An object of the shape's fields, its type inferred from the decoders (for ad-hoc shapes). */
export function object<S extends Shape>(shape: S): Decoder<ObjectOf<S>> {
  const entries = Object.entries(shape);
  // Every key of the shape is decoded by its own decoder: the result has the shape's type.
  return (value, path) => decodeFields(entries, value, path) as ObjectOf<S>;
}

/**
 * One decoder per field of T: every field named (an optional one too), none more, each
 * decoding to the field's type. Not homomorphic on purpose, so `?` fields keep `undefined`.
 */
export type Fields<T> = { [K in keyof Required<T>]: Decoder<T[K]> };

/**
 * The decoder of a declared type T (a type of the API contract), field by field: a field of
 * T missing from the shape, a field the shape has and T has not, or a decoder whose values
 * do not fit the field fails to compile, so the decoder cannot drift from the type it claims
 * to check. A decoder may still be stricter than its field (string for string | null): only
 * real answers show that (test/api-contract.test.ts).
 * @example
 * interface Point { t: number; label: string | null }
 * const point = fields<Point>({ t: number, label: nullable(string) });
 */
export function fields<T extends object>(shape: Fields<T>): Decoder<T> {
  const entries: [string, Decoder<unknown>][] = Object.entries(shape);
  // Fields<T> has a decoder of T[K] for every key K of T: the result is a T.
  return (value, path) => decodeFields(entries, value, path) as T;
}

/**
 * A value of `decode` that must also satisfy `holds` (a relation between its fields, e.g.
 * one more bucket count than bounds), which a shape alone cannot say.
 */
export function refine<T>(decode: Decoder<T>, holds: (value: T) => boolean, expected: string): Decoder<T> {
  return (value, path) => {
    const decoded = decode(value, path);
    if (!holds(decoded)) throw new WireError(path, expected, value);
    return decoded;
  };
}

/**
 * A union told apart by a string field (`tag`): the field's value picks the variant's
 * decoder, which checks the rest. Give the union type explicitly; each variant must decode
 * to a member of it.
 * @example
 * type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number };
 * const shape = taggedUnion<Shape>('kind', {
 *   circle: object({ kind: oneOf(['circle']), r: number }),
 *   square: object({ kind: oneOf(['square']), side: number }),
 * });
 */
export function taggedUnion<T>(tag: string, variants: Record<string, Decoder<T>>): Decoder<T> {
  const names = Object.keys(variants);
  return (value, path) => {
    if (!isRecord(value)) throw new WireError(path, 'an object', value);
    const name = value[tag];
    const decode = typeof name === 'string' && Object.hasOwn(variants, name) ? variants[name] : undefined;
    if (decode === undefined) throw new WireError(`${path}.${tag}`, `one of ${names.join(', ')}`, name);
    return decode(value, path);
  };
}

/** An attribute value: any JSON value (OTLP AnyValue decoded), checked all the way down. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const JSON_DEPTH_MAX = 32;

function jsonAt(value: unknown, path: string, depth: number): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return number(value, path);
  if (depth >= JSON_DEPTH_MAX) throw new WireError(path, `at most ${JSON_DEPTH_MAX} levels of nesting`, value);
  if (Array.isArray(value)) return value.map((item, i) => jsonAt(item, `${path}[${i}]`, depth + 1));
  if (isRecord(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = jsonAt(item, `${path}.${key}`, depth + 1);
    return out;
  }
  throw new WireError(path, 'a JSON value', value);
}

export const jsonValue: Decoder<JsonValue> = (value, path) => jsonAt(value, path, 0);
