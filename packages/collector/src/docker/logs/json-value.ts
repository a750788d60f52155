import type { AttributeValue } from '../../model/rows.js';

/** Nesting kept from a JSON log field; deeper values become their JSON text. */
const DEPTH_MAX = 8;

/**
 * A value from JSON.parse as an attribute value, checked rather than cast (JSON.parse
 * yields only JSON types, but its result is `unknown` and stays unchecked otherwise).
 */
export function attributeValue(value: unknown, depth = 0): AttributeValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (depth >= DEPTH_MAX) return JSON.stringify(value) ?? null;
  if (Array.isArray(value)) return value.map((item) => attributeValue(item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, AttributeValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = attributeValue(item, depth + 1);
    return out;
  }
  return String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
