import type { JsonValue } from '../api/validate.js';

/** Attribute values as text: strings as they are, anything else as JSON. */
export function valueText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
