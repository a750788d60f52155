/**
 * Checks on JSON read from outside the test process (query API answers, client reports), so
 * that no wire JSON is cast and trusted: each check names the path of a wrong field.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function fail(path: string, expected: string, got: unknown): never {
  throw new Error(`${path} should be ${expected}, got ${JSON.stringify(got)?.slice(0, 200)}`);
}

export function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Record<string, unknown>;
}

export function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v;
}

export function stringOrNull(v: unknown, path: string): string | null {
  return v === null ? null : string(v, path);
}

export function number(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number', v);
  return v;
}

export function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}

/** Nanoseconds travel as decimal strings: a JSON number cannot hold them exactly. */
export function ns(v: unknown, path: string): string {
  const s = string(v, path);
  if (!/^\d+$/.test(s)) fail(path, 'nanoseconds as a decimal string', v);
  return s;
}

/** 32 (trace) or 16 (span) lowercase hex digits. */
export function hexId(v: unknown, path: string, digits: 16 | 32): string {
  const s = string(v, path);
  if (!new RegExp(`^[0-9a-f]{${digits}}$`).test(s)) fail(path, `${digits} lowercase hex digits`, v);
  return s;
}

export function json(v: unknown, path: string): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return number(v, path);
  if (Array.isArray(v)) return v.map((item, i) => json(item, `${path}[${i}]`));
  return attributes(v, path);
}

export function attributes(v: unknown, path: string): Record<string, JsonValue> {
  const o = object(v, path);
  return Object.fromEntries(Object.entries(o).map(([k, item]) => [k, json(item, `${path}.${k}`)]));
}
